/**
 * The WebSocket transport: one Engine.IO packet per WebSocket message (PROTOCOL.md 1.6). Uses
 * the `WebSocket` option, else the global WebSocket, else the platform's (ws in Node 20).
 */
import type { Frame } from "../protocol/binary.js";
import {
  TransportError,
  type Platform,
  type Transport,
  type TransportContext,
  type TransportFactory,
  type TransportHandlers,
  type SocketEvents,
  type SocketListener,
  type TransportCloseReason,
  type TransportErrorCode,
  type TransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./transport.js";

const ignore = (): void => {};
const NODE_OPTION_KEYS = ["agent", "ca", "cert", "key", "pfx", "passphrase", "ciphers", "rejectUnauthorized"] as const;

/** ws-style constructor options: headers, agent and TLS, for constructors that take them (Node); undefined when none is set. */
function nodeOptions(options: TransportOptions): object | undefined {
  let out: Record<string, unknown> | undefined;
  if (options.extraHeaders) out = { headers: options.extraHeaders };
  for (const key of NODE_OPTION_KEYS) {
    if (options[key] !== undefined) (out ??= {})[key] = options[key];
  }
  return out;
}

/** The portable way: the on* attributes. */
const attributeListener: SocketListener = {
  listen(socket, events) {
    socket.onopen = () => events.socketOpened();
    socket.onmessage = (event) => events.socketFrame(event.data);
    socket.onerror = () => events.socketError();
    socket.onclose = (event) => events.socketClosed(event.code, event.reason);
  },
  unlisten(socket) {
    socket.onopen = socket.onmessage = socket.onclose = null;
    // ws (Node) throws an unhandled "error" when a socket closed while connecting has no listener.
    socket.onerror = ignore;
  },
};

class WebSocketTransport implements Transport, SocketEvents {
  private socket: WebSocketLike | undefined;
  private handlers: TransportHandlers | undefined;
  private opened = false;
  /** Only until `open`: nothing of it is needed afterwards. */
  private context: TransportContext | undefined;
  /** The platform's hooks, when the socket is the platform's own WebSocket. */
  private platform: Platform | undefined;

  constructor(context: TransportContext) {
    this.context = context;
  }

  get name(): string {
    return "websocket";
  }

  open(handlers: TransportHandlers): void {
    this.handlers = handlers;
    const context = this.context as TransportContext;
    this.context = undefined;
    const { options } = context;
    // The WebSocket option, else the global one, else the platform's.
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? options.platform?.WebSocket;
    if (!Ctor) {
      this.end("transport error", "no WebSocket implementation: pass the WebSocket option", undefined, "ERR_WEBSOCKET_UNAVAILABLE");
      return;
    }
    let socket: WebSocketLike;
    try {
      // Browsers ignore the third argument; ws takes its options there.
      socket = new Ctor(context.url().replace(/^http/, "ws"), options.protocols, nodeOptions(options));
    } catch (cause) {
      this.end("transport error", "the WebSocket could not be created", { cause });
      return;
    }
    this.socket = socket;
    // The platform's hooks know its own WebSocket only, not one passed in the options.
    const platform = Ctor === options.platform?.WebSocket ? options.platform : undefined;
    this.platform = platform;
    socket.binaryType = platform?.binaryType ?? "arraybuffer";
    (platform?.listener ?? attributeListener).listen(socket, this);
  }

  /** @internal */
  socketOpened(): void {
    this.opened = true;
    this.handlers?.onOpen();
  }

  /** @internal */
  socketFrame(data: unknown, isBinary?: boolean): void {
    this.handlers?.onFrame(isBinary === false ? String(data) : (data as Frame));
  }

  /** @internal */
  socketError(cause?: unknown): void {
    this.end("transport error", "WebSocket error", { cause });
  }

  /** @internal */
  socketClosed(code: number, reason: unknown): void {
    const text = String(reason);
    if (this.opened) this.end("transport close", `WebSocket closed (code ${code}${text ? `: ${text}` : ""})`, { status: code });
    else this.end("transport error", `WebSocket closed before opening (code ${code})`, { status: code });
  }

  send(frames: readonly Frame[]): void {
    const socket = this.socket;
    if (!socket) return;
    const uncork = frames.length > 1 ? this.platform?.cork?.(socket) : undefined;
    try {
      for (const frame of frames) socket.send(frame);
    } catch (cause) {
      this.end("transport error", "WebSocket send failed", { cause });
    } finally {
      uncork?.();
    }
  }

  close(): void {
    const socket = this.socket;
    this.handlers = this.socket = undefined;
    if (!socket) return;
    (this.platform?.listener ?? attributeListener).unlisten(socket);
    // CONNECTING (0) or OPEN (1): close it; a socket still connecting is closed when it opens.
    if (socket.readyState <= 1) {
      try {
        socket.close();
      } catch {
        // Closing a socket that is already failing may throw in some implementations; it is gone either way.
      }
    }
  }

  /** Releases the socket and reports the end, with the one error that says why. */
  private end(
    reason: TransportCloseReason,
    message: string,
    options?: { cause?: unknown; status?: number },
    code: TransportErrorCode = "ERR_WEBSOCKET",
  ): void {
    const handlers = this.handlers;
    this.close();
    handlers?.onClose(reason, new TransportError(code, message, options));
  }
}

/**
 * The WebSocket transport value, for the `transports` option.
 *
 * @example
 * io("https://example.com", { transports: [websocket] });
 */
export const websocket: TransportFactory = {
  name: "websocket",
  create: (context) => new WebSocketTransport(context),
};
