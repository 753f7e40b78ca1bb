#!/usr/bin/env node
// Client benchmark: volley against socket.io-client 4.8 and a raw `ws` floor, all talking to a
// real socket.io 4.8 server in its own process. Each client runs each scenario in its own child
// process; clients are interleaved within a repetition, their order rotated between repetitions;
// medians and paired ratios are reported and written to bench/RESULTS.md (clients block).
//
//   npm run bench                       build, then the full run (a few minutes)
//   node bench/run.mjs --quick          smoke run: small counts, one repetition (seconds)
//   node bench/run.mjs --only=s2c,acks  some scenarios: s2c c2s acks binary connect memory size
//   node bench/run.mjs --reps=7         repetitions (default 5, quick 1)
//   node bench/run.mjs --clients=raw,socket.io-client   some clients only
//   node bench/run.mjs --no-write       print only, leave RESULTS.md alone
//   node bench/run.mjs --profile=DIR    write a .cpuprofile of every throughput child to DIR
//                                       (summarise one with bench/profile-summary.mjs)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, runClient } from "./lib/children.mjs";
import { CLIENTS, VOLLEY_BUILD } from "./lib/clients.mjs";
import { startDelayProxy } from "./lib/proxy.mjs";
import { measureSizes } from "./lib/size.mjs";
import { writeResults } from "./lib/report.mjs";
import { renderResults } from "./lib/tables.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const QUICK = args.includes("--quick");
const WRITE = !args.includes("--no-write");
const REPS = Number(flag("reps") ?? (QUICK ? 1 : 5));
const PROFILE = flag("profile");
const ONLY = flag("only")?.split(",");
const SELECTED = flag("clients")?.split(",") ?? CLIENTS;
const DELAY_MS = 25;
const TOTAL_LIMIT_MS = QUICK ? 120_000 : 600_000;
const CHILD_LIMIT_MS = QUICK ? 30_000 : 120_000;

const k = (full, quick) => (QUICK ? quick : full);
/** Throughput scenarios: `n` events through one connection, client CPU per event. */
const THROUGHPUT = [
  { id: "s2c", group: "s2c", scenario: "s2c", params: { n: k(200_000, 5_000), binary: false, window: 2_000 } },
  { id: "c2s", group: "c2s", scenario: "c2s", params: { n: k(100_000, 3_000), binary: false, window: 2_000, every: 500, batch: 100 } },
  { id: "acks100", group: "acks", scenario: "acks", params: { n: k(20_000, 1_000), inflight: 100 } },
  { id: "acks1", group: "acks", scenario: "acks", params: { n: k(20_000, 500), inflight: 1 } },
  { id: "bin-s2c", group: "binary", scenario: "s2c", params: { n: k(10_000, 300), binary: true, window: 200 } },
  { id: "bin-c2s", group: "binary", scenario: "c2s", params: { n: k(10_000, 300), binary: true, window: 200, every: 50, batch: 20 } },
];
const CONNECT_MODES = [
  { name: "default", options: {}, clients: ["volley", "socket.io-client"] },
  { name: "websocket-only", options: { transports: ["websocket"] }, clients: CLIENTS },
  { name: "websocket-first", options: { websocketFirst: true }, clients: ["volley"] },
];
const MEMORY_CONNECTIONS = k(2_000, 100);
const wanted = (group) => ONLY === undefined || ONLY.includes(group);
const GROUPS = ["s2c", "c2s", "acks", "binary", "connect", "memory", "size"];
const unknown = [...(ONLY ?? []).filter((g) => !GROUPS.includes(g)), ...SELECTED.filter((c) => !CLIENTS.includes(c))];
if (unknown.length > 0) {
  console.error(`bench: unknown ${unknown.join(", ")} (scenarios: ${GROUPS.join(" ")}; clients: ${CLIENTS.join(" ")})`);
  process.exit(2);
}

const started = Date.now();
const overall = setTimeout(() => {
  console.error(`bench: not done within ${TOTAL_LIMIT_MS / 1000} s, giving up`);
  process.exit(3);
}, TOTAL_LIMIT_MS);
const errors = [];
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

