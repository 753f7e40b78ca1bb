/**
 * The Manager (socket.io-client's `Manager`): one Engine.IO connection shared by the namespace
 * sockets, routing packets to them, reconnecting with backoff. It keeps one timer from the
 * injected Clock: the open timeout while connecting, the backoff delay while waiting. It takes
 * its engine's events itself (no handler closures per connection).
 */
import { ConnectError, VolleyError } from "../errors.js";
import type { BinaryData, Frame } from "../protocol/binary.js";
import type { Handshake } from "../protocol/engine/packet.js";
import type { SioPacket } from "../protocol/socketio/packet.js";
import type {
  DefaultEventsMap,
  EventsMap,
  ManagerOptions,
  ManagerReservedEvents,
  PacketDecoder,
  Parser,
  SocketOptions,
} from "../types.js";
import { backoffDelay } from "./backoff.js";
import { systemClock, type Cancel, type Clock } from "./clock.js";
import { Emitter } from "./emitter.js";
import { Engine, type EngineCloseReason, type EngineHandlers } from "./engine.js";
import { EngineHandle } from "./engine-handle.js";
import { checkOptions, socketReason } from "./manager-options.js";
import { toParser } from "./parser.js";
import { Socket } from "./socket.js";

type ReadyState = "closed" | "opening" | "open";

const NO_DEFAULTS: Partial<ManagerOptions> = {};

/** A transport failure, as `error` and `connect_error` report it. */
const failed = (cause: Error): ConnectError => new ConnectError("ERR_CONNECT_FAILED", cause.message, { cause });

