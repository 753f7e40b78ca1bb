/**
 * The server role of an Engine.IO v4 session, sans I/O (PROTOCOL.md 1.4, 1.7, 1.8, 1.11).
 *
 * State owned here: the open/closed lifecycle, the packets waiting for the client, the
 * heartbeat (ping `pingInterval` after open or after the last pong, close when no pong comes
 * within `pingTimeout`) and the upgrade (probe, `3probe`, a noop every 100 ms to release the
 * pending poll, `5`, `upgradeTimeout`). The driver decodes frames with the codec, feeds packets
 * and time in, takes packets out for the active transport and pulls events. Bad peer data
 * becomes a `close` event, never a throw.
 */
import type { BinaryData, Frame } from "../binary.js";
import { ProtocolError } from "../error.js";
import { encodeHandshake } from "./handshake.js";
import type { EnginePacket, Handshake } from "./packet.js";

/** Why a server session ended (engine.io's reason strings). */
export type ServerCloseReason =
  | "transport close"
  | "transport error"
  | "ping timeout"
  | "forced close"
  | "parse error"
  | "server shutting down";

/** What the session tells its driver, pulled with {@link ServerSession.pollOutput}. */
export type ServerSessionEvent =
  | { readonly type: "message"; readonly data: string | BinaryData }
  /** Send this frame on the probe transport (the `3probe` answer). */
  | { readonly type: "probe"; readonly frame: Frame }
  /** The probe transport is now the session's transport; drop the old one. */
  | { readonly type: "upgrade" }
  /** The upgrade failed: close the probe transport, the session stays on the old one. */
  | { readonly type: "upgrade abort" }
  | { readonly type: "close"; readonly reason: ServerCloseReason; readonly error?: ProtocolError };

/** How often a pending poll is released with a noop while an upgrade completes. */
export const UPGRADE_NOOP_PERIOD = 100;

export interface ServerSessionConfig extends Handshake {
  readonly upgradeTimeout: number;
}

const NONE = 0;
const PROBING = 1; // probe transport attached, waiting for 2probe
const PROBED = 2; // 3probe sent, waiting for 5
const NOOP: EnginePacket = { type: "noop" };
const PING: EnginePacket = { type: "ping" };

export class ServerSession {
  readonly config: ServerSessionConfig;
  private closed = false;
  private queue: EnginePacket[] = [];
  private events: ServerSessionEvent[] = [];
  private pingAt: number;
  private pongBy = Infinity;
  private upgrade = NONE;
  private upgradeBy = Infinity;
  private noopAt = Infinity;
  private upgraded = false;
  /** The pong deadline was already pushed back once for this ping. */
  private refreshed = false;

