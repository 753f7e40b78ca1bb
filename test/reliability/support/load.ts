/**
 * Scenario 6: many concurrent clients in this process, each sending `perClient` messages and
 * receiving one reply per message, in bounded time. Every message is accounted for on both
 * sides, and the figures (heap and RSS per connection, message rate) are returned.
 */
import { io } from "./client.js";
import { heapAfterGc } from "./leaks.js";
import { next, until } from "./wait.js";

export interface LoadOptions {
  url: string;
  clients: number;
  perClient: number;
  transports: string[];
  /** Messages the server counted so far. */
  serverReceived(): Promise<number>;
}

export interface LoadFigures {
  clients: number;
  sent: number;
  serverReceived: number;
  clientReceived: number;
  /** Clients whose replies arrived out of order or with a wrong count. */
  badClients: number;
  disconnects: number;
  connectMs: number;
  exchangeMs: number;
  messagesPerSecond: number;
  heapPerClient: number;
  rssPerClient: number;
}

const BATCH = 500;

export async function loadRun(o: LoadOptions): Promise<LoadFigures> {
  const heap0 = await heapAfterGc();
  const rss0 = process.memoryUsage().rss;
  const sockets: ReturnType<typeof io>[] = [];
  const replies: number[][] = [];
  let disconnects = 0;
  try {
    const t0 = performance.now();
    for (let i = 0; i < o.clients; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, o.clients - i) }, () =>
        io(o.url, { forceNew: true, transports: o.transports, timeout: 60_000 }),
      );
      await Promise.all(batch.map((s) => next(s, "connect", 60_000)));
      for (const s of batch) {
        const mine: number[] = [];
        replies.push(mine);
        s.on("r", (n: number) => mine.push(n));
        s.on("disconnect", () => disconnects++);
        sockets.push(s);
      }
    }
    const connectMs = Math.round(performance.now() - t0);
    const heap1 = await heapAfterGc();
    const rss1 = process.memoryUsage().rss;

    const t1 = performance.now();
    for (let k = 0; k < o.perClient; k++) for (const s of sockets) s.emit("m", k);
    const total = o.clients * o.perClient;
    let received = 0;
    await until(
      () => (received = replies.reduce((sum, r) => sum + r.length, 0)) >= total,
      240_000,
      `all ${total} replies`,
    );
    const exchangeMs = Math.round(performance.now() - t1);
    const serverReceived = await o.serverReceived();
    const badClients = replies.filter((r) => r.length !== o.perClient || r.some((n, i) => n !== i)).length;
    return {
      clients: o.clients,
      sent: total,
      serverReceived,
      clientReceived: received,
      badClients,
      disconnects,
      connectMs,
      exchangeMs,
      messagesPerSecond: Math.round((2 * total * 1000) / Math.max(1, exchangeMs)),
      heapPerClient: Math.round((heap1 - heap0) / o.clients),
      rssPerClient: Math.round((rss1 - rss0) / o.clients),
    };
  } finally {
    for (const s of sockets) s.disconnect();
  }
}

/** One line for the report. */
export function describeLoad(label: string, f: LoadFigures): string {
  return (
    `[load ${label}] ${f.clients} clients connected in ${f.connectMs} ms; ${f.sent} messages sent, ` +
    `${f.serverReceived} received by the server, ${f.clientReceived} replies received, in ${f.exchangeMs} ms ` +
    `(${f.messagesPerSecond} msg/s both ways); heap ${(f.heapPerClient / 1024).toFixed(1)} KiB and ` +
    `RSS ${(f.rssPerClient / 1024).toFixed(1)} KiB per connection; disconnects ${f.disconnects}`
  );
}
