/** The Engine.IO request errors of PROTOCOL.md 1.12, as JSON bodies (polling) or raw upgrade refusals. */
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

export const ErrorCode = {
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
};

/** A refused request: the code, and the message when it is not the code's own (allowRequest's text). */
export interface RequestError {
  readonly code: ErrorCode;
  readonly message?: string;
}

export function messageOf(error: RequestError): string {
  return error.message ?? ERROR_MESSAGES[error.code];
}

function errorBody(error: RequestError): string {
  return JSON.stringify({ code: error.code, message: messageOf(error) });
}

/** `400`/`403` with `{"code":N,"message":"..."}` (headers already set, e.g. CORS, are kept). */
export function writeError(res: ServerResponse, error: RequestError): void {
  const body = errorBody(error);
  res.writeHead(error.code === ErrorCode.FORBIDDEN ? 403 : 400, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** How an upgrade is refused: engine.io's `400` with the message as text unless told. */
export interface UpgradeRefusal {
  readonly status?: number;
  /** The JSON body of a polling request: Node's answer on a server that does not take upgrades. */
  readonly json?: boolean;
}

/** Refuses a WebSocket upgrade before the 101: a raw HTTP response, then the TCP connection ends. */
export function refuseUpgrade(socket: Duplex, error: RequestError, { status = 400, json = false }: UpgradeRefusal = {}): void {
  if (!socket.writable) return void socket.destroy();
  const body = json ? errorBody(error) : messageOf(error);
  const type = json ? "application/json" : "text/html";
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** An empty response with just a status (the concurrency and size errors of 1.5). */
export function writeStatus(res: ServerResponse, status: number): void {
  res.writeHead(status, { "Content-Length": "0" }).end();
}
