/**
 * The platform parts for Node's `ws` package, for the Node entry point to inject:
 * `wsPlatform(WebSocket, (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))`.
 * Binary then arrives as Buffer on both transports, like socket.io-client in Node.
 */
import type { BinaryData } from "../protocol/binary.js";
import type { Platform, SocketEvents, SocketListener, WebSocketConstructor, WebSocketLike } from "./transport.js";

interface Corkable {
  cork(): void;
  uncork(): void;
}

const noop = (): void => {};

/**
 * Holds the TCP socket under a `ws` WebSocket while a batch is written, so the frames leave in
 * one write instead of one syscall each (about a third of the CPU per small message in a
 * batch of 20). `ws` keeps that socket in `_socket`; without it this does nothing.
 */
export function corkWs(socket: WebSocketLike): () => void {
  const raw = (socket as unknown as { _socket?: Partial<Corkable> })._socket;
  if (typeof raw?.cork !== "function" || typeof raw.uncork !== "function") return noop;
  raw.cork();
  return () => (raw as Corkable).uncork();
}

/** Where a `ws` socket keeps the transport it reports to (ws calls listeners with the socket as `this`). */
const EVENTS = Symbol("volley.events");

/** The part of ws's EventEmitter interface used here. */
interface WsEmitter {
  on(event: string, listener: (...args: never[]) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
  removeAllListeners(): void;
  [EVENTS]?: SocketEvents | undefined;
}

function onOpen(this: WsEmitter): void {
  // No message comes before "open": taking its place keeps ws's listener table at its small size.
  this.removeListener("open", onOpen);
  this.on("message", onMessage);
  this[EVENTS]?.socketOpened();
}

function onMessage(this: WsEmitter, data: unknown, isBinary: boolean): void {
  this[EVENTS]?.socketFrame(data, isBinary);
}

function onError(this: WsEmitter, cause: unknown): void {
  this[EVENTS]?.socketError(cause);
}

function onClose(this: WsEmitter, code: number, reason: unknown): void {
  this[EVENTS]?.socketClosed(code, reason);
}

/**
 * Listens through ws's own events: no MessageEvent per message, no wrapper per listener, the
 * same four functions for every socket, and never more than three listeners at once (a fourth
 * doubles ws's listener table, about 90 bytes per connection).
 */
export const wsListener: SocketListener = {
  listen(socket, events) {
    const ws = socket as unknown as WsEmitter;
    ws[EVENTS] = events;
    ws.on("open", onOpen);
    ws.on("error", onError);
    ws.on("close", onClose);
  },
  unlisten(socket) {
    const ws = socket as unknown as WsEmitter;
    ws[EVENTS] = undefined;
    ws.removeAllListeners();
    // ws emits "error" when a socket closed while connecting; without a listener that throws.
    ws.on("error", noop);
  },
};

/** Platform parts for `ws`: the constructor, Buffers for binary (via `fromBytes`), its own events, corked batches. */
export function wsPlatform(WebSocket: WebSocketConstructor, fromBytes: (bytes: Uint8Array) => BinaryData): Platform {
  return { WebSocket, binaryType: "nodebuffer", fromBytes, cork: corkWs, listener: wsListener };
}
