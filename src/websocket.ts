/**
 * volley/websocket: the same client API over WebSocket only. Neither polling nor the upgrade
 * is referenced here, so a bundler leaves them out.
 */
import { createLookup } from "./client/lookup.js";
import { Manager as BaseManager } from "./client/manager.js";
import { websocketKit } from "./client/websocket-kit.js";
import type { DefaultEventsMap, EventsMap, ManagerOptions } from "./types.js";

const DEFAULTS: Partial<ManagerOptions> = { kit: websocketKit };

/** One WebSocket connection to a server, shared by its namespace sockets. */
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends BaseManager<
  ListenEvents,
  EmitEvents
> {
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super(uri, opts, DEFAULTS);
  }
}

/** `io()` over WebSocket only. @example const socket = io("https://example.com"); */
export const io = createLookup(Manager);
export { io as connect };
export default io;

export { Socket } from "./client/socket.js";
export { SIO_PROTOCOL as protocol } from "./protocol/socketio/packet.js";
export { websocket } from "./transport/websocket.js";
// socket.io-client's names for its WebSocket transport
export { websocket as WebSocket, websocket as NodeWebSocket } from "./transport/websocket.js";
export type { Transport, TransportFactory, TransportHandlers, TransportContext, TransportOptions } from "./transport/transport.js";
export {
  AckTimeoutError,
  ConnectError,
  DisconnectedError,
  ReservedEventError,
  UnsupportedOptionError,
  VolleyError,
} from "./errors.js";
export type {
  DefaultEventsMap,
  DisconnectDescription,
  DisconnectReason,
  EventsMap,
  ExtendedError,
  ManagerOptions,
  ManagerReservedEvents,
  Parser,
  SocketOptions,
  SocketReservedEvents,
} from "./types.js";
