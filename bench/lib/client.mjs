// One client child: runs one scenario with one client and sends its figures to the parent over
// IPC, then exits. The spec comes as JSON in argv[2]:
//   { client, kind: "cpu", url, scenario, params, warmup }   a throughput scenario (warm-up run first)
//   { client, kind: "connect", url, directUrl, modes }        connect through the parent's proxy
//   { client, kind: "memory", url, connections }             idle connections (needs --expose-gc)
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loadClient } from "./clients.mjs";
import { SCENARIOS } from "./scenarios.mjs";

const spec = JSON.parse(process.argv[2]);
// The parent kills this child on a timer; these are the fallbacks if the parent itself is gone.
process.on("disconnect", () => process.exit(1));
setTimeout(() => process.exit(2), spec.ttlMs ?? 300_000).unref();
const WEBSOCKET = { transports: ["websocket"] };

async function cpu(client) {
  const socket = await client.connect(spec.url, WEBSOCKET);
  const run = SCENARIOS[spec.scenario];
  if (spec.warmup) await run(socket, { ...spec.params, ...spec.warmup });
  const figures = await run(socket, spec.params);
  socket.disconnect();
  return figures;
}

/** Asks the parent to reset the proxy counters and waits for its answer. */
function ask(message) {
  return new Promise((resolve) => {
    process.once("message", resolve);
    process.send(message);
  });
}

/** Resolves when the engine runs on WebSocket (after the upgrade in the default mode). */
function onWebsocket(socket, limitMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      const engine = socket.io?.engine;
      const name = engine?.transport?.name ?? engine?.transport;
      if (name === "websocket") return resolve(performance.now());
      if (performance.now() - started > limitMs) return resolve(undefined);
      setTimeout(check, 1);
    };
    check();
  });
}

async function connect(client) {
  const results = [];
  for (const mode of spec.modes) {
    // A first connection straight to the server loads what each client loads lazily (Node's
    // fetch, for one), so the measured one counts round trips rather than module loading.
    (await client.connect(spec.directUrl, mode.options)).disconnect();
    await ask({ type: "reset" });
    const start = performance.now();
    const socket = await client.connect(spec.url, mode.options);
    const connectMs = performance.now() - start;
    const wsAt = spec.client === "raw" ? performance.now() : await onWebsocket(socket, 5_000);
    const counters = await ask({ type: "counters" });
    results.push({ mode: mode.name, connectMs, websocketMs: wsAt === undefined ? null : wsAt - start, ...counters });
    socket.disconnect();
    await sleep(50);
  }
  return results;
}

async function memory(client) {
  const gc = globalThis.gc;
  if (typeof gc !== "function") throw new Error("memory needs --expose-gc");
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await sleep(20);
    }
    return process.memoryUsage();
  };
  const base = await settle();
  const sockets = [];
  const BATCH = 50;
  while (sockets.length < spec.connections) {
    const size = Math.min(BATCH, spec.connections - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: size }, () => client.connect(spec.url, WEBSOCKET)))));
  }
  await sleep(300);
  const after = await settle();
  const n = sockets.length;
  for (const socket of sockets) socket.disconnect();
  return { connections: n, heapBytes: (after.heapUsed - base.heapUsed) / n, rssBytes: (after.rss - base.rss) / n };
}

const KINDS = { cpu, connect, memory };

try {
  const client = await loadClient(spec.client);
  const figures = await KINDS[spec.kind](client);
  process.send({ ok: true, figures }, () => process.exit(0));
} catch (error) {
  process.send({ ok: false, error: String(error?.stack ?? error) }, () => process.exit(1));
}
