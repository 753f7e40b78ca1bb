/**
 * The error classes of the protocol core. `VolleyError` is the base of every error volley
 * raises (client, server and core), so it lives in the core, which may import nothing else.
 */

/** Base class of every volley error: a stable `code` for programs, a message for people. */
export class VolleyError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  // Each class names itself in code: minifiers rename classes, so `new.target.name` would not survive.
  override get name(): string {
    return "VolleyError";
  }
}

/** Stable codes of {@link ProtocolError}: what was wrong with data received from a peer. */
export type ProtocolErrorCode =
  | "ERR_EIO_PACKET"
  | "ERR_EIO_PAYLOAD"
  | "ERR_EIO_HANDSHAKE"
  | "ERR_SIO_PACKET_TYPE"
  | "ERR_SIO_ATTACHMENTS"
  | "ERR_SIO_TOO_MANY_ATTACHMENTS"
  | "ERR_SIO_PAYLOAD"
  | "ERR_SIO_NAMESPACE"
  | "ERR_SIO_ACK_ID"
  | "ERR_SIO_UNEXPECTED_BINARY"
  | "ERR_SIO_UNEXPECTED_TEXT"
  | "ERR_SIO_EMPTY"
  | "ERR_PAYLOAD_TOO_LARGE";

/** Malformed or out-of-protocol data from the peer. Decoders return it; they never throw. */
export class ProtocolError extends VolleyError {
  declare readonly code: ProtocolErrorCode;

  override get name(): string {
    return "ProtocolError";
  }

  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A {@link ProtocolError}, with a `cause` only when there is one. */
export function protocolError(code: ProtocolErrorCode, message: string, cause?: unknown): ProtocolError {
  return new ProtocolError(code, message, cause === undefined ? undefined : { cause });
}

/** Local misuse of an encoder: a packet that cannot be sent as given (`ERR_INVALID_PACKET`). */
export function invalidPacket(message: string, cause?: unknown): VolleyError {
  return new VolleyError("ERR_INVALID_PACKET", message, cause === undefined ? undefined : { cause });
}
