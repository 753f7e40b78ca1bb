/**
 * A namespace: its connected sockets, rooms, middleware and one ack id counter shared by its
 * sockets (as the reference server does). Broadcast operators start here.
 */
import { encode } from "../protocol/socketio/codec.js";
import { PacketType, type SioPacket } from "../protocol/socketio/packet.js";
import { BroadcastOperator } from "./broadcast.js";
import { ConnectionEmitter } from "./connection-emitter.js";
import type { Client } from "./client.js";
import { newId } from "./engine-server.js";
import { preEncode, type WirePacket } from "./frames.js";
import type { RecoveryStore, Restored } from "./recovery.js";
import { Rooms } from "./rooms.js";
import { Socket } from "./socket.js";

/** An error a middleware passes to `next`; `data` reaches the client's `connect_error`. */
export type MiddlewareError = Error & { data?: unknown };
export type Middleware = (socket: Socket, next: (error?: MiddlewareError) => void) => void;

export class Namespace extends ConnectionEmitter {
  readonly name: string;
  readonly sockets = new Map<string, Socket>();
  readonly adapter = new Rooms();
  private readonly middlewares: Middleware[] = [];
  private ackId = 0;

  constructor(
    name: string,
    /** @internal Set when connection state recovery is on. */
    readonly recovery: RecoveryStore | undefined,
  ) {
    super();
    this.name = name;
  }

  /**
   * Adds a middleware run for every connecting socket, in order; `next(err)` refuses it.
   * @example nsp.use((socket, next) => (socket.handshake.auth.token ? next() : next(new Error("Not authorized"))));
   */
  use(fn: Middleware): this {
    this.middlewares.push(fn);
    return this;
  }

  /** @internal A dynamic namespace's child starts with its parent's middleware and `connection` listeners. */
  inherit(parent: Namespace): void {
    this.middlewares.push(...parent.middlewares);
    for (const event of ["connect", "connection"] as const) {
      for (const listener of parent.listeners(event)) this.on(event, listener as (socket: Socket) => void);
    }
  }

  to(room: string | readonly string[]): BroadcastOperator {
    return new BroadcastOperator(this).to(room);
  }

  in(room: string | readonly string[]): BroadcastOperator {
    return this.to(room);
  }

  except(room: string | readonly string[]): BroadcastOperator {
    return new BroadcastOperator(this).except(room);
  }

  get volatile(): BroadcastOperator {
    return new BroadcastOperator(this).volatile;
  }

  timeout(ms: number): BroadcastOperator {
    return new BroadcastOperator(this).timeout(ms);
  }

  /** Sends an event to every socket of the namespace. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    return new BroadcastOperator(this).emit(String(event), ...args);
  }

  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new BroadcastOperator(this).emitWithAck(event, ...args);
  }

  send(...args: unknown[]): this {
    this.emit("message", ...args);
    return this;
  }

  fetchSockets(): Promise<Socket[]> {
    return new BroadcastOperator(this).fetchSockets();
  }

  socketsJoin(room: string | readonly string[]): void {
    new BroadcastOperator(this).socketsJoin(room);
  }

  socketsLeave(room: string | readonly string[]): void {
    new BroadcastOperator(this).socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    new BroadcastOperator(this).disconnectSockets(close);
  }

  /** @internal */
  nextAckId(): number {
    return this.ackId++;
  }

  /**
   * @internal Encodes `packet` once and writes it to each socket; `each` runs for every
   * recipient. Returns how many got it.
   */
  sendTo(sockets: readonly Socket[], packet: SioPacket, volatile: boolean, each?: (s: Socket) => void): number {
    let packets: WirePacket[] | undefined;
    let count = 0;
    for (const s of sockets) {
      if (volatile && !s.conn.writable) continue;
      packets ??= preEncode(encode(packet) as (string | Buffer)[]);
      each?.(s);
      if (!s.conn.closed) s.conn.sendPacket(...packets);
      count++;
    }
    return count;
  }

  /** @internal Runs the middleware for a CONNECT; `done` gets the socket once connected, or nothing. */
  add(client: Client, auth: Record<string, unknown>, done: (socket: Socket | undefined) => void): void {
    const store = this.recovery;
    const { pid, offset } = auth;
    const restored = store && typeof pid === "string" && typeof offset === "string" ? store.restore(pid, offset) : undefined;
    const socket = new Socket(this, client, restored?.session.sid ?? newId(), auth, store && (restored?.session.pid ?? newId()));
    // As in socket.io, a recovered socket has its state back before the middlewares run.
    if (restored) this.replay(socket, restored);
    const proceed = (error?: MiddlewareError) => {
      if (client.conn.closed || error) socket.leaveForGood();
      if (client.conn.closed) return done(undefined);
      if (error) {
        const data = error.data === undefined ? { message: error.message } : { message: error.message, data: error.data };
        client.writePacket({ type: PacketType.CONNECT_ERROR, nsp: this.name, data });
        return done(undefined);
      }
      this.sockets.set(socket.id, socket);
      socket.onConnect();
      done(socket);
      super.emit("connect", socket);
      super.emit("connection", socket);
    };
    if (restored && store?.skipMiddlewares) proceed();
    else this.run(socket, 0, proceed);
  }

  /** A recovered socket gets its rooms and data back, and the events it missed (before its CONNECT reply). */
  private replay(socket: Socket, restored: Restored): void {
    socket.recovered = true;
    socket.data = restored.session.data;
    socket.join(restored.session.rooms);
    for (const data of restored.missed) socket.client.writePacket({ type: PacketType.EVENT, nsp: this.name, data });
  }

  /** @internal With recovery on, stores a plain event and returns its data with the offset appended. */
  stamp(data: unknown[], rooms: ReadonlySet<string>, except: ReadonlySet<string>, volatile: boolean): unknown[] {
    return this.recovery && !volatile ? this.recovery.stamp(data, rooms, except) : data;
  }

  /** @internal */
  remove(socket: Socket): void {
    this.sockets.delete(socket.id);
    this.adapter.removeAll(socket.id);
  }

  private run(socket: Socket, i: number, done: (error?: MiddlewareError) => void): void {
    const fn = this.middlewares[i];
    if (!fn) return done();
    let called = false;
    fn(socket, (error) => {
      if (called) return;
      called = true;
      if (error) return done(error);
      this.run(socket, i + 1, done);
    });
  }
}
