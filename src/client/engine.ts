/**
 * The Engine.IO client driver: runs a {@link ClientSession} over transports, with one deadline
 * (heartbeat, websocket-first fallback): in the kit's shared deadlines when the entry point
 * provides them (Node), else on a timer of its own from the injected Clock.
 *
 * Contract (what the Manager codes against):
 * ```ts
 * new Engine(uri: string, options: EngineOptions, handlers: EngineHandlers, clock?: Clock)
 * engine.open(): void             // once; failures before the handshake go to onError
 * engine.send(data): void         // queued (before onOpen: sent right after the handshake);
 *                                 // frames queued in one tick go out together; ignored once closed
 * engine.close(): void            // open: onClose("forced close"); before: aborts silently
 * engine.id / engine.transport / engine.writable
 * ```
 * The transports come from `options.kit` (names) or `options.transports` (values); the engine
 * imports neither polling nor the upgrade, so a websocket-only bundle carries neither.
 */
import type { BinaryData, Frame } from "../protocol/binary.js";
import { ClientSession, type EngineCloseReason, type SessionEvent } from "../protocol/engine/client-session.js";
import type { Handshake } from "../protocol/engine/packet.js";
import { VolleyError } from "../protocol/error.js";
import type { Transport, TransportCloseReason, TransportFactory } from "../transport/transport.js";
import { frameTime, systemClock, type Cancel, type Clock } from "./clock.js";
import type { Timed } from "./deadlines.js";
import {
  DEFAULT_FALLBACK_DELAY,
  endpoint,
  openingOrder,
  resolveTransports,
  websocketMemory,
  type EngineOptions,
} from "./engine-options.js";
import { watchPage, type PageListener } from "./lifecycle.js";
import type { UpgradeHost } from "./upgrade-host.js";

export type { EngineCloseReason } from "../protocol/engine/client-session.js";
export type { EngineOptions, EngineKit } from "./engine-options.js";

/** What the engine reports to its owner (the Manager). */
export interface EngineHandlers {
  /** The session is open (sid known). */
  onOpen(handshake: Handshake): void;
  /** One Engine.IO message: a string, or binary (ArrayBuffer in browsers, Buffer in Node). */
  onMessage(data: string | BinaryData): void;
  /** A server ping was answered. */
  onPing(): void;
  /** The open session ended; called once, only after onOpen. */
  onClose(reason: EngineCloseReason, cause?: Error): void;
  /** The session could not open; called once, only before onOpen, and nothing follows. */
  onError(error: VolleyError): void;
  /** The session moved to another transport. */
  onUpgrade?(transportName: string): void;
}

const IDLE = 0;
const OPENING = 1;
const OPEN = 2;
const CLOSED = 3;
const WEBSOCKET = "websocket";
/** The empty array idle engines share (never pushed to: replaced by a fresh one first). */
const NONE: never[] = [];

/**
 * One Engine.IO connection attempt and, once open, the session.
 *
 * @example
 * const engine = new Engine("https://example.com", { kit: defaultKit }, {
 *   onOpen: () => engine.send("0"),          // join "/" (a Socket.IO CONNECT)
 *   onMessage: (data) => console.log(data),  // '0{"sid":"..."}', '2["news",...]', ...
 *   onPing: () => {},
 *   onClose: (reason) => console.log("closed:", reason),
 *   onError: (error) => console.log("could not connect:", error.code),
 * });
 * engine.open();
 */
export class Engine implements Timed, UpgradeHost, PageListener {
  private state = IDLE;
  private session = new ClientSession();
  private current: Transport | undefined;
  private name: string | undefined;
  private candidates: TransportFactory[] = NONE;
  /** @internal the deadline while set (relative to the origin of shared deadlines) */
  _dueAt: number | undefined;
  /** Only without shared deadlines: the engine's own timer. */
  private cancelTimer: Cancel | undefined;
  // undefined rather than Infinity when unset: no number box per idle engine
  private fallbackAt: number | undefined;
  private mayUpgrade: boolean;
  private cancelUpgrade: Cancel | undefined;
  private flushQueued = false;
  /** Messages sent before the handshake arrived. */
  private early: (string | BinaryData)[] = NONE;

