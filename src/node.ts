/**
 * The Node entry: the same API as the default entry, with Node's platform parts injected.
 * Without a global WebSocket (Node 20) the `ws` package connects; received binary is a Buffer
 * on every transport, as with socket.io-client in Node.
 */
import WebSocket from "ws";
import { deadlinesOf } from "./client/deadlines.js";
import { defaultKit } from "./client/default-kit.js";
import { createLookup } from "./client/lookup.js";
import { Manager as BaseManager } from "./client/manager.js";
import { nodeBase64 } from "./node-base64.js";
import { nodeFetch } from "./node-http.js";
import type { BinaryData } from "./protocol/binary.js";
import type { WebSocketConstructor } from "./transport/transport.js";
import { wsPlatform } from "./transport/ws-platform.js";
import type { DefaultEventsMap, EventsMap, ManagerOptions } from "./types.js";

const toBuffer = (bytes: Uint8Array): BinaryData => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const polling = { base64: nodeBase64, fetch: nodeFetch };
const kit = { ...defaultKit, deadlines: deadlinesOf };
const withGlobalWebSocket: Partial<ManagerOptions> = { kit, platform: { fromBytes: toBuffer, ...polling } };
let withWs: Partial<ManagerOptions> | undefined;

/**
 * The transport kit and the platform: `ws` when the platform has no WebSocket; Buffer for
 * binary and base64; node:http(s) for polling with TLS options. One object, shared by every
 * Manager.
 */
function nodeDefaults(): Partial<ManagerOptions> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function") return withGlobalWebSocket;
  return (withWs ??= { kit, platform: { ...wsPlatform(WebSocket as unknown as WebSocketConstructor, toBuffer), ...polling } });
}

/** One connection to a server, shared by its namespace sockets (Node platform parts injected). */
export class Manager<ListenEvents extends EventsMap = DefaultEventsMap, EmitEvents extends EventsMap = ListenEvents> extends BaseManager<
  ListenEvents,
  EmitEvents
> {
  constructor(uri?: string | Partial<ManagerOptions>, opts?: Partial<ManagerOptions>) {
    super(uri, opts, nodeDefaults());
  }
}

/** `io()` for Node. @example const socket = io("http://localhost:3000"); */
export const io = createLookup(Manager);
export { io as connect };
export default io;

export {
  Socket,
  protocol,
  PacketType,
  defaultParser,
  websocket,
  polling,
  WebSocket,
  NodeWebSocket,
  Fetch,
  XHR,
  NodeXHR,
  AckTimeoutError,
  ConnectError,
  DisconnectedError,
  InvalidArgumentError,
  ProtocolError,
  ReservedEventError,
  TransportError,
  UnsupportedOptionError,
  VolleyError,
} from "./index.js";
export type {
  SioPacket,
  Transport,
  TransportFactory,
  TransportHandlers,
  TransportContext,
  TransportOptions,
  TransportCloseReason,
  WebSocketConstructor,
  Clock,
  Cancel,
  Lookup,
  BinaryData,
  Frame,
  ConnectErrorCode,
  ProtocolErrorCode,
  TransportErrorCode,
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
} from "./index.js";
