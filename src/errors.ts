/**
 * The client's error classes. Every error volley raises is a {@link VolleyError} with a stable
 * `code`; the app tells failures apart by class (`instanceof`) or by code, never by message.
 */
import { VolleyError } from "./protocol/error.js";

export { VolleyError, ProtocolError, type ProtocolErrorCode } from "./protocol/error.js";
export { TransportError, type TransportErrorCode } from "./transport/transport.js";

/** An acknowledgement did not arrive within its timeout (`timeout(ms)`, `ackTimeout`). */
export class AckTimeoutError extends VolleyError {
  declare readonly code: "ERR_ACK_TIMEOUT";

  override get name(): string {
    return "AckTimeoutError";
  }

  constructor() {
    super("ERR_ACK_TIMEOUT", "operation has timed out");
  }
}

/** The socket disconnected while an acknowledgement was pending; `reason` says why. */
export class DisconnectedError extends VolleyError {
  declare readonly code: "ERR_DISCONNECTED";

  override get name(): string {
    return "DisconnectedError";
  }

  constructor(readonly reason: string) {
    super("ERR_DISCONNECTED", `socket has been disconnected (${reason})`);
  }
}

/** Stable codes of {@link ConnectError}. */
export type ConnectErrorCode =
  | "ERR_CONNECT_REFUSED"
  | "ERR_CONNECT_TIMEOUT"
  | "ERR_CONNECT_FAILED"
  | "ERR_INCOMPATIBLE_SERVER";

/**
 * What `connect_error` carries: the server refused the namespace (its middleware's message and
 * `data`), the connection could not be opened (`cause`), or it did not open within `timeout`.
 */
export class ConnectError extends VolleyError {
  declare readonly code: ConnectErrorCode;

  override get name(): string {
    return "ConnectError";
  }
  /** The `data` the server's middleware attached to its error (`ERR_CONNECT_REFUSED` only). */
  readonly data: unknown;

  constructor(code: ConnectErrorCode, message: string, options?: { cause?: unknown; data?: unknown }) {
    super(code, message, options);
    this.data = options?.data;
  }
}

/** `emit` was called with a name the protocol reserves (`connect`, `disconnect`, ...). */
export class ReservedEventError extends VolleyError {
  declare readonly code: "ERR_RESERVED_EVENT";

  override get name(): string {
    return "ReservedEventError";
  }

  constructor(readonly event: string) {
    super("ERR_RESERVED_EVENT", `"${event}" is a reserved event name`);
  }
}

/** An option of socket.io-client that volley does not implement was set to a non-default value. */
export class UnsupportedOptionError extends VolleyError {
  declare readonly code: "ERR_UNSUPPORTED_OPTION";

  override get name(): string {
    return "UnsupportedOptionError";
  }

  constructor(readonly option: string) {
    super("ERR_UNSUPPORTED_OPTION", `option "${option}" is not supported: leave it out or at its default`);
  }
}

/** An argument is not usable: a URL that does not parse, a namespace without "/", ... */
export class InvalidArgumentError extends VolleyError {
  declare readonly code: "ERR_INVALID_ARGUMENT";

  override get name(): string {
    return "InvalidArgumentError";
  }

  constructor(message: string) {
    super("ERR_INVALID_ARGUMENT", message);
  }
}
