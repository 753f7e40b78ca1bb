/**
 * HTTP long-polling over `fetch` (PROTOCOL.md 1.5): exactly one GET outstanding, at most one
 * POST at a time (frames sent meanwhile wait and go together in the next one), payloads of
 * records joined by U+001E with binary as `b` + base64. Records are split here and handed on
 * as WebSocket-form frames; decoding packets is the session's job.
 *
 * No per-request timer: the session's heartbeat deadline (pingInterval + pingTimeout) bounds
 * every request while open; once closed, the GET is aborted when the close packet is through.
 */
import { isBlob, toBytes, type Frame } from "../protocol/binary.js";
import type { Base64Codec } from "../protocol/engine/base64.js";
import {
  TransportError,
  type Platform,
  type Transport,
  type TransportContext,
  type TransportFactory,
  type TransportHandlers,
} from "./transport.js";
import { webBase64 } from "./web-base64.js";

const SEPARATOR = "\x1e";
const CLOSE_RECORD = "1";
const POST_TYPE = "text/plain;charset=UTF-8";
/** Before the first response: nothing to tell the server on close. */
const UNOPENED = 0;
/** Open: closing sends the server the close packet. */
const OPEN = 1;
/** Open, but the server ended the session itself (a `1` record) or an upgrade paused us: no close packet. */
const SILENT = 2;
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
function payloadOf(frames: readonly Frame[], base64: Base64Codec): string {
  return frames.map((f) => (typeof f === "string" ? f : `b${base64.encode(toBytes(f as ArrayBuffer | ArrayBufferView))}`)).join(SEPARATOR);
}

async function readBlobs(frames: readonly Frame[]): Promise<Frame[]> {
  return Promise.all(frames.map(async (f) => (isBlob(f) ? f.arrayBuffer() : f)));
}

class PollingTransport implements Transport {
  readonly name = "polling";
  readonly payloads = true;
  private handlers: TransportHandlers | undefined;
  private state = UNOPENED;
  /** The GET and the POST in flight, if any (a closed transport may leave them set). */
  private getting: AbortController | undefined;
  private posting: AbortController | undefined;
  private waiting: Frame[] = [];
  private onPaused: (() => void) | undefined;

  constructor(private readonly context: TransportContext) {}

  get writable(): boolean {
    return !this.posting;
  }

  open(handlers: TransportHandlers): void {
    this.handlers = handlers;
    void this.poll();
  }

  send(frames: readonly Frame[]): void {
    if (this.handlers) this.write(frames);
  }

  pause(onPaused: () => void): void {
    this.onPaused = onPaused;
    this.pausing();
  }

  close(): void {
    const handlers = this.handlers;
    this.handlers = this.onPaused = undefined;
    // Tell the server the session ends (the `1` packet), after what is already on its way. The GET
    // stays until then: aborting it would end the session at the server before it read them.
    if (handlers && this.state === OPEN) this.write([CLOSE_RECORD]);
    else this.getting?.abort();
  }

  private async poll(): Promise<void> {
    const body = await this.request();
    if (body === undefined || !this.handlers) return;
    this.getting = undefined;
    if (this.state === UNOPENED) {
      this.state = OPEN;
      this.handlers.onOpen();
    }
    const platform = this.context.options.platform;
    const fromBytes = platform?.fromBytes ?? toArrayBuffer;
    const base64 = platform?.base64 ?? webBase64;
    // Each record goes on as a frame, until the engine closes us.
    for (const record of body.split(SEPARATOR)) {
      const handlers = this.handlers;
      if (!handlers) return;
      let frame: Frame = record;
      if (record === CLOSE_RECORD) this.state = SILENT;
      else if (record[0] === "b") {
        const bytes = base64.decode(record.slice(1));
        if (bytes) frame = fromBytes(bytes);
      }
      // an app listener that throws must not end the loop: it becomes an unhandled rejection, as in socket.io-client
      try {
        handlers.onFrame(frame);
      } catch (error) {
        void Promise.reject(error);
      }
    }
    if (this.handlers && !this.pausing()) void this.poll();
  }