  /** Queues the open packet; the first ping is due `pingInterval` from `now`. */
  constructor(config: ServerSessionConfig, now: number) {
    this.config = config;
    const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = config;
    const shake: Handshake = maxPayload === undefined ? { sid, upgrades, pingInterval, pingTimeout } : { sid, upgrades, pingInterval, pingTimeout, maxPayload };
    this.queue.push({ type: "open", data: encodeHandshake(shake) });
    this.pingAt = now + pingInterval;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True between an accepted probe transport and the `5` (or the upgrade's failure). */
  get isUpgrading(): boolean {
    return this.upgrade !== NONE;
  }

  get hasPackets(): boolean {
    return this.queue.length > 0;
  }

  /** Takes every packet waiting for the active transport. */
  takePackets(): EnginePacket[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** Queues a message for the client. Ignored once closed. */
  send(data: string | BinaryData): void {
    if (!this.closed) this.queue.push({ type: "message", data });
  }

  /** Queues a raw packet (fault injection and tests). */
  sendPacket(packet: EnginePacket): void {
    if (!this.closed) this.queue.push(packet);
  }

  pollOutput(): ServerSessionEvent | undefined {
    return this.events.shift();
  }

  /** A probe transport asks to join. False when the session cannot upgrade now. */
  startProbe(now: number): boolean {
    if (this.closed || this.upgraded || this.upgrade !== NONE || this.config.upgrades.length === 0) return false;
    this.upgrade = PROBING;
    this.upgradeBy = now + this.config.upgradeTimeout;
    return true;
  }

  /** The probe transport closed or failed before the upgrade completed. */
  probeLost(): void {
    if (this.upgrade !== NONE) this.endUpgrade();
  }

  /** One packet (or a decode error) from the active transport, or from the probe. */
  receive(packet: EnginePacket | ProtocolError, now: number, probe = false): void {
    if (this.closed) return;
    if (probe) return this.receiveProbe(packet, now);
    if (packet instanceof ProtocolError) return this.close("parse error", packet);
    // As engine.io: the first other packet while a pong is due shows the peer alive, once per ping.
    if (this.pongBy !== Infinity && !this.refreshed && packet.type !== "pong") {
      this.pongBy = now + this.config.pingTimeout;
      this.refreshed = true;
    }
    switch (packet.type) {
      case "message":
        this.events.push({ type: "message", data: packet.data ?? "" });
        return;
      case "pong":
        this.pongBy = Infinity;
        this.pingAt = now + this.config.pingInterval;
        return;
      case "close":
        return this.close("transport close");
      case "noop":
        return;
      default:
        // A client ping is the v3 heartbeat direction; open and upgrade never come from a client.
        return this.close("transport error");
    }
  }

  /** Wakes the session at or after {@link nextDeadline}. */
  handleTimeout(now: number): void {
    if (this.closed) return;
    if (now >= this.pongBy) return this.close("ping timeout");
    if (now >= this.upgradeBy) this.endUpgrade();
    if (now >= this.pingAt) {
      this.queue.push(PING);
      this.refreshed = false;
      this.pingAt = Infinity;
      this.pongBy = now + this.config.pingTimeout;
    }
    if (now >= this.noopAt) {
      if (this.queue.length === 0) this.queue.push(NOOP);
      this.noopAt = now + UPGRADE_NOOP_PERIOD;
    }
  }

  nextDeadline(): number {
    if (this.closed) return Infinity;
    return Math.min(this.pingAt, this.pongBy, this.upgradeBy, this.noopAt);
  }

  /** Ends the session; idempotent. Queued packets stay for the driver to flush. */
  close(reason: ServerCloseReason, error?: ProtocolError): void {
    if (this.closed) return;
    this.closed = true;
    if (this.upgrade !== NONE) this.endUpgrade();
    this.pingAt = this.pongBy = Infinity;
    this.events.push(error === undefined ? { type: "close", reason } : { type: "close", reason, error });
  }

  private receiveProbe(packet: EnginePacket | ProtocolError, now: number): void {
    if (packet instanceof ProtocolError) return this.endUpgrade();
    if (this.upgrade === PROBING && packet.type === "ping" && packet.data === "probe") {
      this.upgrade = PROBED;
      this.events.push({ type: "probe", frame: "3probe" });
      if (this.queue.length === 0) this.queue.push(NOOP);
      this.noopAt = now + UPGRADE_NOOP_PERIOD;
      return;
    }
    if (this.upgrade === PROBED && packet.type === "upgrade") {
      this.upgrade = NONE;
      this.upgraded = true;
      this.stopNoops();
      this.events.push({ type: "upgrade" });
      return;
    }
    this.endUpgrade();
  }

  private endUpgrade(): void {
    this.upgrade = NONE;
    this.stopNoops();
    this.events.push({ type: "upgrade abort" });
  }

  /** Noops only release a poll held during the upgrade: once it ends, none is sent later. */
  private stopNoops(): void {
    this.upgradeBy = this.noopAt = Infinity;
    this.queue = this.queue.filter((p) => p.type !== "noop");
  }
}
