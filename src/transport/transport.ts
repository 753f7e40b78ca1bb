/**
 * The transport interface: a transport moves Engine.IO frames between the engine and a server
 * and reports open, drain and close. It never decodes packets. Built-ins: `websocket` and
 * `polling`; any object of this shape can be passed in the `transports` option.
 */
import type { BinaryData, Frame } from "../protocol/binary.js";
import type { Base64Codec } from "../protocol/engine/base64.js";
import { VolleyError } from "../protocol/error.js";

/** How a transport ended, as the engine reports it. */
export type TransportCloseReason = "transport close" | "transport error";

/** Callbacks a transport calls; the engine passes them to {@link Transport.open}. */
export interface TransportHandlers {
  /** The transport can carry frames (for polling: the first response arrived). */
  onOpen(): void;
  /** One Engine.IO packet in WebSocket form: a text packet, or a binary message. */
  onFrame(frame: Frame): void;
  /** The last {@link Transport.send} is done and the transport is writable again. */
  onDrain(): void;
  /** The transport ended; called once, and nothing follows. Not called after {@link Transport.close}. */
  onClose(reason: TransportCloseReason, error?: Error): void;
}

/** One connection attempt of one kind (a WebSocket, a polling loop, an in-memory pipe). */
export interface Transport {
  /** "polling", "websocket", or a custom transport's name (sent as `transport=` in the URL). */
  readonly name: string;
  /** Starts connecting; results arrive through `handlers`. */
  open(handlers: TransportHandlers): void;
  /**
   * Writes frames in order (never none). Called while {@link writable} is not false, and once more right
   * before {@link close} with the last frames (a busy transport sends them after its current write).
   */
  send(frames: readonly Frame[]): void;
  /** Stops at once and releases everything; no handler is called afterwards. */
  close(): void;
  /** False while a previous send is still in flight (polling: one POST at a time); then wait for `onDrain`. */
  readonly writable?: boolean;
  /**
   * True when frames sent together travel as one payload limited by the server's maxPayload
   * (polling); the engine then hands over only what fits (not in the WebSocket-only entry).
   */
  readonly payloads?: boolean;
  /** Stops reading and writing once in-flight requests are done, then calls `onPaused` (polling, for upgrades). */
  pause?(onPaused: () => void): void;
}

/** The connection details an engine hands to a transport it creates. */
export interface TransportContext {
  /**
   * The Engine.IO endpoint with its query, e.g. `http://host/socket.io/?EIO=4&transport=polling&sid=...`
   * (always http/https; a WebSocket transport switches the scheme). Read it per request: the
   * `sid` appears once the handshake arrived. `query` (`&name=value...`) goes before the `sid`.
   */
  url(query?: string): string;
  /** The transport options of the engine (headers, credentials, WebSocket constructor, ...). */
  readonly options: TransportOptions;
}

/** A transport value: its name and how to create one connection attempt. */
export interface TransportFactory {
  readonly name: string;
  create(context: TransportContext): Transport;
}

/** A WebSocket constructor: the platform one, `ws` in Node, or any compatible class. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: object) => WebSocketLike;

/** The part of the WebSocket API the websocket transport uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  send(data: string | BinaryData): void;
  close(code?: number, reason?: string): void;
}

/**
 * What an entry point injects for its platform. Node (`volley` under the `node` condition)
 * passes `ws` as the WebSocket, "nodebuffer" as binaryType and a bytes-to-Buffer conversion, so
 * binary arrives as Buffer there; browsers need nothing and get ArrayBuffer.
 */
export interface Platform {
  /** Used when neither the `WebSocket` option nor a global WebSocket exists. */
  readonly WebSocket?: WebSocketConstructor;
  /** `binaryType` to set on each WebSocket. @default "arraybuffer" */
  readonly binaryType?: string;
  /** Turns bytes decoded from a polling `b` record into the platform's binary type. @default copy to an ArrayBuffer */
  readonly fromBytes?: (bytes: Uint8Array) => BinaryData;
  /** Base64 for polling `b` records (Node: Buffer's native codec). @default `btoa`/`atob` */
  readonly base64?: Base64Codec;
  /**
   * Makes the polling requests (Node: node:http(s) when an agent or TLS option is set, which
   * `fetch` cannot take). @default the global `fetch`
   */
  readonly fetch?: (url: string, init: RequestInit, options: TransportOptions) => Promise<PollingResponse>;
  /** Lets a batch of WebSocket sends leave in one write (Node: cork the TCP socket); returns the uncork. */
  readonly cork?: (socket: WebSocketLike) => () => void;
  /** Subscribes to a WebSocket's events in the platform's cheapest way (ws: its own emitter). @default the on* attributes */
  readonly listener?: SocketListener;
}

/** The part of a `fetch` Response the polling transport reads. */
export interface PollingResponse {
  readonly status: number;
  text(): Promise<string>;
}

/** What a WebSocket reports, as the websocket transport needs it. */
export interface SocketEvents {
  socketOpened(): void;
  /** A frame: text as a string (or as bytes with `isBinary` false, like ws), binary as the platform's type. */
  socketFrame(data: unknown, isBinary?: boolean): void;
  socketError(cause?: unknown): void;
  /** `reason` is a string, or bytes of UTF-8 (ws). */
  socketClosed(code: number, reason: unknown): void;
}

/**
 * Subscribes `events` to a WebSocket and undoes it. Implementations attach shared functions
 * and find `events` from the socket, so a connection holds no listener closures.
 */
export interface SocketListener {
  listen(socket: WebSocketLike, events: SocketEvents): void;
  /** Removes the listeners; an error listener that ignores stays (a closing socket may still report one). */
  unlisten(socket: WebSocketLike): void;
}

/** Options the built-in transports read (a subset of the engine options; names as socket.io-client). */
export interface TransportOptions {
  /** Headers for polling requests, and for the WebSocket request where the constructor takes them (Node). */
  extraHeaders?: Readonly<Record<string, string>>;
  /** Send cookies on cross-origin polling requests (`credentials: "include"`). @default false */
  withCredentials?: boolean;
  /** Add a unique cache-busting parameter to every polling request. @default true */
  timestampRequests?: boolean;
  /** Name of that parameter. @default "t" */
  timestampParam?: string;
  /** A WebSocket constructor to use instead of the platform's. */
  WebSocket?: WebSocketConstructor;
  /** WebSocket sub-protocols. */
  protocols?: string | string[];
  /** Node only: an `http.Agent` for the WebSocket request (passed to `ws`) and the polling requests. */
  agent?: object | false;
  /** Node only: TLS options for the WebSocket request (passed to `ws`) and the polling requests. */
  ca?: string | string[] | object;
  cert?: string | string[] | object;
  key?: string | string[] | object;
  pfx?: string | string[] | object;
  passphrase?: string;
  ciphers?: string;
  rejectUnauthorized?: boolean;
  /** Platform parts injected by the entry point (see {@link Platform}). */
  platform?: Platform;
}

/** Stable codes of {@link TransportError}. */
export type TransportErrorCode =
  | "ERR_WEBSOCKET"
  | "ERR_WEBSOCKET_UNAVAILABLE"
  | "ERR_POLLING_REQUEST"
  | "ERR_POLLING_STATUS";

/** A transport failed: a WebSocket error or early close, a failed or refused HTTP request. */
export class TransportError extends VolleyError {
  declare readonly code: TransportErrorCode;

  override get name(): string {
    return "TransportError";
  }

  /** HTTP status (polling) or WebSocket close code, when there was one. */
  readonly status: number | undefined;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}
