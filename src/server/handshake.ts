/** `socket.handshake`: what the server knows about the request that opened the connection. */
import type { IncomingMessage } from "node:http";
import type { EngineConnection } from "./engine-connection.js";

/** What the server knows about the request that opened the connection. */
export interface Handshake {
  readonly headers: IncomingMessage["headers"];
  /** `new Date().toString()` at the handshake. */
  readonly time: string;
  readonly address: string;
  /** True when the request carried an `Origin` header. */
  readonly xdomain: boolean;
  /** True over TLS. */
  readonly secure: boolean;
  /** Milliseconds since the epoch at the handshake. */
  readonly issued: number;
  readonly url: string;
  readonly query: Record<string, string>;
  /** The CONNECT payload (`{}` when none). */
  readonly auth: Record<string, unknown>;
}

export function makeHandshake(conn: EngineConnection, auth: Record<string, unknown>): Handshake {
  const req = conn.request;
  const url = req.url ?? "/";
  return {
    headers: req.headers,
    time: new Date().toString(),
    address: conn.remoteAddress,
    xdomain: req.headers.origin !== undefined,
    secure: (req.socket as { encrypted?: boolean }).encrypted === true,
    issued: Date.now(),
    url,
    query: Object.fromEntries(new URL(url, "http://localhost").searchParams),
    auth,
  };
}
