/**
 * Scenario 1, shared by the fast and the heavy suite: many emits with `ackTimeout` + `retries`
 * from one socket while the chaos proxy cuts the connection at seeded points (mid-frame cuts,
 * clean cuts and resets, in turn). The server acknowledges every receipt and deduplicates by a
 * client-side message id, as an app would. The figures returned are what the tests assert on.
 */
import { expect } from "vitest";
import { io } from "./client.js";
import { ChaosProxy } from "../../helpers/chaos-proxy.js";
import { seededRandom } from "../../helpers/random.js";
import { startReferenceServer } from "../../helpers/reference-server.js";
import { startSocketIoServer } from "../../helpers/socketio-server.js";
import { isTypedError } from "./servers.js";
import { next, sleep } from "./wait.js";

export interface StormOptions {
  transports: string[];
  emits: number;
  cuts: number;
  seed: number;
  /** The server behind the proxy. @default "socket.io" */
  server?: "socket.io" | "reference";
}

/** What both servers offer for this scenario (the reference server mirrors socket.io). */
interface StormServer {
  on(event: "connection", fn: (socket: { on(event: "m", fn: (msg: Message, ack: (seq: number) => void) => void): unknown }) => void): unknown;
}

export interface StormFigures {
  emits: number;
  cuts: number;
  reconnects: number;
  /** Every EVENT the server handled, in arrival order (duplicates included). */
  receipts: number[];
  duplicates: number;
  /** What the app saw after deduplication by message id. */
  delivered: number[];
  /** How many times each emit's ack callback or promise settled. */
  settleCounts: number[];
  values: number;
  errors: unknown[];
  wrongValues: number;
  ms: number;
}

interface Message {
  id: string;
  seq: number;
}

/** Seeded distinct receipt counts at which a cut is armed. */
function cutPoints(random: () => number, emits: number, cuts: number): Set<number> {
  const points = new Set<number>();
  while (points.size < cuts) points.add(1 + Math.floor(random() * (emits - 1)));
  return points;
}

export async function ackStorm(o: StormOptions): Promise<StormFigures> {
  const random = seededRandom(o.seed);
  const server = o.server === "reference" ? await startReferenceServer() : await startSocketIoServer();
  const proxy = await ChaosProxy.start({ target: server.port, seed: o.seed });
  const armAt = cutPoints(random, o.emits, o.cuts);
  const receipts: number[] = [];
  const seen = new Set<string>();
  const delivered: number[] = [];
  let armed = 0;
  (server.io as unknown as StormServer).on("connection", (s) => {
    s.on("m", (msg, ack) => {
      receipts.push(msg.seq);
      if (!seen.has(msg.id)) {
        seen.add(msg.id);
        delivered.push(msg.seq);
      }
      ack(msg.seq);
      if (!armAt.delete(receipts.length)) return;
      // Rotate the kind of fault: inside the next frame (often this very ack), between frames, RST.
      const kind = armed++ % 3;
      if (kind === 0) proxy.cutAfter(1 + Math.floor(random() * 40));
      else setImmediate(() => (kind === 1 ? proxy.cutAll() : proxy.resetAll()));
    });
  });

  const socket = io(proxy.url, {
    forceNew: true,
    transports: o.transports,
    ackTimeout: 2000,
    retries: 20,
    reconnectionDelay: 20,
    reconnectionDelayMax: 100,
  });
  let reconnects = 0;
  socket.io.on("reconnect", () => reconnects++);
  const settleCounts = new Array<number>(o.emits).fill(0);
  const errors: unknown[] = [];
  let values = 0;
  let wrongValues = 0;
  const settle = (seq: number, err: unknown, value: unknown): void => {
    settleCounts[seq] = (settleCounts[seq] ?? 0) + 1;
    if (err) errors.push(err);
    else if (value === seq) values++;
    else wrongValues++;
  };
  try {
    await next(socket, "connect", 10_000);
    const started = performance.now();
    const all: Promise<void>[] = [];
    for (let seq = 0; seq < o.emits; seq++) {
      const msg: Message = { id: `client-1:${seq}`, seq };
      // Half through the promise API, half through callbacks: both must settle exactly once.
      if (seq % 2 === 0) {
        all.push(socket.emitWithAck("m", msg).then((v: unknown) => settle(seq, null, v), (e: unknown) => settle(seq, e, undefined)));
      } else {
        all.push(new Promise<void>((done) => socket.emit("m", msg, (err: unknown, v: unknown) => (settle(seq, err, v), done()))));
      }
    }
    await Promise.all(all);
    const ms = Math.round(performance.now() - started);
    await sleep(100); // a late second settlement would show up here
    const duplicates = receipts.length - seen.size;
    return { emits: o.emits, cuts: proxy.cuts, reconnects, receipts, duplicates, delivered, settleCounts, values, errors, wrongValues, ms };
  } finally {
    socket.disconnect();
    await proxy.close();
    await server.close();
  }
}

/** True when `xs` never goes down: retries may repeat a message, never reorder them. */
export function nonDecreasing(xs: readonly number[]): boolean {
  return xs.every((x, i) => i === 0 || x >= (xs[i - 1] ?? x));
}

/** Prints the figures and asserts the invariants of scenario 1. */
export function expectStormInvariants(label: string, o: StormOptions, f: StormFigures): void {
  console.info(
    `[${label} ${o.server ?? "socket.io"} ${o.transports.join("+")}] emits ${f.emits}, cuts ${f.cuts}, reconnects ${f.reconnects}, ` +
      `receipts ${f.receipts.length}, duplicates ${f.duplicates}, errors ${f.errors.length}, ${f.ms} ms`,
  );
  expect(f.cuts).toBeGreaterThanOrEqual(o.cuts);
  expect(f.reconnects).toBeGreaterThanOrEqual(1);
  // Every emit reached the server at least once; the app saw each exactly once, in send order.
  expect(new Set(f.receipts).size).toBe(o.emits);
  expect(f.delivered).toEqual(Array.from({ length: o.emits }, (_, i) => i));
  expect(nonDecreasing(f.receipts)).toBe(true);
  // Every ack settled exactly once, with its own value or a typed error.
  expect(f.settleCounts.filter((n) => n !== 1)).toEqual([]);
  expect(f.wrongValues).toBe(0);
  expect(f.values + f.errors.length).toBe(o.emits);
  expect(f.errors.filter((e) => !isTypedError(e))).toEqual([]);
}
