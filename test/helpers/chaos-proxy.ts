/**
 * A loopback TCP proxy that misbehaves on request, for reliability tests.
 *
 * It sits between a client and a server (both on 127.0.0.1) and forwards bytes both ways.
 * A test can then add latency and seeded jitter, cap bandwidth, cut every connection (now,
 * or after N more bytes so the cut lands mid-frame), reset them (TCP RST), blackhole them
 * (connections stay open, nothing is forwarded) or refuse new ones (accepted, then reset at
 * once: the port stays ours, so a later "server back" cannot race another listener).
 *
 * Every queue is bounded (the source is paused above a high-water mark), every timer is
 * cleared by close(), and a self-stop timer closes the proxy if a test forgets to.
 */
import net from "node:net";
import { seededRandom } from "./random.js";



export interface ChaosProxyOptions {
  /** Port of the server on 127.0.0.1. */
  target: number;
  /** Seed of the jitter generator. @default 1 */
  seed?: number;
  /** The proxy closes itself after this long, so a forgotten proxy cannot hang a run. @default 120000 */
  selfStopMs?: number;
}

type Direction = "up" | "down";

/** Bytes waiting to be written one way; paused source above HIGH_WATER. */
interface Pipe {
  from: net.Socket;
  to: net.Socket;
  queue: { at: number; data: Buffer }[];
  queued: number;
  timer: NodeJS.Timeout | undefined;
  ending?: () => void;
}

interface Link {
  client: net.Socket;
  server: net.Socket;
  pipes: Record<Direction, Pipe>;
}

const HIGH_WATER = 1 << 20;

export class ChaosProxy {
  /** Connections accepted since start (refused ones included). */
  accepted = 0;
  /** Connections ended by cutAll, cutAfter, resetAll or refusal. */
  cuts = 0;
  /** Bytes forwarded client→server and server→client. */
  readonly bytes: Record<Direction, number> = { up: 0, down: 0 };

  private readonly links = new Set<Link>();
  private readonly random: () => number;
  private latency = 0;
  private jitter = 0;
  private bandwidth = 0;
  private holed = false;
  private refusing = false;
  private cutBudget: number | undefined;
  private target: number;
  private closed = false;
  private readonly selfStop: NodeJS.Timeout;

  private constructor(
    private readonly server: net.Server,
    options: ChaosProxyOptions,
  ) {
    this.target = options.target;
    this.random = seededRandom(options.seed ?? 1);
    this.selfStop = setTimeout(() => void this.close(), options.selfStopMs ?? 120_000);
    this.selfStop.unref();
    server.on("connection", (socket) => this.accept(socket));
  }

