/**
 * One client's socket in one namespace: events and acks both ways, rooms, broadcast shortcuts
 * and disconnection with the Socket.IO reason strings. Incoming events go straight to the
 * listeners (never through `emit`), so an event named `error` cannot throw (CVE-2024-38355).
 */
import { EventEmitter } from "node:events";
import { ReservedEventError } from "../errors.js";
import { PacketType, RESERVED_EVENTS, type SioPacket } from "../protocol/socketio/packet.js";
import { Acks } from "./acks.js";
import { BroadcastOperator } from "./broadcast.js";
import type { Client } from "./client.js";
import type { EngineConnection } from "./engine-connection.js";
import { makeHandshake, type Handshake } from "./handshake.js";
import type { Namespace } from "./namespace.js";
import { RECOVERABLE } from "./recovery.js";

const NO_ROOMS: ReadonlySet<string> = new Set();

/** Why a socket disconnected (socket.io's reason strings). */
export type DisconnectReason =
  | "server namespace disconnect"
  | "client namespace disconnect"
  | "transport close"
  | "transport error"
  | "ping timeout"
  | "parse error"
  | "server shutting down"
  | "forced close";

type Listener = (...args: unknown[]) => void;
/** A per-socket middleware for incoming events: the event as `[name, ...args]`. */
export type EventMiddleware = (event: unknown[], next: (error?: Error) => void) => void;
/** A catch-all listener: the event name, then its arguments (typed by the listener itself). */
export type AnyListener = (event: string, ...args: never[]) => void;

export function checkEventName(name: unknown): void {
  if (typeof name === "string" && RESERVED_EVENTS.has(name)) throw new ReservedEventError(name);
}

/** Splits a trailing callback off emit arguments. */
export function splitAck(args: unknown[]): [unknown[], Listener | undefined] {
  const last = args[args.length - 1];
  return typeof last === "function" ? [args.slice(0, -1), last as Listener] : [args, undefined];
}

export class Socket extends EventEmitter {
  readonly id: string;
  readonly nsp: Namespace;
  readonly client: Client;
  readonly handshake: Handshake;
  /** Free-form data attached by the application (middleware, handlers). */
  data: Record<string, unknown> = {};
  connected = false;
  /** True when connection state recovery restored this socket's id, rooms, data and missed events. */
  recovered = false;
  /** @internal The private session id of connection state recovery. */
  readonly pid: string | undefined;
  private readonly acks = new Acks();
  private anyListeners: AnyListener[] = [];
  private readonly middlewares: EventMiddleware[] = [];
  private flags: { volatile?: boolean; timeout?: number } = {};
  private gone = false;

  constructor(nsp: Namespace, client: Client, id: string, auth: Record<string, unknown>, pid?: string) {
    super();
    this.pid = pid;
    this.nsp = nsp;
    this.client = client;
    this.id = id;
    this.handshake = makeHandshake(client.conn, auth);
  }

  /** The Engine.IO connection: `id`, `transport.name`, `close()`. */
  get conn(): EngineConnection {
    return this.client.conn;
  }

  /** The rooms this socket is in, its own id included. */
  get rooms(): Set<string> {
    return new Set(this.nsp.adapter.roomsOf(this.id));
  }

