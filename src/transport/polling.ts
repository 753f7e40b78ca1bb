/**
 * HTTP long-polling over `fetch` (PROTOCOL.md 1.5): exactly one GET outstanding, at most one
 * POST at a time (frames sent meanwhile wait and go together in the next one), payloads of
 * records joined by U+001E with binary as `b` + base64. Records are split here and handed on
 * as WebSocket-form frames; decoding packets is the session's job.
 *
 * No per-request timer: the session's heartbeat deadline (pingInterval + pingTimeout) bounds
 * every request, and closing aborts them all.
 */
import { isBlob, toBytes, type Frame } from "../protocol/binary.js";
import type { Base64Codec } from "../protocol/engine/base64.js";
import {
  TransportError,
  type PollingResponse,
  type Transport,
  type TransportContext,
  type TransportFactory,
  type TransportHandlers,
} from "./transport.js";
import { webBase64 } from "./web-base64.js";

const SEPARATOR = "\x1e";
const LOWER_B = 98;
const CLOSE_RECORD = "1";
const POST_TYPE = "text/plain;charset=UTF-8";
let requestCount = 0;

/** A cache-busting value unique per request (base-36 time and a counter). */
function timestamp(): string {
  return Date.now().toString(36) + (requestCount++).toString(36);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** A POST body: text frames as they are, binary ones (Blobs already read) as `b` + base64. */
function payloadOf(frames: readonly Frame[], base64: Base64Codec = webBase64): string {
  return frames.map((f) => (typeof f === "string" ? f : `b${base64.encode(toBytes(f as ArrayBuffer | ArrayBufferView))}`)).join(SEPARATOR);
}

async function readBlobs(frames: readonly Frame[]): Promise<Frame[]> {
  return Promise.all(frames.map(async (f) => (isBlob(f) ? f.arrayBuffer() : f)));
}

class PollingTransport implements Transport {
  readonly name = "polling";
  readonly payloads = true;
  writable = true;
  private handlers: TransportHandlers | undefined;
  private opened = false;
  private closed = false;
  private getAbort: AbortController | undefined;
  private postAbort: AbortController | undefined;
  private posting: Promise<void> | undefined;
  private waiting: Frame[] = [];
  private onPaused: (() => void) | undefined;
  private paused = false;
  /** The server ended the session itself (a `1` record): no need to tell it. */
  private serverClosed = false;

  constructor(private readonly context: TransportContext) {}

  open(handlers: TransportHandlers): void {
    this.handlers = handlers;
    void this.poll();
  }

  send(frames: readonly Frame[]): void {
    if (this.closed || frames.length === 0) return;
    if (this.posting) {
      for (const f of frames) this.waiting.push(f);
      return;
    }
    this.writable = false;
    this.posting = this.post(frames);
  }

  pause(onPaused: () => void): void {
    this.onPaused = onPaused;
    this.checkPaused();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers = undefined;
    this.onPaused = undefined;
    this.getAbort?.abort();
    this.getAbort = undefined;
    // Tell the server the session ends (the `1` packet), after what is already on its way.
    if (this.opened && !this.paused && !this.serverClosed) {
      const rest = [...this.waiting, CLOSE_RECORD];
      this.waiting = [];
      void (this.posting ?? Promise.resolve()).then(() => this.request("POST", payloadOf(rest, this.context.options.platform?.base64)).catch(ignore));
    }
  }

  private async poll(): Promise<void> {
    const abort = new AbortController();
    this.getAbort = abort;
    let body: string;
    try {
      body = await this.request("GET", undefined, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) this.fail(error, "polling request failed");
      return;
    }
    if (this.closed) return;
    this.getAbort = undefined;
    if (!this.opened) {
      this.opened = true;
      this.handlers?.onOpen();
    }
    this.deliver(body);
    if (this.closed) return;
    if (this.onPaused) this.checkPaused();
    else void this.poll();
  }

  /** Hands each record on as a frame; stops as soon as the engine closed us. */
  private deliver(body: string): void {
    const platform = this.context.options.platform;
    const fromBytes = platform?.fromBytes ?? toArrayBuffer;
    const base64 = platform?.base64 ?? webBase64;
    let start = 0;
    for (;;) {
      const handlers = this.handlers;
      if (!handlers) return;
      const end = body.indexOf(SEPARATOR, start);
      const record = end === -1 ? body.slice(start) : body.slice(start, end);
      let frame: Frame = record;
      if (record === CLOSE_RECORD) this.serverClosed = true;
      else if (record.charCodeAt(0) === LOWER_B) {
        const bytes = base64.decode(record.slice(1));
        if (bytes) frame = fromBytes(bytes);
      }
      handlers.onFrame(frame);
      if (end === -1) return;
      start = end + 1;
    }
  }

  private async post(frames: readonly Frame[]): Promise<void> {
    const abort = new AbortController();
    this.postAbort = abort;
    try {
      const ready = frames.some(isBlob) ? await readBlobs(frames) : frames;
      if (this.closed) return;
      await this.request("POST", payloadOf(ready, this.context.options.platform?.base64), abort.signal);
    } catch (error) {
      if (!abort.signal.aborted && !this.closed) this.fail(error, "polling POST failed");
      return;
    } finally {
      this.postAbort = undefined;
      this.posting = undefined;
    }
    if (this.closed) return;
    if (this.waiting.length > 0) {
      const next = this.waiting;
      this.waiting = [];
      this.posting = this.post(next);
      return;
    }
    this.writable = true;
    if (this.onPaused) this.checkPaused();
    else this.handlers?.onDrain();
  }

  /** One HTTP request; resolves with the body of a 200, rejects with a TransportError otherwise. */
  private async request(method: "GET" | "POST", body: string | undefined, signal?: AbortSignal): Promise<string> {
    const { options } = this.context;
    const platformFetch = options.platform?.fetch;
    const fetchImpl = (globalThis as { fetch?: typeof fetch }).fetch;
    if (!platformFetch && !fetchImpl) throw new TransportError("ERR_POLLING_REQUEST", "fetch is not available on this platform");
    let url = this.context.url();
    if (options.timestampRequests !== false) url += `&${options.timestampParam ?? "t"}=${timestamp()}`;
    const headers: Record<string, string> = { ...options.extraHeaders };
    if (body !== undefined) headers["Content-Type"] = POST_TYPE;
    // Engine.IO servers never redirect; following one would hand extraHeaders to another origin.
    const init: RequestInit = {
      method,
      headers,
      credentials: options.withCredentials ? "include" : "same-origin",
      redirect: "manual",
    };
    if (body !== undefined) init.body = body;
    if (signal) init.signal = signal;
    let response: PollingResponse;
    try {
      response = await (platformFetch ? platformFetch(url, init, options) : (fetchImpl as typeof fetch)(url, init));
    } catch (cause) {
      throw new TransportError("ERR_POLLING_REQUEST", `polling ${method} failed`, { cause });
    }
    const text = await response.text();
    if (response.status !== 200) {
      const message = `polling ${method} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      throw new TransportError("ERR_POLLING_STATUS", message, { status: response.status });
    }
    return text;
  }

  private checkPaused(): void {
    if (!this.onPaused || this.getAbort || this.posting) return;
    const onPaused = this.onPaused;
    this.onPaused = undefined;
    this.paused = true;
    onPaused();
  }

  private fail(error: unknown, message: string): void {
    const handlers = this.handlers;
    this.closed = true;
    this.handlers = undefined;
    this.onPaused = undefined;
    this.getAbort?.abort();
    this.postAbort?.abort();
    const failure = error instanceof TransportError ? error : new TransportError("ERR_POLLING_REQUEST", message, { cause: error });
    handlers?.onClose("transport error", failure);
  }
}

function ignore(): void {}

/**
 * The HTTP long-polling transport value, for the `transports` option.
 *
 * @example
 * io("https://example.com", { transports: [polling] });
 */
export const polling: TransportFactory = {
  name: "polling",
  create: (context) => new PollingTransport(context),
};
