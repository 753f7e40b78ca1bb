/**
 * Scenario 5 helpers: connect/disconnect cycles and forced reconnect cycles against the real
 * socket.io server, plus the two ways leaks are counted: Node's active resources (sockets,
 * timers, servers) and the heap after a full collection (needs --expose-gc).
 */
import { systemClock, type Cancel, type Clock } from "../../../src/client/clock.js";
import { ChaosProxy } from "../../helpers/chaos-proxy.js";
import { io } from "./client.js";
import { next, sleep } from "./wait.js";

/** The system clock, counting the timers it has scheduled and that neither ran nor were cancelled. */
export class CountingClock implements Clock {
  outstanding = 0;
  scheduled = 0;

  now(): number {
    return systemClock.now();
  }

  schedule(delay: number, fn: () => void): Cancel {
    this.outstanding++;
    this.scheduled++;
    let live = true;
    const settle = (): void => {
      if (live) this.outstanding--;
      live = false;
    };
    const cancel = systemClock.schedule(delay, () => {
      settle();
      fn();
    });
    return () => {
      settle();
      cancel();
    };
  }
}

/** Resource kinds that a client could leak. */
const WATCHED = ["TCPSocketWrap", "TCPServerWrap", "Timeout", "Immediate", "FSReqCallback", "HTTPClientRequest"];

export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (WATCHED.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Resources above `baseline` still active, after waiting up to `ms` for closes to land. */
export async function leftover(baseline: Record<string, number>, ms = 3000): Promise<Record<string, number>> {
  const end = Date.now() + ms;
  for (;;) {
    const now = activeResources();
    const extra: Record<string, number> = {};
    for (const [kind, n] of Object.entries(now)) if (n > (baseline[kind] ?? 0)) extra[kind] = n - (baseline[kind] ?? 0);
    if (Object.keys(extra).length === 0 || Date.now() > end) return extra;
    await sleep(20);
  }
}

/** Heap in use after full collections; a lower bound that ignores garbage not yet collected. */
export async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (the reliability config does)");
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(10);
  }
  return process.memoryUsage().heapUsed;
}

/** `n` full lives of a client: connect, one acked emit, disconnect. */
export async function connectCycles(url: string, n: number, transports: string[], clock: Clock = systemClock): Promise<void> {
  for (let i = 0; i < n; i++) {
    const socket = io(url, { forceNew: true, transports, clock });
    await next(socket, "connect", 10_000);
    await socket.timeout(5000).emitWithAck("echo", i);
    socket.disconnect();
  }
}

/**
 * One client whose connection is broken `n` times; each time it must come back. Over websocket
 * the proxy cuts the TCP connection; over polling a cut between two requests goes unnoticed
 * (the next request opens a new connection), so the server closes the Engine.IO session.
 */
export async function forcedReconnectCycles(
  proxy: ChaosProxy,
  n: number,
  transports: string[],
  clock: Clock = systemClock,
): Promise<number> {
  const socket = io(proxy.url, { forceNew: true, transports, reconnectionDelay: 5, reconnectionDelayMax: 10, clock });
  const force = (): void => {
    if (transports.includes("polling")) socket.emit("kick");
    else proxy.cutAll();
  };
  let reconnects = 0;
  socket.io.on("reconnect", () => reconnects++);
  try {
    await next(socket, "connect", 10_000);
    for (let i = 0; i < n; i++) {
      const back = next(socket, "connect", 10_000);
      force();
      await back;
      await socket.timeout(5000).emitWithAck("echo", i);
    }
    return reconnects;
  } finally {
    socket.disconnect();
  }
}
