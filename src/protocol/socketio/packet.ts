/** Socket.IO v5 packet model (PROTOCOL.md 2.1). */

/** Socket.IO protocol revision spoken by volley. */
export const SIO_PROTOCOL = 5;

export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export type PacketType = (typeof PacketType)[keyof typeof PacketType];

/**
 * One Socket.IO packet. Encoders pick types 5/6 themselves when `data` holds binary; decoders
 * return 2/3 with the attachments already put back in place.
 */
export interface SioPacket {
  readonly type: PacketType;
  /** Namespace, always starting with "/"; "/" is the main one. */
  readonly nsp: string;
  readonly data?: unknown;
  /** Acknowledgement id: a non-negative safe integer. */
  readonly id?: number;
}

/** Event names an application can neither emit nor receive (PROTOCOL.md 2.9). */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);
