/** The fault injection switches of one connection (driven by `volley/server/testing`). */
import type { EnginePacket } from "../protocol/engine/packet.js";

/** Fault injection switches (see `volley/server/testing`). All off by default. */
export interface Faults {
  /** False stops the heartbeat: no pings and no ping timeout. */
  heartbeat: boolean;
  /** Ignore everything the client sends. */
  deaf: boolean;
  /** Return true to drop an outgoing packet. */
  drop: ((packet: EnginePacket) => boolean) | undefined;
  /** Hold every outgoing flush this long, in ms. */
  delay: number;
  /** Close probe WebSockets at once. */
  refuseUpgrades: boolean;
}

/** Every switch off: a healthy connection. */
export function healthy(): Faults {
  return { heartbeat: true, deaf: false, drop: undefined, delay: 0, refuseUpgrades: false };
}
