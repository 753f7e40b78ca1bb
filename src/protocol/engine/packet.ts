/** Engine.IO v4 packet model (PROTOCOL.md 1.3). */
import type { BinaryData } from "../binary.js";

/** Engine.IO protocol revision spoken by volley (the `EIO` query parameter). */
export const EIO_VERSION = 4;

export type EnginePacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop";

/** One Engine.IO packet. Only `message` packets carry binary data. */
export interface EnginePacket {
  readonly type: EnginePacketType;
  readonly data?: string | BinaryData;
}

/** The open packet's payload, validated (PROTOCOL.md 1.4). */
export interface Handshake {
  readonly sid: string;
  readonly upgrades: readonly string[];
  readonly pingInterval: number;
  readonly pingTimeout: number;
  /** Absent on servers older than engine.io 6.2.0: then no batching limit applies. */
  readonly maxPayload?: number;
}
