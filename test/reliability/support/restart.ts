/**
 * Scenario 4, shared by the fast and heavy suites: many clients behind the chaos proxy, the
 * server "crashes" (every connection cut, new ones refused) and a fresh server takes its
 * place. Clients keep their default backoff (1000 ms, factor 0.5), so the reconnect attempts
 * show how well jitter spreads the herd.
 */
import { ChaosProxy } from "../../helpers/chaos-proxy.js";
import { io } from "./client.js";
import { startSocketIo, type RunningServer } from "./servers.js";
import { next, until } from "./wait.js";

export interface RestartFigures {
  clients: number;
  reconnected: number;
  /** Milliseconds from the crash to each client's first reconnect attempt. */
  attempts: number[];
  /** Milliseconds from the crash to each connection reaching the new server. */
  arrivals: number[];
  /** Reconnect events per client (1 each when nothing flapped). */
  reconnectsPerClient: number[];
  ms: number;
}

/** Counts per slice when [min, max] of `xs` is cut into `slices` equal parts. */
export function histogram(xs: readonly number[], slices = 10): number[] {
  const min = Math.min(...xs);
  const width = (Math.max(...xs) - min) / slices || 1;
  const counts = new Array<number>(slices).fill(0);
  for (const x of xs) {
    const i = Math.min(slices - 1, Math.floor((x - min) / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

export async function restartHerd(clients: number, transports: string[]): Promise<RestartFigures> {
  let server: RunningServer = await startSocketIo();
  const proxy = await ChaosProxy.start({ target: server.port });
  const sockets: ReturnType<typeof io>[] = [];
  try {
    for (let i = 0; i < clients; i += 50) {
      const batch = Array.from({ length: Math.min(50, clients - i) }, () =>
        io(proxy.url, { forceNew: true, transports }),
      );
      sockets.push(...batch);
      await Promise.all(batch.map((s) => next(s, "connect", 30_000)));
    }
    const attempts: number[] = [];
    const reconnectsPerClient = sockets.map(() => 0);
    let crashAt = 0;
    sockets.forEach((s, i) => {
      let first = true;
      s.io.on("reconnect_attempt", () => {
        if (first) attempts.push(performance.now() - crashAt);
        first = false;
      });
      s.io.on("reconnect", () => (reconnectsPerClient[i] = (reconnectsPerClient[i] ?? 0) + 1));
    });

    proxy.refuse(true);
    crashAt = performance.now();
    proxy.cutAll();
    await server.close();
    server = await startSocketIo();
    const arrivals: number[] = [];
    server.io.on("connection", () => arrivals.push(performance.now() - crashAt));
    proxy.setTarget(server.port);
    proxy.refuse(false);

    await until(() => sockets.every((s) => s.connected) && arrivals.length >= clients, 60_000, "every client back");
    const ms = Math.round(performance.now() - crashAt);
    return {
      clients,
      reconnected: sockets.filter((s) => s.connected).length,
      attempts,
      arrivals,
      reconnectsPerClient,
      ms,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await proxy.close();
    await server.close();
  }
}
