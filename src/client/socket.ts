/**
 * One namespace socket (socket.io-client's `Socket`): events, buffering while disconnected,
 * connect and disconnect, connection state recovery. Pending acknowledgements and their timer
 * live in `SocketAcks`, retries in `RetryQueue`; protocol bookkeeping in the pure recovery helpers.
 */
import { ConnectError, DisconnectedError, ReservedEventError } from "../errors.js";
import type { Frame } from "../protocol/binary.js";
import { PacketType, RESERVED_EVENTS, type SioPacket } from "../protocol/socketio/packet.js";
import { connectPayload, eventOffset, readConnectError, readConnectReply, type RecoveryState } from "../protocol/socketio/namespace.js";
import type {
  AckValue,
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  DisconnectDescription,
  DisconnectReason,
  EventNames,
  EventParams,
  EventsMap,
  SocketOptions,
  SocketReservedEvents,
} from "../types.js";
import { CatchAllEmitter } from "./catch-all.js";
import { RetryQueue, type EmitFlags } from "./retry-queue.js";
import { ackReply, SocketAcks, type AckHandler, type Callback } from "./socket-acks.js";
import type { Manager } from "./manager.js";

/** Flags of an emit without modifiers; never written to (the modifiers copy it first). */
const NO_FLAGS: Readonly<EmitFlags> = Object.freeze({});

interface Buffered {
  readonly frames: Frame[];
  readonly args: unknown[];
  readonly ack: AckHandler | undefined;
}

/**
 * A namespace socket, created by `io()` or `manager.socket(nsp)`.
 *
 * @example
 * const socket = io("https://example.com/chat", { auth: { token } });
 * socket.on("message", (text) => console.log(text));
 * const reply = await socket.timeout(5000).emitWithAck("join", "room-1");
 */
export class Socket<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends CatchAllEmitter<
  ListenEvents,
  SocketReservedEvents