  /** Starts a proxy on 127.0.0.1, port 0, in front of `options.target`. */
  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new ChaosProxy(server, options);
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("proxy is not listening");
    return address.port;
  }

  /** `http://127.0.0.1:<port>`, the URL to give a client. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connections currently open through the proxy. */
  get active(): number {
    return this.links.size;
  }

  /** Delays every chunk by `ms` plus a seeded uniform jitter in [0, jitterMs); order is kept. */
  setLatency(ms: number, jitterMs = 0): void {
    this.latency = ms;
    this.jitter = jitterMs;
  }

  /** Caps each direction of each connection at `bytesPerSecond`; 0 removes the cap. */
  setBandwidth(bytesPerSecond: number): void {
    this.bandwidth = bytesPerSecond;
  }

  /** Forwards nothing (both ways, old and new connections) while on; TCP stays open. */
  blackhole(on: boolean): void {
    this.holed = on;
  }

  /** Sends new connections to another port, as a restarted server on a new port. */
  setTarget(port: number): void {
    this.target = port;
  }

  /** Resets every new connection at once while on. */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  /** Ends every open connection now (FIN both ways); returns how many were cut. */
  cutAll(): number {
    return this.endAll((s) => s.destroy());
  }

  /** Resets every open connection now (RST both ways); returns how many were reset. */
  resetAll(): number {
    return this.endAll((s) => s.resetAndDestroy());
  }

  /**
   * Cuts the first connection that forwards `n` more bytes (either way), after exactly those
   * bytes: a frame in flight is split. One-shot; a later call re-arms.
   */
  cutAfter(n: number): void {
    this.cutBudget = n;
  }

  /** Stops listening and destroys every connection and timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.selfStop);
    for (const link of [...this.links]) this.drop(link, (s) => s.destroy(), false);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private endAll(end: (s: net.Socket) => void): number {
    const links = [...this.links];
    for (const link of links) this.drop(link, end);
    return links.length;
  }

  private drop(link: Link, end: (s: net.Socket) => void, fault = true): void {
    if (!this.links.delete(link)) return;
    for (const pipe of Object.values(link.pipes)) clearTimeout(pipe.timer);
    if (fault) this.cuts++;
    end(link.client);
    end(link.server);
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    client.on("error", () => {});
    if (this.closed || this.refusing) {
      this.cuts++;
      client.resetAndDestroy();
      return;
    }
    const server = net.connect({ port: this.target, host: "127.0.0.1", noDelay: true });
    server.on("error", () => {});
    const link: Link = {
      client,
      server,
      pipes: { up: this.pipe(client, server), down: this.pipe(server, client) },
    };
    this.links.add(link);
    // A peer that closed may still have delayed bytes on their way: deliver them first.
    const finish = (pipe: Pipe): void => {
      if (pipe.queue.length === 0) this.drop(link, (s) => s.destroy(), false);
      else pipe.ending = () => this.drop(link, (s) => s.destroy(), false);
    };
    client.on("close", () => finish(link.pipes.up));
    server.on("close", () => finish(link.pipes.down));
    client.on("data", (data) => this.forward(link, "up", data));
    server.on("data", (data) => this.forward(link, "down", data));
  }

  private pipe(from: net.Socket, to: net.Socket): Pipe {
    return { from, to, queue: [], queued: 0, timer: undefined };
  }

  private forward(link: Link, direction: Direction, chunk: Buffer): void {
    if (this.holed || !this.links.has(link)) return;
    let data = chunk;
    let cutNow = false;
    if (this.cutBudget !== undefined) {
      if (data.length >= this.cutBudget) {
        data = data.subarray(0, this.cutBudget);
        this.cutBudget = undefined;
        cutNow = true;
      } else {
        this.cutBudget -= data.length;
      }
    }
    const pipe = link.pipes[direction];
    this.bytes[direction] += data.length;
    if (cutNow) {
      // The partial chunk goes out first, then the connection dies mid-stream.
      pipe.to.write(data, () => this.drop(link, (s) => s.destroy()));
      return;
    }
    const delay = this.delayFor(pipe, data.length);
    if (delay <= 0 && pipe.queue.length === 0) {
      if (!pipe.to.write(data)) this.pauseUntilDrain(pipe);
      return;
    }
    this.enqueue(pipe, Date.now() + delay, data);
  }

  private delayFor(pipe: Pipe, size: number): number {
    const wire = this.bandwidth > 0 ? (size * 1000) / this.bandwidth : 0;
    const jitter = this.jitter > 0 ? this.random() * this.jitter : 0;
    const last = pipe.queue[pipe.queue.length - 1];
    // Never before the chunk ahead of it: jitter must not reorder a byte stream.
    const after = last ? last.at - Date.now() : 0;
    return Math.max(this.latency + jitter, after) + wire;
  }

  private enqueue(pipe: Pipe, at: number, data: Buffer): void {
    pipe.queue.push({ at, data });
    pipe.queued += data.length;
    if (pipe.queued > HIGH_WATER) pipe.from.pause();
    if (pipe.timer === undefined) this.schedule(pipe);
  }

  private schedule(pipe: Pipe): void {
    const head = pipe.queue[0];
    if (!head || this.closed) return;
    pipe.timer = setTimeout(() => this.flush(pipe), Math.max(0, head.at - Date.now()));
  }

  private flush(pipe: Pipe): void {
    pipe.timer = undefined;
    const now = Date.now();
    // Bounded: at most the entries queued when this flush began.
    for (let n = pipe.queue.length; n > 0; n--) {
      const head = pipe.queue[0];
      if (!head || head.at > now) break;
      pipe.queue.shift();
      pipe.queued -= head.data.length;
      if (!this.holed && !pipe.to.destroyed) pipe.to.write(head.data);
    }
    if (pipe.queued <= HIGH_WATER && pipe.from.isPaused()) pipe.from.resume();
    if (pipe.queue.length === 0) pipe.ending?.();
    this.schedule(pipe);
  }

  private pauseUntilDrain(pipe: Pipe): void {
    pipe.from.pause();
    pipe.to.once("drain", () => pipe.from.resume());
  }
}
