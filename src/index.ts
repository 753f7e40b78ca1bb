/**
 * volley: the Socket.IO v4 client (polling and WebSocket, with upgrade), with the API of
 * socket.io-client 4.8. `io` is also the default export.
 */
import { defaultKit } from "./client/default-kit.js";
import { createLookup } from "./client/lookup.js";
import { Manager as BaseManager } from "./client/manager.js";
import type { DefaultEventsMap, EventsMap, ManagerOptions } from "./types.js";

const DEFAULTS: Partial<ManagerOptions> = { kit: defaultKit };

/** One connection to a server, shared by its namespace sockets (both transports available). */
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends BaseManager<
  ListenEvents,
  EmitEvents
> {
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super(uri, opts, DEFAULTS);
  }
}

/**
 * Connects to a namespace: `io()`, `io("/chat")`, `io("https://example.com/admin", options)`.
 * Sockets of one origin and path share one connection unless `forceNew` is set.
 *
 * @example
 * const socket = io("https://example.com");
 * socket.on("connect", () => socket.emit("hello", "world"));
 */
export const io = createLookup(Manager);
export { io as connect };
export default io;

export { Socket } from "./client/socket.js";
export { SIO_PROTOCOL as protocol } from "./protocol/socketio/packet.js";
export { PacketType, type SioPacket } from "./protocol/socketio/packet.js";
export { defaultParser } from "./client/parser.js";
export { websocket } from "./transport/websocket.js";
export { polling } from "./transport/polling.js";
// socket.io-client's names for its transports, for `transports: [XHR, WebSocket]` written for it
export { websocket as WebSocket, websocket as NodeWebSocket } from "./transport/websocket.js";
export { polling as Fetch, polling as XHR, polling as NodeXHR } from "./transport/polling.js";
export type { Transport, TransportFactory, TransportHandlers, TransportContext, TransportOptions, TransportCloseReason, WebSocketConstructor } from "./transport/transport.js";
export type { Clock, Cancel } from "./client/clock.js";
export type { Lookup } from "./client/lookup.js";
export type { BinaryData, Frame } from "./protocol/binary.js";
export {
  AckTimeoutError,
  ConnectError,
  DisconnectedError,
  InvalidArgumentError,
  ProtocolError,
  ReservedEventError,
  TransportError,
  UnsupportedOptionError,
  VolleyError,
  type ConnectErrorCode,
  type ProtocolErrorCode,
  type TransportErrorCode,
} from "./errors.js";
export type {
  AckValue,
  AllButLast,
  DecorateAcknowledgements,
  DefaultEventsMap,
  DisconnectDescription,
  DisconnectReason,
  EventNames,
  EventParams,
  EventsMap,
  ExtendedError,
  FirstArg,
  Last,
  LegacyParser,
  LogEvent,
  ManagerOptions,
  ManagerReservedEvents,
  PacketDecoder,
  Parser,
  ReservedOrUserListener,
  SocketOptions,
  SocketReservedEvents,
} from "./types.js";