/** Runs `body(client, rep)` for every repetition and client (rotated order); collects per client per rep. */
async function repeat(label, clients, body) {
  const series = Object.fromEntries(clients.map((c) => [c, []]));
  for (let rep = 0; rep < REPS; rep++) {
    for (const client of rotate(clients, rep)) {
      try {
        series[client][rep] = await body(client, rep);
        console.log(`  ${label.padEnd(16)} ${client.padEnd(17)} rep ${rep + 1}/${REPS} ok`);
      } catch (error) {
        errors.push(`${label} / ${client}: ${error.message.split("\n")[0]}`);
        console.log(`  ${label.padEnd(16)} ${client.padEnd(17)} rep ${rep + 1}/${REPS} ERROR ${error.message.split("\n")[0]}`);
      }
    }
  }
  return series;
}

async function throughput(url) {
  const out = {};
  for (const unit of THROUGHPUT.filter((u) => wanted(u.group))) {
    const warmup = { n: Math.max(100, Math.round(unit.params.n / 10)) };
    out[unit.id] = await repeat(unit.id, SELECTED, (client) => {
      const execArgv = PROFILE ? ["--cpu-prof", "--cpu-prof-interval=100", `--cpu-prof-dir=${resolve(PROFILE)}`, `--cpu-prof-name=${unit.id}-${client}-${Date.now()}.cpuprofile`] : [];
      const spec = { client, kind: "cpu", url, scenario: unit.scenario, params: { ...unit.params, limitMs: CHILD_LIMIT_MS }, warmup, ttlMs: CHILD_LIMIT_MS };
      return runClient(spec, { execArgv, timeoutMs: CHILD_LIMIT_MS });
    });
    out[unit.id].n = unit.params.n;
  }
  return out;
}

async function connect(serverPort) {
  const directUrl = `http://127.0.0.1:${serverPort}`;
  const proxy = await startDelayProxy(serverPort, DELAY_MS);
  try {
    const url = `http://127.0.0.1:${proxy.port}`;
    return await repeat("connect", SELECTED, (client) => {
      const modes = CONNECT_MODES.filter((m) => m.clients.includes(client)).map(({ name, options }) => ({ name, options }));
      const onRequest = (message) => (message.type === "reset" ? (proxy.reset(), {}) : proxy.counters());
      return runClient({ client, kind: "connect", url, directUrl, modes, ttlMs: CHILD_LIMIT_MS }, { timeoutMs: CHILD_LIMIT_MS, onRequest });
    });
  } finally {
    await proxy.close();
  }
}

function memory(url) {
  return repeat("memory", SELECTED, (client) =>
    runClient({ client, kind: "memory", url, connections: MEMORY_CONNECTIONS, ttlMs: CHILD_LIMIT_MS }, { execArgv: ["--expose-gc"], timeoutMs: CHILD_LIMIT_MS }),
  );
}

function machine() {
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    commit = "unknown";
  }
  const cpu = cpus();
  return { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", node: process.version, cpu: `${cpu.length} × ${cpu[0]?.model ?? "unknown"}`, commit };
}

/** Children load volley from a copy of the build taken now: a rebuild during the run changes nothing. */
function pinVolleyBuild() {
  if (!existsSync(VOLLEY_BUILD)) return;
  const dir = join(ROOT, "node_modules", ".cache", "volley-bench");
  mkdirSync(dir, { recursive: true });
  const pinned = join(dir, "volley.node.mjs");
  copyFileSync(VOLLEY_BUILD, pinned);
  process.env.BENCH_VOLLEY_ENTRY = pinned;
}

pinVolleyBuild();
const server = await startServer(TOTAL_LIMIT_MS);
const url = `http://127.0.0.1:${server.port}`;
const results = { quick: QUICK, reps: REPS, delayMs: DELAY_MS, connections: MEMORY_CONNECTIONS, throughput: {}, machine: machine() };
try {
  console.log(`bench: ${QUICK ? "quick" : "full"} run, ${REPS} repetition(s), socket.io 4.8 server on port ${server.port}`);
  results.throughput = await throughput(url);
  if (wanted("connect")) results.connect = await connect(server.port);
  if (wanted("memory")) results.memory = await memory(url);
  if (wanted("size")) results.size = await measureSizes();
} finally {
  server.stop();
  clearTimeout(overall);
}

results.seconds = Math.round((Date.now() - started) / 1000);
results.errors = errors;
const markdown = renderResults(results);
console.log(`\n${markdown}`);
if (WRITE) {
  writeResults(join(ROOT, "bench", "RESULTS.md"), markdown);
  console.log("bench: wrote bench/RESULTS.md (clients block)");
}
process.exitCode = errors.length > 0 ? 1 : 0;