/**
 * One connection to a server, shared by its namespace sockets.
 *
 * @example
 * const manager = new Manager("https://example.com", { reconnectionDelayMax: 10000 });
 * const chat = manager.socket("/chat");
 * manager.on("reconnect_attempt", (n) => console.log("attempt", n));
 */
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents>
  extends Emitter<Record<never, never>, ManagerReservedEvents>
  implements EngineHandlers
{
  /** The server's `http(s)://host:port`. */
  readonly uri: string;
  /**
   * The options; like socket.io-client, changes (e.g. `query`) apply from the next connection.
   * The entry point's defaults (transport kit, platform parts) are its prototype, shared by
   * every Manager of that entry rather than copied into each.
   */
  readonly opts: ManagerOptions;
  /** @internal */
  get clock(): Clock {
    return this.opts.clock ?? systemClock;
  }

  /** @internal */
  _readyState: ReadyState = "closed";
  /** @internal */
  _reconnecting = false;
  /** @internal increases with every Engine.IO session, so late auth callbacks are ignored */
  _session = 0;
  /** @internal the current Engine.IO connection */
  _engine: Engine | undefined;
  /** Created when an app asks for `engine`. */
  private handle: EngineHandle | undefined;
  /**
   * The namespace sockets (a few at most, so an array beats a map); those that want the
   * connection (`active`) are kept in the order they asked for it. Copied on write, so it
   * is never larger than needed and iterating it needs no copy.
   */
  private sockets: readonly Socket[] = [];
  private readonly parser: Parser;
  private decoder: PacketDecoder | undefined;
  private attempts = 0;
  private skipReconnect = false;
  private cancelTimer: Cancel | undefined;
  private openCallback: ((err?: Error) => void) | undefined;
  private closeReason: "parse error" | undefined;

  constructor(
    uri?: string | Partial<ManagerOptions>,
    opts?: Partial<ManagerOptions>,
    defaults: Partial<ManagerOptions> = NO_DEFAULTS,
  ) {
    super();
    if (typeof uri === "object") {
      opts = uri;
      uri = undefined;
    }
    const merged = Object.create(defaults) as Manager["opts"];
    merged.path = "/socket.io";
    Object.assign(merged, opts);
    checkOptions(merged);
    this.uri = uri ?? "";
    this.opts = merged;
    this.parser = toParser(merged.parser);
    if (merged.autoConnect !== false) this.open();
  }

  /** The Engine.IO connection, while there is one (`engine.transport.name`, `engine.on("upgrade")`). */
  get engine(): EngineHandle {
    return (this.handle ??= new EngineHandle(this));
  }

  /** Whether new sockets connect at once. @internal */
  get autoConnect(): boolean {
    return this.opts.autoConnect !== false;
  }

  /** @internal whether a volatile packet can leave now */
  get _writable(): boolean {
    return this._engine?.writable ?? false;
  }

  /** Gets or sets `reconnection`. */
  reconnection(): boolean;
  reconnection(v: boolean): this;
  reconnection(v?: boolean): boolean | this {
    return this.option("reconnection", v, true);
  }

  /** Gets or sets `reconnectionAttempts`. */
  reconnectionAttempts(): number;
  reconnectionAttempts(v: number): this;
  reconnectionAttempts(v?: number): number | this {
    return this.option("reconnectionAttempts", v, Infinity);
  }

  /** Gets or sets `reconnectionDelay`. */
  reconnectionDelay(): number;
  reconnectionDelay(v: number): this;
  reconnectionDelay(v?: number): number | this {
    return this.option("reconnectionDelay", v, 1000);
  }

  /** Gets or sets `reconnectionDelayMax`. */
  reconnectionDelayMax(): number;
  reconnectionDelayMax(v: number): this;
  reconnectionDelayMax(v?: number): number | this {
    return this.option("reconnectionDelayMax", v, 5000);
  }

  /** Gets or sets `randomizationFactor`. */
  randomizationFactor(): number;
  randomizationFactor(v: number): this;
  randomizationFactor(v?: number): number | this {
    return this.option("randomizationFactor", v, 0.5);
  }

  /** Gets or sets `timeout` (`false`: no connect timeout; typed as socket.io-client's). */
  timeout(): number | boolean;
  timeout(v: number | boolean): this;
  timeout(v?: number | boolean): number | boolean | this {
    return this.option<"timeout", number | boolean>("timeout", v, 20000);
  }

  private option<K extends keyof ManagerOptions, T>(key: K, value: T | undefined, fallback: T): T | this {
    if (value === undefined) return (this.opts[key] as T | undefined) ?? fallback;
    (this.opts as Record<string, unknown>)[key] = value;
    return this;
  }

  /**
   * The socket of a namespace on this connection (created once, then reused).
   *
   * @example
   * const admin = manager.socket("/admin", { auth: { token } });
   */
  socket(nsp: string, opts?: SocketOptions): Socket<ListenEvents, EmitEvents> {
    let socket = this.find(nsp);
    if (!socket) {
      if (opts) checkOptions(opts, false);
      socket = new Socket(this as Manager, nsp, opts);
      this._add(socket);
    } else if (this.autoConnect && !socket.active) socket.connect();
    return socket as unknown as Socket<ListenEvents, EmitEvents>;
  }

  /** Opens the connection if it is not open or opening. `fn` gets the outcome. */
  open(fn?: (err?: Error) => void): this {
    if (this._readyState !== "closed") return this;
    this.skipReconnect = false;
    this._readyState = "opening";
    this.openCallback = fn;
    // listeners on `engine` belong to one connection, as on socket.io-client's per-connection engine
    this.handle?.off();
    const engine = new Engine(this.uri, this.opts, this, this.clock);
    this._engine = engine;
    // `false` (no connect timeout) compares as 0 below
    const timeout = this.timeout() as number;
    if (timeout > 0) {
      this.setTimer(timeout, () => {
        engine.close();
        this.onOpenError(new ConnectError("ERR_CONNECT_TIMEOUT", "timeout"));
      });
    }
    engine.open();
    return this;
  }

  /** Same as {@link open}. */
  connect(fn?: (err?: Error) => void): this {
    return this.open(fn);
  }

  /**
   * Closes the connection for every namespace ("forced close"); no reconnection follows. As in
   * socket.io-client, the sockets stay `active`: the next `open()` or `socket.connect()` brings
   * them all back.
   */
  disconnect(): void {
    this.skipReconnect = true;
    this._reconnecting = false;
    this.openCallback = undefined;
    const open = this._readyState === "open";
    // an open engine reports its close (onClose); an opening one is dropped silently
    this._engine?.close();
    if (open) return;
    // as in socket.io-client, the Manager reports the close itself (also while waiting to reconnect)
    this.ended();
    this.emitReserved("close", "forced close");
  }

  /** @internal */
  hasSocket(nsp: string): boolean {
    return this.find(nsp) !== undefined;
  }

  /** @internal a socket wants the connection (it became `active`) */
  _add(socket: Socket): void {
    this.sockets = this.sockets.filter((s) => s !== socket).concat([socket]);
  }

  /** @internal a socket left (it is no longer `active`); the connection closes with the last one */
  _destroy(_socket: Socket): void {
    if (this.activeSockets().length === 0) this.disconnect();
  }

  /** @internal */
  _encode(packet: SioPacket): Frame[] {
    return this.parser.encode(packet);
  }

  /** @internal */
  _send(frames: Frame[]): void {
    // an open Manager always has its engine
    if (this._readyState === "open") for (const frame of frames) (this._engine as Engine).send(frame);
  }

  /** Back to "closed": no engine, no timer. */
  private ended(): void {
    this.clearTimer();
    this._engine = undefined;
    this.decoder = undefined;
    this._readyState = "closed";
  }

  /** Calls and forgets the callback of `open`; false when there was none. */
  private settle(error?: Error): boolean {
    const fn = this.openCallback;
    this.openCallback = undefined;
    fn?.(error);
    return fn !== undefined;
  }

  /** The socket of a namespace, if created. */
  private find(nsp: string): Socket | undefined {
    for (const socket of this.sockets) if (socket.nsp === nsp) return socket;
    return undefined;
  }

  /** The sockets that want the connection, in the order they asked for it (a copy). */
  private activeSockets(): Socket[] {
    return this.sockets.filter((s) => s.active);
  }

  /** @internal engine event */
  onOpen(_handshake: Handshake): void {
    this.clearTimer();
    this._readyState = "open";
    this._session++;
    this.decoder = this.parser.createDecoder();
    this.opts.logger?.({ type: "open", transport: this._engine?.transport });
    // the sockets first, as socket.io-client's sockets listen to their Manager before the app does
    for (const socket of this.activeSockets()) socket._onOpen();
    this.emitReserved("open");
    this.settle();
  }

  /** @internal engine event */
  onPing(): void {
    this.emitReserved("ping");
  }

  /** @internal engine event */
  onClose(engineReason: EngineCloseReason, cause?: Error): void {
    const reason = socketReason(this.closeReason ?? engineReason);
    // socket.io-client reports the failure of an open connection as an `error` first
    if (reason === "transport error" && cause) this.report(failed(cause));
    this.handle?._emit("close", reason, cause);
    this.closeReason = undefined;
    this.ended();
    this.attempts = 0;
    this.opts.logger?.({ type: "close", reason });
    for (const socket of this.activeSockets()) socket._onClose(reason, cause);
    this.emitReserved("close", reason, cause);
    if (this.reconnection()) this.reconnect();
  }

  /** @internal engine event */
  onError(error: VolleyError): void {
    this.onOpenError(failed(error));
  }

  /** @internal engine event */
  onUpgrade(name: string): void {
    this.handle?._emit("upgrade", { name });
  }

  /** @internal engine event */
  onMessage(data: string | BinaryData): void {
    if (data instanceof ArrayBuffer) {
      const fromBytes = this.opts.platform?.fromBytes;
      if (fromBytes) data = fromBytes(new Uint8Array(data));
    }
    let packet: SioPacket | undefined | Error;
    try {
      packet = (this.decoder as PacketDecoder).add(data);
    } catch (error) {
      packet = error instanceof Error ? error : new VolleyError("ERR_SIO_PAYLOAD", "the parser failed");
    }
    if (packet === undefined) return;
    if (packet instanceof Error) {
      this.opts.logger?.({ type: "packet_error", error: packet });
      this.closeReason = "parse error";
      this._engine?.close();
      return;
    }
    // the socket first: socket.io-client's sockets listen to `packet` before the app does
    this.find(packet.nsp)?._onPacket(packet);
    if (this.hasListeners("packet")) this.emitReserved("packet", packet);
  }

  private onOpenError(error: ConnectError): void {
    this.ended();
    this.report(error);
    if (!this.settle(error) && this.attempts === 0 && this.reconnection()) this.reconnect();
  }

  /** An `error` event: the sockets that are not connected get it as `connect_error`. */
  private report(error: ConnectError): void {
    this.opts.logger?.({ type: "error", error });
    for (const socket of this.activeSockets()) socket._onError(error);
    this.emitReserved("error", error);
  }

  /** Waits the backoff delay, then opens again; nothing while reconnecting or closed on purpose. */
  private reconnect(): void {
    if (this._reconnecting || this.skipReconnect) return;
    if (this.attempts >= this.reconnectionAttempts()) {
      this.attempts = 0;
      this.opts.logger?.({ type: "reconnect_failed" });
      this.emitReserved("reconnect_failed");
      return;
    }
    const delay = backoffDelay(
      this.attempts++,
      { min: this.reconnectionDelay(), max: this.reconnectionDelayMax(), jitter: this.randomizationFactor() },
      this.opts.random ?? Math.random,
    );
    this._reconnecting = true;
    this.opts.logger?.({ type: "reconnect_attempt", attempt: this.attempts, delay });
    this.setTimer(delay, () => {
      if (this.reconnection()) this.emitReserved("reconnect_attempt", this.attempts);
      // the attempt itself is an opening connection: open() and socket.connect() wait for it
      this._reconnecting = false;
      // reconnection(false) during the wait or from a reconnect_attempt listener ends it, as does disconnect()
      if (this.skipReconnect || !this.reconnection()) return;
      this.open((err) => {
        if (err) {
          this.reconnect();
          this.emitReserved("reconnect_error", err);
        } else {
          const attempt = this.attempts;
          this.attempts = 0;
          this.emitReserved("reconnect", attempt);
        }
      });
    });
  }

  private setTimer(delay: number, fn: () => void): void {
    this.clearTimer();
    this.cancelTimer = this.clock.schedule(delay, () => {
      this.cancelTimer = undefined;
      fn();
    });
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}
