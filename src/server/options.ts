/** Options of the reference server, with the defaults of socket.io 4.8 / engine.io 6.6. */
import type { IncomingMessage } from "node:http";
import { cookieOptions, type CookieOptions } from "./cookie.js";
import type { RecoveryOptions } from "./recovery.js";

/** The transports the server can run: long-polling and WebSocket. */
export type TransportName = "polling" | "websocket";

/** Where a cross-origin request may come from (the `cors` package's forms). */
export type CorsOrigin =
  | boolean
  | string
  | RegExp
  | ReadonlyArray<string | RegExp>
  | ((origin: string | undefined, callback: (error: Error | null, allow?: boolean | string) => void) => void);

/**
 * CORS for the polling requests. A browser request from an origin these options do not allow
 * (neither listed nor the server's own) is refused with 403, on polling and on WebSocket,
 * which browsers open from any page; requests without `Origin` (Node clients) pass.
 */
export interface CorsOptions {
  /**
   * Allowed origins: `true` reflects the request's origin, a string is sent as is, a RegExp or
   * an array is an allow-list, a function decides per request. `"*"` cannot be combined
   * with `credentials` (the server then reflects the request's origin instead). `false` (or
   * the function's no) sends no CORS headers and answers no preflight.
   * @default "*"
   */
  readonly origin?: CorsOrigin;
  /** Send `Access-Control-Allow-Credentials: true`. @default false */
  readonly credentials?: boolean;
  /** Methods allowed by a preflight. @default ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"] */
  readonly methods?: readonly string[];
  /** Headers allowed by a preflight. @default the request's `Access-Control-Request-Headers` */
  readonly allowedHeaders?: readonly string[];
  /** `Access-Control-Max-Age` of a preflight, in seconds. @default none */
  readonly maxAge?: number;
}

/** Decides whether a handshake or upgrade request may proceed (`success` false: 403). */
export type AllowRequest = (req: IncomingMessage, callback: (message: string | null | undefined, success: boolean) => void) => void;

export interface ServerOptions {
  /** HTTP path prefix of every Engine.IO request (a trailing slash is added). @default "/socket.io/" */
  readonly path?: string;
  /** Serve the client bundle at `{path}volley.min.js` and `{path}socket.io.js`. @default true */
  readonly serveClient?: boolean;
  /** Delay between server pings, in ms. @default 25000 */
  readonly pingInterval?: number;
  /** How long the server waits for a pong, in ms. @default 20000 */
  readonly pingTimeout?: number;
  /** Time a client has to finish an upgrade, in ms. @default 10000 */
  readonly upgradeTimeout?: number;
  /** Largest accepted POST body or WebSocket message, in bytes (`maxPayload` in the handshake). @default 1000000 */
  readonly maxHttpBufferSize?: number;
  /** Transports clients may use. @default ["polling", "websocket"] */
  readonly transports?: readonly TransportName[];
  /** Let polling sessions upgrade to WebSocket. @default true */
  readonly allowUpgrades?: boolean;
  /** Hook that accepts or refuses each handshake and upgrade request. @default none (all allowed) */
  readonly allowRequest?: AllowRequest;
  /** CORS headers for polling requests, and the origins allowed a session. @default none (no CORS headers, every origin allowed) */
  readonly cors?: CorsOptions;
  /** Compress polling responses of 1024 bytes or more when the client accepts gzip or deflate. @default true */
  readonly httpCompression?: boolean;
  /**
   * Set a cookie holding the session id on the polling handshake response, for load balancers
   * that stick sessions by cookie. `true`: `io=<sid>; Path=/; HttpOnly; SameSite=Lax`.
   * @default false
   */
  readonly cookie?: boolean | CookieOptions;
  /** Time a client has to join its first namespace, in ms. @default 45000 */
  readonly connectTimeout?: number;
  /** Connection state recovery (missed events, rooms and `data` restored after a drop). @default off */
  readonly connectionStateRecovery?: RecoveryOptions;
}

export interface ResolvedOptions {
  readonly path: string;
  readonly serveClient: boolean;
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly upgradeTimeout: number;
  readonly maxHttpBufferSize: number;
  readonly transports: readonly TransportName[];
  readonly allowUpgrades: boolean;
  readonly allowRequest: AllowRequest | undefined;
  readonly cors: CorsOptions | undefined;
  readonly httpCompression: boolean;
  readonly cookie: CookieOptions | undefined;
  readonly connectTimeout: number;
  readonly connectionStateRecovery: RecoveryOptions | undefined;
}

/** Fills in the defaults; `path` always ends with exactly one slash. */
export function resolveOptions(o: ServerOptions): ResolvedOptions {
  return {
    path: (o.path ?? "/socket.io").replace(/\/$/, "") + "/",
    serveClient: o.serveClient ?? true,
    pingInterval: o.pingInterval ?? 25_000,
    pingTimeout: o.pingTimeout ?? 20_000,
    upgradeTimeout: o.upgradeTimeout ?? 10_000,
    maxHttpBufferSize: o.maxHttpBufferSize ?? 1_000_000,
    transports: o.transports ?? ["polling", "websocket"],
    allowUpgrades: o.allowUpgrades ?? true,
    allowRequest: o.allowRequest,
    cors: o.cors,
    cookie: cookieOptions(o.cookie),
    httpCompression: o.httpCompression ?? true,
    connectTimeout: o.connectTimeout ?? 45_000,
    connectionStateRecovery: o.connectionStateRecovery,
  };
}