  /**
   * Sends an event to this client; a trailing function receives the client's ack.
   * @example socket.emit("hello", "world", (reply) => console.log(reply));
   */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    checkEventName(event);
    const [data, ack] = splitAck(args);
    const flags = this.flags;
    this.flags = {};
    const packet: { type: PacketType; nsp: string; data: unknown[]; id?: number } = { type: PacketType.EVENT, nsp: this.nsp.name, data: [event, ...data] };
    if (!ack) packet.data = this.nsp.stamp(packet.data, new Set([this.id]), NO_ROOMS, flags.volatile === true);
    if (ack) {
      const id = this.nsp.nextAckId();
      packet.id = id;
      if (flags.timeout !== undefined) this.acks.addTimed(id, flags.timeout, ack);
      else this.acks.add(id, ack);
    }
    if (flags.volatile && !this.conn.writable) return true;
    this.client.writePacket(packet);
    return true;
  }

  /**
   * Emits and resolves with the client's first ack argument.
   * @example const answer = await socket.timeout(1000).emitWithAck("question");
   */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown> {
    const timed = this.flags.timeout !== undefined;
    return new Promise((resolve, reject) => {
      this.emit(event, ...args, (first: unknown, second: unknown) => {
        if (!timed) return resolve(first);
        return first ? reject(first as Error) : resolve(second);
      });
    });
  }

  /** The same as `emit("message", ...args)`. */
  send(...args: unknown[]): this {
    this.emit("message", ...args);
    return this;
  }

  /** The next emit's ack fails with `AckTimeoutError` after `ms`; the callback gets `(err, ...reply)`. */
  timeout(ms: number): this {
    this.flags.timeout = ms;
    return this;
  }

  /** The next emit is dropped when the transport cannot write at once. */
  get volatile(): this {
    this.flags.volatile = true;
    return this;
  }

  join(rooms: string | readonly string[]): void {
    // Once gone (left, or refused by a middleware) a socket joins nothing, as in socket.io: nothing would empty those rooms.
    if (this.gone) return;
    this.nsp.adapter.add(this.id, typeof rooms === "string" ? [rooms] : rooms);
  }

  leave(room: string): void {
    this.nsp.adapter.remove(this.id, room);
  }

  /** Every other socket of the namespace; takes this socket's pending `volatile`/`timeout` flags. */
  get broadcast(): BroadcastOperator {
    const flags = this.flags;
    this.flags = {};
    return new BroadcastOperator(this.nsp, new Set(), new Set([this.id]), flags);
  }

  /** Sockets in `room`, except this one. */
  to(room: string | readonly string[]): BroadcastOperator {
    return this.broadcast.to(room);
  }

  in(room: string | readonly string[]): BroadcastOperator {
    return this.to(room);
  }

  except(room: string | readonly string[]): BroadcastOperator {
    return this.broadcast.except(room);
  }

  /**
   * Adds a middleware for incoming events (`[name, ...args]`, the ack last); `next(err)`
   * drops the event and emits `error` on this socket.
   * @example socket.use(([name], next) => (name === "admin" ? next(new Error("forbidden")) : next()));
   */
  use(fn: EventMiddleware): this {
    this.middlewares.push(fn);
    return this;
  }

  /** Called for every incoming event, before the `use` middlewares and its own listeners. */
  onAny(listener: AnyListener): this {
    this.anyListeners.push(listener);
    return this;
  }

  prependAny(listener: AnyListener): this {
    this.anyListeners.unshift(listener);
    return this;
  }

  offAny(listener?: AnyListener): this {
    this.anyListeners = listener ? this.anyListeners.filter((l) => l !== listener) : [];
    return this;
  }

  listenersAny(): AnyListener[] {
    return [...this.anyListeners];
  }

  /**
   * Leaves the namespace (`server namespace disconnect`); with `close`, ends the whole
   * connection, and every namespace of this client disconnects.
   */
  disconnect(close = false): this {
    if (!this.connected) return this;
    if (close) {
      this.client.disconnectAll();
      return this;
    }
    this.client.writePacket({ type: PacketType.DISCONNECT, nsp: this.nsp.name });
    this.onClose("server namespace disconnect");
    return this;
  }

  /** @internal Registers a broadcast's shared ack id for this socket. */
  expectAck(id: number, fn: (...args: unknown[]) => void): void {
    this.acks.add(id, fn);
  }

  /** @internal Drops a broadcast's ack id once the broadcast has its answer or timed out. */
  forgetAck(id: number): void {
    this.acks.forget(id);
  }

  /** @internal An EVENT, ACK or DISCONNECT from the client. */
  onPacket(p: SioPacket): void {
    if (p.type === PacketType.EVENT) return this.onEvent(p.data as unknown[], p.id);
    if (p.type === PacketType.ACK) return this.acks.resolve(p.id ?? -1, p.data as unknown[]);
    if (p.type === PacketType.DISCONNECT) this.onClose("client namespace disconnect");
  }

  /** @internal Marks the socket connected and sends the CONNECT reply. */
  onConnect(): void {
    this.connected = true;
    this.join(this.id);
    const data = this.pid === undefined ? { sid: this.id } : { sid: this.id, pid: this.pid };
    this.client.writePacket({ type: PacketType.CONNECT, nsp: this.nsp.name, data });
  }

  /** @internal Leaves everything and tells the listeners why. */
  onClose(reason: DisconnectReason): void {
    if (!this.connected) return;
    super.emit("disconnecting", reason);
    this.connected = false;
    // As in socket.io, pending acks outlive a disconnection and timed ones still time out; a server
    // shutting down fails them at once instead, so that no timer outlives it.
    if (reason === "server shutting down") this.acks.clear(reason);
    if (this.pid !== undefined && RECOVERABLE.has(reason)) {
      // Its own room included, as socket.io keeps it: a recovered socket is in it from the start.
      this.nsp.recovery?.save({ sid: this.id, pid: this.pid, rooms: [...this.nsp.adapter.roomsOf(this.id)], data: this.data });
    }
    this.leaveForGood();
    this.client.remove(this);
    super.emit("disconnect", reason);
  }

  /** @internal Leaves the namespace and every room, and joins none from now on. */
  leaveForGood(): void {
    this.gone = true;
    this.nsp.remove(this);
  }

  /** @internal Tells the "error" listeners, if any: an unheard error must not throw. */
  onError(error: Error): void {
    for (const l of this.listeners("error")) (l as Listener).call(this, error);
  }

  private onEvent(data: unknown[], id: number | undefined): void {
    const args = data.slice(1);
    if (id !== undefined) {
      let sent = false;
      args.push((...reply: unknown[]) => {
        if (sent || !this.connected) return;
        sent = true;
        this.client.writePacket({ type: PacketType.ACK, nsp: this.nsp.name, id, data: reply });
      });
    }
    const event = [String(data[0]), ...args];
    // As in socket.io, catch-all listeners see every event, before the middlewares and even when one refuses it.
    for (const l of this.anyListeners.slice()) (l as Listener).apply(this, event);
    this.runMiddlewares(event, 0);
  }

  private runMiddlewares(event: unknown[], i: number): void {
    const fn = this.middlewares[i];
    if (!fn) return this.dispatch(event);
    let called = false;
    fn(event, (error) => {
      if (called || !this.connected) return;
      called = true;
      if (!error) return this.runMiddlewares(event, i + 1);
      this.onError(error);
    });
  }

  private dispatch(event: unknown[]): void {
    const [name, ...args] = event as [string, ...unknown[]];
    for (const l of this.listeners(name)) (l as Listener).apply(this, args);
  }
}