  constructor(
    private readonly uri: string,
    private readonly options: EngineOptions,
    private readonly handlers: EngineHandlers,
    private readonly clock: Clock = systemClock,
  ) {
    resolveTransports(options);
    this.mayUpgrade = options.upgrade !== false;
  }

  /** The Engine.IO session id, once open. */
  get id(): string | undefined {
    return this.session.handshake?.sid;
  }

  /** Name of the transport in use (or last used). */
  get transport(): string | undefined {
    return this.name;
  }

  /** False while not open or while an upgrade holds writes back: volatile data should be dropped. */
  get writable(): boolean {
    return this.state === OPEN && !this.session.paused;
  }

  /** Starts connecting. */
  open(): void {
    if (this.state !== IDLE) throw new VolleyError("ERR_ENGINE_STATE", "an engine opens only once");
    this.state = OPENING;
    this.candidates = openingOrder(this.options);
    this.tryNext();
  }

  /** Queues one message; everything queued in the same tick leaves together. */
  send(data: string | BinaryData): void {
    if (this.state === OPENING) {
      this.early = this.early.concat([data]); // rare: only direct users send before the handshake
      return;
    }
    if (this.state !== OPEN) return;
    if (!this.session.send(data, this.clock.now())) {
      this.process();
      return;
    }
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush(true);
      });
    }
  }

  /** Closes: after open, onClose("forced close") follows; before, the attempt is dropped silently. */
  close(): void {
    if (this.state === OPEN) {
      this.flush(false);
      this.session.close();
      this.process();
      return;
    }
    this.teardown();
  }

  /** Opens the next candidate, closing the one that failed or was too slow. */
  private tryNext(): void {
    this.current?.close();
    const factory = this.candidates.shift() as TransportFactory;
    this.session = new ClientSession();
    const transport = this.create(factory);
    this.current = transport;
    this.name = transport.name;
    const quickFallback = this.options.websocketFirst && transport.name === WEBSOCKET && this.candidates.length > 0;
    this.fallbackAt = quickFallback ? this.clock.now() + (this.options.websocketFallbackDelay ?? DEFAULT_FALLBACK_DELAY) : undefined;
    this.rearm();
    // the transport that carries the session reports to the engine itself; a probe to the upgrade
    transport.open(this);
  }

  /** A transport for `factory`; its URL gains the sid once the session is open. */
  private create(factory: TransportFactory): Transport {
    const base = endpoint(this.uri, this.options, factory.name);
    return factory.create({
      url: (query = "") => {
        const sid = this.id;
        return sid === undefined ? base + query : `${base}${query}&sid=${encodeURIComponent(sid)}`;
      },
      options: this.options,
    });
  }

  /** @internal the current transport opened: nothing to do, the handshake follows */
  onOpen(): void {}

  /** @internal the current transport can take frames again */
  onDrain(): void {
    this.flush(true);
  }

  /** @internal the current transport ended */
  onClose(reason: TransportCloseReason, error?: Error): void {
    this.session.close(reason, error);
    this.process();
  }

  /** @internal a frame from the current transport */
  onFrame(frame: Frame): void {
    const message = this.session.receive(frame, frameTime(this.clock));
    if (message !== undefined) this.handlers.onMessage(message);
    else this.process();
  }

  /** Acts on what the session reported. */
  private process(): void {
    let event: SessionEvent | undefined;
    while ((event = this.session.pollOutput())) {
      if (event.type === "open") this.onSessionOpen(event.handshake);
      else if (event.type === "ping") {
        this.flush(true);
        this.handlers.onPing();
      } else {
        this.onSessionClose(event);
        return;
      }
      if (this.state === CLOSED) return;
    }
    this.rearm();
  }

  private onSessionOpen(handshake: Handshake): void {
    this.state = OPEN;
    this.fallbackAt = undefined;
    // as engine.io-client: a session opened on polling forgets an earlier WebSocket success
    websocketMemory.worked = this.name === WEBSOCKET;
    const now = this.clock.now();
    for (const data of this.early) this.session.send(data, now);
    this.early = NONE;
    this.candidates = NONE;
    watchPage(true, this, this.options.closeOnBeforeunload);
    this.handlers.onOpen(handshake);
    if (this.state !== OPEN) return;
    this.startUpgrade(handshake);
    this.flush(true);
  }

  private onSessionClose({ reason, opened, error }: SessionEvent & { type: "close" }): void {
    if (opened) {
      this.teardown();
      this.handlers.onClose(reason, error);
      return;
    }
    if (this.name === WEBSOCKET) {
      // WebSocket did not open: not remembered as working, nor tried again as an upgrade
      websocketMemory.worked = false;
      this.mayUpgrade = false;
    }
    if (this.candidates.length > 0 && this.state === OPENING) {
      this.tryNext();
      return;
    }
    this.teardown();
    const cause = error instanceof VolleyError ? error : new VolleyError("ERR_ENGINE_OPEN", `connection failed: ${reason}`, { cause: error });
    this.handlers.onError(cause);
  }

  private startUpgrade(handshake: Handshake): void {
    const upgrader = this.options.kit?.upgrade;
    const current = this.current;
    if (!upgrader || !this.mayUpgrade || !current?.pause) return;
    const target = resolveTransports(this.options).find((t) => t.name !== current.name && handshake.upgrades.includes(t.name));
    if (!target) return;
    this.cancelUpgrade = upgrader(this, this.create(target));
  }

  /** @internal the upgrade's probe answered */
  pauseForUpgrade(onPaused: () => void): void {
    this.session.paused = true;
    this.current?.pause?.(onPaused);
  }

  /** @internal the old transport is paused: the probe carries the session from now on */
  switchTo(probe: Transport): void {
    const old = this.current;
    this.current = probe;
    this.name = probe.name;
    old?.close();
    if (probe.name === WEBSOCKET) websocketMemory.worked = true;
    probe.send(this.session.completeUpgrade());
    this.flush(true);
    this.handlers.onUpgrade?.(probe.name);
  }

  /** @internal the upgrade's probe failed before the pause */
  upgradeFailed(): void {
    websocketMemory.worked = false;
    this.session.paused = false;
    this.flush(true);
  }

  /** Hands queued frames to the transport when it can take them (`respectBusy` false on close). */
  private flush(respectBusy: boolean): void {
    const transport = this.current;
    if (!transport || this.state !== OPEN || (respectBusy && transport.writable === false)) return;
    const frames = this.session.takeFrames(transport.payloads === true ? this.options.kit?.fit : undefined);
    if (frames.length > 0) transport.send(frames);
  }

  /** Keeps the one deadline at the earliest of the heartbeat and the fallback. */
  private rearm(): void {
    this.setDeadline(Math.min(this.session.nextDeadline() ?? Infinity, this.fallbackAt ?? Infinity));
  }

  /** Sets the one deadline: in the kit's shared deadlines (Node), else on a timer of its own. */
  private setDeadline(at: number): void {
    const shared = this.options.kit?.deadlines;
    if (shared) {
      shared(this.clock).set(this, at);
      return;
    }
    if (at === (this._dueAt ?? Infinity)) return;
    this.cancelTimer?.();
    this.cancelTimer = this._dueAt = undefined;
    if (at === Infinity) return;
    this._dueAt = at;
    this.cancelTimer = this.clock.schedule(Math.max(0, at - this.clock.now()), () => {
      this.cancelTimer = this._dueAt = undefined;
      this._due();
    });
  }

  /** @internal */
  _due(): void {
    const now = this.clock.now();
    if (this.state === OPENING && now >= (this.fallbackAt ?? Infinity)) {
      this.tryNext();
      return;
    }
    this.session.handleTimeout(now);
    this.process();
  }

  /** @internal a page event while open: going offline ends the session, unloading closes it silently */
  handleEvent(event: { readonly type: string }): void {
    if (event.type === "beforeunload") {
      this.teardown();
      return;
    }
    this.onClose("transport close", new VolleyError("ERR_OFFLINE", "the network went offline"));
  }

  /** Releases the deadline, the upgrade, the page listeners and the transport. */
  private teardown(): void {
    // the page listeners are on exactly while the engine is open
    if (this.state === OPEN) watchPage(false, this, this.options.closeOnBeforeunload);
    this.state = CLOSED;
    this.early = NONE;
    this.setDeadline(Infinity);
    this.fallbackAt = undefined;
    this.cancelUpgrade?.(); // does nothing once the upgrade has finished
    this.cancelUpgrade = undefined;
    const transport = this.current;
    this.current = undefined;
    transport?.close();
  }
}
