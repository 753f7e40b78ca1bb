/** The volley reference server: `import { Server } from "volley/server"`. */
export { Server } from "./server.js";
export { Namespace, type Middleware, type MiddlewareError } from "./namespace.js";
export { ParentNamespace, type NamespaceMatcher } from "./parent-namespace.js";
export { Socket, type AnyListener, type DisconnectReason, type EventMiddleware } from "./socket.js";
export type { Handshake } from "./handshake.js";
export { BroadcastOperator } from "./broadcast.js";
export type { EngineConnection } from "./engine-connection.js";
export type { ServerOptions, CorsOptions, CorsOrigin, AllowRequest, TransportName } from "./options.js";
export type { RecoveryOptions } from "./recovery.js";
export type { CookieOptions } from "./cookie.js";
