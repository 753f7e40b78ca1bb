/**
 * The client role of an Engine.IO v4 session, sans I/O (PROTOCOL.md 1.4 to 1.11).
 *
 * State owned here: the open/closed lifecycle, the validated handshake, the heartbeat deadline
 * (pingInterval + pingTimeout after the last ping, judged by the `now` the driver passes in, so
 * a throttled tab or a machine waking from sleep is caught on its next call), the write buffer
 * with maxPayload batching, and the upgrade pause. The driver feeds frames and time in and
 * pulls events and frames out; bad peer data becomes a `close` event, never a throw.
 */
import type { BinaryData, Frame } from "../binary.js";
import { protocolError, ProtocolError } from "../error.js";
import { decodePacket, encodePacket, type PayloadFit } from "./codec.js";
import { parseHandshake } from "./handshake.js";
import type { EnginePacket, Handshake } from "./packet.js";

/** Why an open session ended (engine.io-client's reason strings). */
export type EngineCloseReason =
  | "transport close"
  | "transport error"
  | "ping timeout"
  | "forced close"
  | "parse error"
  | "forced server close";

/** What the session tells its driver, pulled with {@link ClientSession.pollOutput}. */
export type SessionEvent =
  | { readonly type: "open"; readonly handshake: Handshake }
  | { readonly type: "ping" }
  | {
      readonly type: "close";
      readonly reason: EngineCloseReason;
      /** False when the session ended before its handshake: the connection never opened. */
      readonly opened: boolean;
      readonly error?: Error | undefined;
    };

/** The upgrade probe the client sends on the new transport, and the answer it expects. */
export const PROBE_PING = "2probe";
export const PROBE_PONG = "3probe";
/** Sent on the new transport once the old one is paused: everything travels there from now. */
export const UPGRADE_FRAME = "5";

const OPENING = 0;
const OPEN = 1;
const CLOSED = 2;
const OPEN_CODE = 48; // "0"
const MESSAGE_CODE = 52; // "4"
const PONG: EnginePacket = { type: "pong" };
const NO_FRAMES: Frame[] = [];
const NO_PACKETS: EnginePacket[] = [];
const NO_EVENTS: SessionEvent[] = [];

export class ClientSession {
  private state = OPENING;
  private shake: Handshake | undefined;
  private deadline = Infinity;
  // Shared empty arrays until something is queued: an idle session holds no array of its own.
  private queue: EnginePacket[] = NO_PACKETS;
  private events: SessionEvent[] = NO_EVENTS;
  /** True while an upgrade holds writes back (the driver sets it while the old transport pauses). */
  paused = false;

  /** The validated handshake, once the open packet arrived. */
  get handshake(): Handshake | undefined {
    return this.shake;
  }

  get isOpen(): boolean {
    return this.state === OPEN;
  }

  get isClosed(): boolean {
    return this.state === CLOSED;
  }

  /** The next event for the driver, or undefined. */
  pollOutput(): SessionEvent | undefined {
    const event = this.events.shift();
    if (this.events.length === 0) this.events = NO_EVENTS;
    return event;
  }

  /** When the driver must call {@link handleTimeout} next; undefined when nothing is armed. */
  nextDeadline(): number | undefined {
    return this.state === OPEN ? this.deadline : undefined;
  }

  /** Closes with "ping timeout" when the heartbeat deadline has passed. */
  handleTimeout(now: number): void {
    this.expired(now); // the deadline is Infinity unless open
  }

  /**
   * Takes one frame as received (WebSocket form: a text packet or a binary message) and
   * returns the message it carries, if any; everything else shows up in {@link pollOutput}.
   */
  receive(frame: Frame, now: number): string | BinaryData | undefined {
    if (this.state !== OPEN) return this.receiveHandshake(frame, now);
    if (this.expired(now)) return undefined;
    if (typeof frame !== "string") return frame;
    if (frame.charCodeAt(0) === MESSAGE_CODE) return frame.slice(1);
    this.onPacket(decodePacket(frame), now);
    return undefined;
  }

  /**
   * Queues a message. Returns false when the session cannot take it: not open, or found dead
   * because the heartbeat deadline passed (then a `close` event with "ping timeout" follows).
   */
  send(data: string | BinaryData, now: number): boolean {
    if (this.state !== OPEN || this.expired(now)) return false;
    this.enqueue({ type: "message", data });
    return true;
  }

  /**
   * Takes the frames to write now: all of them, or with `fit` (polling: {@link payloadPrefix})
   * as many as fit in one payload of the server's maxPayload. None while not open or paused.
   */
  takeFrames(fit?: PayloadFit): Frame[] {
    const queue = this.queue;
    if (queue.length === 0 || this.paused || this.state !== OPEN) return NO_FRAMES;
    const limit = this.shake?.maxPayload;
    const count = fit && limit !== undefined ? fit(queue, limit) : queue.length;
    if (count === queue.length) this.queue = NO_PACKETS;
    return queue.splice(0, count).map(encodePacket);
  }

  /**
   * Ends the session: by default a local close ("forced close" once open; before the
   * handshake the attempt just ends); the driver also passes a transport's close or failure.
   */
  close(reason: EngineCloseReason = "forced close", error?: Error): void {
    if (this.state === CLOSED) return;
    const opened = this.state === OPEN;
    this.state = CLOSED;
    this.deadline = Infinity;
    this.queue = NO_PACKETS;
    this.paused = false;
    this.emit({ type: "close", reason, opened, error });
  }

  /** The new transport took over: returns what to write on it first ("5"), then flush. */
  completeUpgrade(): Frame[] {
    this.paused = false;
    return [UPGRADE_FRAME];
  }

  private receiveHandshake(frame: Frame, now: number): undefined {
    if (this.state === CLOSED) return undefined;
    // an open packet is "0" followed by the handshake's JSON
    const handshake =
      typeof frame === "string" && frame.charCodeAt(0) === OPEN_CODE
        ? parseHandshake(frame.slice(1))
        : protocolError("ERR_EIO_HANDSHAKE", "expected an open packet first");
    if (handshake instanceof ProtocolError) {
      this.close("parse error", handshake);
      return undefined;
    }
    this.shake = handshake;
    this.state = OPEN;
    this.arm(now);
    this.emit({ type: "open", handshake });
    return undefined;
  }

  /** Ends the session with "ping timeout" when the heartbeat deadline has passed. */
  private expired(now: number): boolean {
    if (now < this.deadline) return false;
    this.close("ping timeout");
    return true;
  }

  private enqueue(packet: EnginePacket): void {
    if (this.queue === NO_PACKETS) this.queue = [packet];
    else this.queue.push(packet);
  }

  private emit(event: SessionEvent): void {
    if (this.events === NO_EVENTS) this.events = [event];
    else this.events.push(event);
  }

  /** Only while open, so the handshake is known. */
  private arm(now: number): void {
    const { pingInterval, pingTimeout } = this.shake as Handshake;
    this.deadline = now + pingInterval + pingTimeout;
  }

  /** A packet after open; noop, a late "3probe", "5" and a ping with data need nothing. */
  private onPacket(packet: EnginePacket | ProtocolError, now: number): void {
    if (packet instanceof ProtocolError) this.close("parse error", packet);
    else if (packet.type === "ping" && !packet.data) {
      this.enqueue(PONG);
      this.arm(now);
      this.emit({ type: "ping" });
    } else if (packet.type === "close") this.close("forced server close");
    else if (packet.type === "open") this.close("parse error", protocolError("ERR_EIO_PACKET", "a second open packet"));
  }
}
