/** Test harness for the engine: Node platform parts and a recorder of engine events. */
import { WebSocket as WS } from "ws";
import type { BinaryData } from "../../src/protocol/binary.js";
import type { Handshake } from "../../src/protocol/engine/packet.js";
import type { VolleyError } from "../../src/protocol/error.js";
import type { EngineCloseReason, EngineHandlers } from "../../src/client/engine.js";
import type { Frame } from "../../src/protocol/binary.js";
import type {
  Platform,
  Transport,
  TransportFactory,
  TransportHandlers,
  WebSocketConstructor,
} from "../../src/transport/transport.js";
import { wsPlatform } from "../../src/transport/ws-platform.js";

/** What the Node entry injects: ws, Buffers for binary. */
export const nodePlatform: Platform = wsPlatform(WS as unknown as WebSocketConstructor, (bytes) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
);

class Queue<T> {
  private items: T[] = [];
  private waiters: ((value: T) => void)[] = [];
  push(value: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.items.push(value);
  }
  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  get size(): number {
    return this.items.length;
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records what an engine reports; promises for the next message, the open, the close, the error. */
export class Recorder implements EngineHandlers {
  readonly log: string[] = [];
  private readonly messages = new Queue<string | BinaryData>();
  private readonly openD = deferred<Handshake>();
  private readonly closeD = deferred<{ reason: EngineCloseReason; cause: Error | undefined }>();
  private readonly errorD = deferred<VolleyError>();
  private readonly upgradeD = deferred<string>();
  readonly opened = this.openD.promise;
  readonly closed = this.closeD.promise;
  readonly failed = this.errorD.promise;
  readonly upgraded = this.upgradeD.promise;
  pings = 0;

  onOpen(handshake: Handshake): void {
    this.log.push("open");
    this.openD.resolve(handshake);
  }
  onMessage(data: string | BinaryData): void {
    this.messages.push(data);
  }
  onPing(): void {
    this.pings++;
  }
  onClose(reason: EngineCloseReason, cause?: Error): void {
    this.log.push(`close:${reason}`);
    this.closeD.resolve({ reason, cause });
  }
  onError(error: VolleyError): void {
    this.log.push(`error:${error.code}`);
    this.errorD.resolve(error);
  }
  onUpgrade(name: string): void {
    this.log.push(`upgrade:${name}`);
    this.upgradeD.resolve(name);
  }
  /** The next message received. */
  message(): Promise<string | BinaryData> {
    return this.messages.next();
  }
  /** Messages received and not yet taken. */
  get queued(): number {
    return this.messages.size;
  }
}

/** An in-memory transport whose server side the test drives by hand. */
export class MemoryTransport implements Transport {
  readonly sent: Frame[][] = [];
  handlers: TransportHandlers | undefined;
  closed = false;
  writable?: boolean;
  readonly payloads?: boolean;
  pause?: (onPaused: () => void) => void;
  pausedWith: (() => void) | undefined;

  constructor(
    readonly name: string,
    readonly url: string,
    options: { pausable?: boolean; payloads?: boolean },
  ) {
    if (options.payloads) this.payloads = true;
    if (options.pausable) this.pause = (onPaused) => (this.pausedWith = onPaused);
  }
  open(handlers: TransportHandlers): void {
    this.handlers = handlers;
  }
  send(frames: readonly Frame[]): void {
    this.sent.push([...frames]);
  }
  close(): void {
    this.closed = true;
    this.handlers = undefined;
  }
  /** Everything sent, flattened. */
  get frames(): Frame[] {
    return this.sent.flat();
  }
  // The server side:
  accept(): void {
    this.handlers?.onOpen();
  }
  push(...frames: Frame[]): void {
    for (const f of frames) this.handlers?.onFrame(f);
  }
  drop(reason: "transport close" | "transport error", error?: Error): void {
    const h = this.handlers;
    this.handlers = undefined;
    h?.onClose(reason, error);
  }
}

/** Transport values backed by {@link MemoryTransport}s; `created` lists them in order. */
export class MemoryNetwork {
  readonly created: MemoryTransport[] = [];
  factory(name: string, options: { pausable?: boolean; payloads?: boolean } = {}): TransportFactory {
    return {
      name,
      create: (context) => {
        const t = new MemoryTransport(name, context.url(), options);
        this.created.push(t);
        return t;
      },
    };
  }
  last(name?: string): MemoryTransport {
    const list = name ? this.created.filter((t) => t.name === name) : this.created;
    const t = list[list.length - 1];
    if (!t) throw new Error(`no ${name ?? ""} transport created`);
    return t;
  }
  /** Transports not closed yet. */
  get live(): MemoryTransport[] {
    return this.created.filter((t) => !t.closed);
  }
}

/** Waits (polling every 5 ms) until `check` holds; the test timeout bounds it. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

/** Resolves at the first answered ping; fails at once if the engine closed before. */
export async function firstPing(rec: Recorder): Promise<void> {
  let closed = false;
  void rec.closed.then(() => (closed = true));
  while (rec.pings < 1) {
    if (closed) throw new Error(`closed before the first ping: ${rec.log.join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
