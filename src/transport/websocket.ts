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
  type TransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./transport.js";

const ignore = (): void => {};
const NODE_OPTION_KEYS = ["agent", "ca", "cert", "key", "pfx", "passphrase", "ciphers", "rejectUnauthorized"] as const;

/** The WebSocket constructor these options resolve to, if any. */
export function webSocketConstructor(options: TransportOptions): WebSocketConstructor | undefined {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  return options.WebSocket ?? global ?? options.platform?.WebSocket;
}

/** ws-style constructor options: headers, agent and TLS, for constructors that take them (Node). */
function nodeOptions(options: TransportOptions): object | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  if (options.extraHeaders) {
    out["headers"] = options.extraHeaders;
    any = true;
  }
  for (const key of NODE_OPTION_KEYS) {
    if (options[key] !== undefined) {
      out[key] = options[key];
      any = true;
    }
  }
  return any ? out : undefined;
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
    const Ctor = webSocketConstructor(options);
    if (!Ctor) {
      this.fail(new TransportError("ERR_WEBSOCKET_UNAVAILABLE", "no WebSocket implementation: pass the WebSocket option"));
      return;
    }
    const url = context.url().replace(/^http/, "ws");
    const extra = nodeOptions(options);
    let socket: WebSocketLike;
    try {
      socket = extra ? new Ctor(url, options.protocols, extra) : new Ctor(url, options.protocols);
    } catch (cause) {
      this.fail(new TransportError("ERR_WEBSOCKET", "the WebSocket could not be created", { cause }));
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
    this.fail(new TransportError("ERR_WEBSOCKET", "WebSocket error", { cause }));
  }

  /** @internal */
  socketClosed(code: number, reason: unknown): void {
    this.onSocketClose(code, String(reason));
  }

  send(frames: readonly Frame[]): void {
    const socket = this.socket;
    if (!socket) return;
    const uncork = frames.length > 1 ? this.platform?.cork?.(socket) : undefined;
    try {
      for (const frame of frames) socket.send(frame);
    } catch (cause) {
      this.fail(new TransportError("ERR_WEBSOCKET", "WebSocket send failed", { cause }));
    } finally {
      uncork?.();
    }
  }

  close(): void {
    this.handlers = undefined;
    this.release();
  }

  private onSocketClose(code: number, reason: string): void {
    if (!this.opened) {
      const message = `WebSocket closed before opening (code ${code})`;
      this.fail(new TransportError("ERR_WEBSOCKET", message, { status: code }));
      return;
    }
    const handlers = this.handlers;
    this.handlers = undefined;
    this.release();
    const error = new TransportError("ERR_WEBSOCKET", `WebSocket closed (code ${code}${reason ? `: ${reason}` : ""})`, {
      status: code,
    });
    handlers?.onClose("transport close", error);
  }

  private fail(error: TransportError): void {
    const handlers = this.handlers;
    this.handlers = undefined;
    this.release();
    handlers?.onClose("transport error", error);
  }

  private release(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
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