  /** Queues `frames` and posts them now, or after the POST in flight; goes on after close (for the close packet). */
  private write(frames: readonly Frame[]): void {
    for (const f of frames) this.waiting.push(f);
    if (!this.posting) void this.post();
  }

  /**
   * Posts everything waiting, then what arrived meanwhile, until nothing waits. The close packet
   * goes alone, as in engine.io-client: socket.io handles the packets of a payload a tick after
   * the Engine.IO close in it, so a DISCONNECT posted with it would read as "transport close".
   */
  private async post(): Promise<void> {
    const frames = this.waiting;
    const close = frames.indexOf(CLOSE_RECORD);
    this.waiting = close > 0 ? frames.splice(close) : [];
    if ((await this.request(frames)) === undefined) return;
    this.posting = undefined;
    if (this.waiting.length > 0) void this.post();
    else if (!this.handlers) this.getting?.abort(); // closed, and the close packet is through
    else if (!this.pausing()) this.handlers.onDrain();
  }

  /**
   * One HTTP request, a GET or (with `frames`) a POST, held in `getting` or `posting` until the
   * caller, in the same turn as it goes on, clears it. Resolves with the body of a 200; on
   * failure the slot is freed, the transport fails (unless the request was aborted) and it
   * resolves with undefined.
   */
  private async request(frames?: readonly Frame[]): Promise<string | undefined> {
    const abort = new AbortController();
    const slot = frames ? "posting" : "getting";
    const method = frames ? "POST" : "GET";
    this[slot] = abort;
    const { options } = this.context;
    try {
      // The global fetch ignores the third argument, which the platform's takes.
      const fetchImpl = options.platform?.fetch ?? (globalThis as { fetch?: Platform["fetch"] }).fetch;
      if (!fetchImpl) throw new TransportError("ERR_POLLING_REQUEST", "no fetch on this platform");
      const headers: Record<string, string> = { ...options.extraHeaders };
      // Engine.IO servers never redirect; following one would hand extraHeaders to another origin.
      const init: RequestInit = { method, headers, redirect: "manual", signal: abort.signal };
      // otherwise fetch's default, same-origin
      if (options.withCredentials) init.credentials = "include";
      if (frames) {
        headers["Content-Type"] = POST_TYPE;
        init.body = payloadOf(frames.some(isBlob) ? await readBlobs(frames) : frames, options.platform?.base64 ?? webBase64);
      }
      // the timestamp before the sid, where engine.io-client puts it
      const url = this.context.url(options.timestampRequests === false ? "" : `&${options.timestampParam ?? "t"}=${timestamp()}`);
      const response = await fetchImpl(url, init, options);
      const text = await response.text();
      if (response.status !== 200) {
        const message = `polling ${method} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
        throw new TransportError("ERR_POLLING_STATUS", message, { status: response.status });
      }
      return text;
    } catch (cause) {
      if (!abort.signal.aborted) {
        this[slot] = undefined;
        const error = cause instanceof TransportError ? cause : new TransportError("ERR_POLLING_REQUEST", `polling ${method} failed`, { cause });
        // In a later task, as engine.io-client: the requests a page cancels as it unloads then report nothing.
        setTimeout(() => this.fail(error));
      }
      return undefined;
    }
  }

  /** Settles a pause once nothing is in flight; true while one is pending or just settled (then nothing goes on). */
  private pausing(): boolean {
    const onPaused = this.onPaused;
    if (onPaused && !this.getting && !this.posting) {
      this.onPaused = undefined;
      this.state = SILENT;
      onPaused();
      return true;
    }
    return onPaused !== undefined;
  }

  /** Ends on a failed request; as with engine.io-client, an open session still sends the server its close packet. */
  private fail(error: TransportError): void {
    const handlers = this.handlers;
    this.close();
    handlers?.onClose("transport error", error);
  }
}

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