> {
  /** The Manager (connection) this socket uses. */
  readonly io: Manager<ListenEvents, EmitEvents>;
  /** The namespace, e.g. "/" or "/chat". */
  readonly nsp: string;
  /** The Socket.IO id given by the server while connected (the socket's own room). */
  id: string | undefined;
  /** Whether the socket is connected to its namespace. */
  connected = false;
  /** Whether the last connection restored the previous session (connection state recovery). */
  recovered = false;
  /** Sent with every CONNECT; a function is called again before each connection attempt. */
  auth: SocketOptions["auth"];
  private subscribed = false;
  private connecting = false;
  // What an idle socket does not use is created on first use: many idle sockets add up.
  private received: unknown[][] | undefined;
  private buffered: Buffered[] | undefined;
  private flags: Readonly<EmitFlags> = NO_FLAGS;
  private acks: SocketAcks | undefined;
  /** Only while the server gives a private session id (connection state recovery). */
  private recovery: RecoveryState | undefined;
  private readonly retries: number | undefined;
  private readonly ackTimeout: number | undefined;
  private queue: RetryQueue | undefined;

  /** @internal created by the Manager */
  constructor(io: Manager<ListenEvents, EmitEvents>, nsp: string, opts: SocketOptions = {}) {
    super();
    this.io = io;
    this.nsp = nsp;
    this.auth = opts.auth;
    this.retries = opts.retries;
    this.ackTimeout = opts.ackTimeout;
    if (io.autoConnect) this.connect();
  }

  /** Events received before the CONNECT reply (recovery replays them first). */
  get receiveBuffer(): unknown[][] {
    return (this.received ??= []);
  }

  set receiveBuffer(value: unknown[][]) {
    this.received = value;
  }

  /** Emits waiting for a connection. */
  get sendBuffer(): Buffered[] {
    return (this.buffered ??= []);
  }

  set sendBuffer(value: Buffered[]) {
    this.buffered = value;
  }

  /** Whether the socket is not connected. */
  get disconnected(): boolean {
    return !this.connected;
  }

  /** Whether the socket wants a connection (connected, connecting or reconnecting). */
  get active(): boolean {
    return this.subscribed;
  }

  /** Ends the next emit's packet only if the transport can send it now; otherwise it is dropped. */
  get volatile(): this {
    return this.flag("volatile", true);
  }

  /** Connects (again) to the namespace, opening the Manager's connection if needed. */
  connect(): this {
    if (this.connected) return this;
    if (!this.subscribed) {
      this.subscribed = true;
      this.io._add(this as Socket);
    }
    if (!this.io._reconnecting) this.io.open();
    if (this.io._readyState === "open") this._onOpen();
    return this;
  }

  /** Same as {@link connect}. */
  open(): this {
    return this.connect();
  }

  /**
   * Leaves the namespace; the connection closes when no other namespace uses it. No automatic
   * reconnection follows.
   */
  disconnect(): this {
    if (this.connected || this.connecting) this.packet(PacketType.DISCONNECT);
    this.leave();
    // emits disconnect only if it was connected; fails the acks of packets that left
    this._onClose("io client disconnect");
    return this;
  }

  /** Same as {@link disconnect}. */
  close(): this {
    return this.disconnect();
  }

  /** Emits a `message` event. */
  send(...args: unknown[]): this {
    return (this.emit as (ev: string, ...a: unknown[]) => this)("message", ...args);
  }

  /**
   * Sends an event; a function as last argument receives the server's acknowledgement.
   * Reserved names (`connect`, `disconnect`, ...) throw a `ReservedEventError`.
   *
   * @example
   * socket.emit("chat message", "hello", (reply) => console.log(reply));
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): this {
    if (RESERVED_EVENTS.has(ev)) throw new ReservedEventError(ev);
    const flags = this.flags;
    this.flags = NO_FLAGS;
    const data: unknown[] = args;
    data.unshift(ev);
    const fn = typeof data[data.length - 1] === "function" ? (data.pop() as Callback) : undefined;
    if (this.retries && !flags.fromQueue && !flags.volatile) {
      (this.queue ??= new RetryQueue(
        this.retries,
        () => this.connected,
        (args, flags) => {
          this.flags = flags;
          (this.emit as (...a: unknown[]) => this)(...args);
        },
      )).push(data, flags, fn);
      return this;
    }
    const timeout = flags.timeout ?? this.ackTimeout;
    const ack: AckHandler | undefined = fn && { fn, withError: timeout !== undefined || !!flags.withError, sent: false };
    if (flags.volatile && !(this.connected && this.io._writable)) {
      // a timed ack of a dropped packet times out as if it were lost; others fail at once
      if (ack && timeout !== undefined) this.registerAck(ack, timeout);
      else if (ack?.withError) ack.fn.call(this, new DisconnectedError("volatile packet dropped"));
      return this;
    }
    const id = ack && this.registerAck(ack, timeout);
    let frames: Frame[];
    try {
      frames = this.io._encode(id === undefined ? { type: PacketType.EVENT, nsp: this.nsp, data } : { type: PacketType.EVENT, nsp: this.nsp, id, data });
    } catch (error) {
      if (id !== undefined) this.acks?.take(id);
      throw error;
    }
    if (this.connected) this.transmit(frames, data, ack);
    else (this.buffered ??= []).push({ frames, args: data, ack });
    return this;
  }

  /**
   * Emits and resolves with the first argument of the acknowledgement; rejects with an
   * `AckTimeoutError` after `timeout(ms)` / `ackTimeout`, or a `DisconnectedError`.
   *
   * @example
   * const { ok } = await socket.timeout(2000).emitWithAck("save", doc);
   */
  emitWithAck<Ev extends EventNames<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<AckValue<EmitEvents, Ev>> {
    return new Promise((resolve, reject) => {
      const data: unknown[] = args;
      data.push((err: Error | null, value: AckValue<EmitEvents, Ev>) => (err ? reject(err) : resolve(value)));
      this.flag("withError", true);
      (this.emit as (ev: string, ...a: unknown[]) => this)(ev, ...data);
    });
  }

  /**
   * Gives the next emit's acknowledgement a timeout: the callback then takes an error first.
   *
   * @example
   * socket.timeout(5000).emit("hello", (err, reply) => { if (err) console.log(err.code); });
   */
  timeout(ms: number): Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>> {
    return this.flag("timeout", ms) as unknown as Socket<ListenEvents, DecorateAcknowledgements<EmitEvents>>;
  }

  /** Sets the compress flag of the next emit (accepted for compatibility; volley offers no per-message compression). */
  compress(compress: boolean): this {
    return this.flag("compress", compress);
  }

  // -------------------------------------------------------------------------------------
  // Called by the Manager

  /** @internal The connection is open: join the namespace. */
  _onOpen(): void {
    if (!this.subscribed || this.connecting || this.connected) return;
    this.connecting = true;
    const auth = this.auth;
    if (typeof auth !== "function") {
      this.sendConnect(auth);
      return;
    }
    const session = this.io._session;
    auth((data) => {
      if (this.connecting && session === this.io._session) this.sendConnect(data);
    });
  }

  /** @internal A packet for this namespace. */
  _onPacket(packet: SioPacket): void {
    if (!this.subscribed) return;
    switch (packet.type) {
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT:
        this.onEvent(packet);
        return;
      case PacketType.ACK:
      case PacketType.BINARY_ACK:
        this.acks?.onAck(packet);
        return;
      case PacketType.CONNECT:
        this.onConnect(packet.data);
        return;
      case PacketType.DISCONNECT:
        this.leave();
        this._onClose("io server disconnect");
        return;
      default: {
        const { message, data } = readConnectError(packet.data);
        this._onError(new ConnectError("ERR_CONNECT_REFUSED", message, { data }), true);
      }
    }
  }

  /** @internal The connection could not be opened, or the namespace was refused (`leave`). */
  _onError(error: ConnectError, leave?: boolean): void {
    this.connecting = false;
    if (leave) this.leave();
    if (!this.connected) this.emitReserved("connect_error", error);
  }

  /** @internal The connection closed (or the socket left its namespace). */
  _onClose(reason: DisconnectReason, description?: DisconnectDescription): void {
    const wasConnected = this.connected;
    this.connected = false;
    this.connecting = false;
    this.id = undefined;
    this.received = undefined;
    if (wasConnected) this.emitReserved("disconnect", reason, description);
    this.acks?.fail(reason);
  }

  // -------------------------------------------------------------------------------------

  /**
   * Stops wanting the connection; the Manager closes it when no other socket wants it (and, as
   * socket.io-client's, says so with `close` even when it was already closed).
   */
  private leave(): void {
    this.subscribed = false;
    this.io._destroy(this as Socket);
  }

  private flag<K extends keyof EmitFlags>(key: K, value: EmitFlags[K]): this {
    this.flags = { ...this.flags, [key]: value };
    return this;
  }

  private transmit(frames: Frame[], args: unknown[], ack: AckHandler | undefined): void {
    this.notifyOutgoing(args);
    this.io._send(frames);
    if (ack) ack.sent = true;
  }

  private sendConnect(auth: object | undefined): void {
    this.packet(PacketType.CONNECT, connectPayload(auth, this.recovery));
  }

  /** A packet of this namespace; without `data` it has no `data` key at all, for parsers that would encode one. */
  private packet(type: PacketType, data?: unknown): void {
    this.io._send(this.io._encode(data === undefined ? { type, nsp: this.nsp } : { type, nsp: this.nsp, data }));
  }

  private onConnect(data: unknown): void {
    if (this.connected) return;
    const reply = readConnectReply(data);
    if (!reply) {
      this._onError(new ConnectError("ERR_INCOMPATIBLE_SERVER", "CONNECT reply without sid: a Socket.IO v2 server?"), true);
      return;
    }
    this.connecting = false;
    const pid = reply.pid;
    this.recovered = pid !== undefined && pid === this.recovery?.pid;
    // a restored session keeps its offset; a new one starts without
    if (!this.recovered) this.recovery = pid === undefined ? undefined : { pid };
    this.id = reply.sid;
    this.connected = true;
    const received = this.received;
    this.received = undefined;
    if (received) for (const args of received) if (this.connected) this.emitEvent(args);
    const buffered = this.buffered;
    this.buffered = undefined;
    if (buffered) for (const item of buffered) this.transmit(item.frames, item.args, item.ack);
    this.queue?.drain();
    this.emitReserved("connect");
  }

  private onEvent(packet: SioPacket): void {
    const args = packet.data as unknown[];
    if (packet.id !== undefined) args.push(ackReply(this as Socket, packet.id));
    if (this.connected) this.emitEvent(args);
    else if (this.connecting) (this.received ??= []).push(args);
  }

  private emitEvent(args: unknown[]): void {
    const recovery = this.recovery;
    if (recovery !== undefined) {
      const offset = eventOffset(args);
      if (offset !== undefined) recovery.offset = offset;
    }
    this.notifyIncoming(args);
    this.dispatch(args[0] as string, args, 1);
  }

  private registerAck(ack: AckHandler, timeout: number | undefined): number {
    return (this.acks ??= new SocketAcks(this as Socket)).add(ack, timeout);
  }
}

export declare namespace Socket {
  /** socket.io-client's name for the reason of `disconnect` (volley's `DisconnectReason`). */
  type DisconnectReason = Parameters<SocketReservedEvents["disconnect"]>[0];
}
