// The Markdown written to bench/RESULTS.md (clients block) and printed at the end of a run.
import { FIGURE_HEADER, figureRow, format, median, pairedRatio } from "./report.mjs";

const CLIENTS = ["volley", "socket.io-client", "raw"];
const LABELS = {
  s2c: (n) => `server→client, ${n.toLocaleString("en-US")} small events`,
  c2s: (n) => `client→server, ${n.toLocaleString("en-US")} small events`,
  acks100: (n) => `acks, ${n.toLocaleString("en-US")} with 100 in flight`,
  acks1: (n) => `acks, ${n.toLocaleString("en-US")} one at a time`,
  "bin-s2c": (n) => `16 KiB binary server→client, ${n.toLocaleString("en-US")} events`,
  "bin-c2s": (n) => `16 KiB binary client→server, ${n.toLocaleString("en-US")} events`,
};

const mapSeries = (series, fn) =>
  Object.fromEntries(CLIENTS.map((c) => [c, (series?.[c] ?? []).map((r) => (r === undefined ? undefined : fn(r)))]));

function throughputTables(throughput) {
  const rows = [];
  for (const [id, series] of Object.entries(throughput)) {
    const cpu = mapSeries(series, (r) => r.cpuUs / r.count);
    const rate = mapSeries(series, (r) => r.count / (r.ms / 1000));
    rows.push(figureRow(`${LABELS[id](series.n)}: client CPU µs/event`, cpu, format.fmt));
    rows.push(figureRow(`${LABELS[id](series.n)}: events/s`, rate, format.rate, false));
  }
  return rows.length === 0 ? [] : ["### Throughput (client CPU, medians)", "", ...FIGURE_HEADER, ...rows, ""];
}

/** Per mode and client: medians over the repetitions of one connect each. */
function connectFigures(connect, delayMs) {
  const out = [];
  for (const mode of ["default", "websocket-only", "websocket-first"]) {
    for (const client of CLIENTS) {
      const runs = (connect[client] ?? []).flatMap((rep) => (rep ?? []).filter((r) => r.mode === mode));
      const tried = (connect[client] ?? []).some((rep) => rep === undefined || rep.some((r) => r.mode === mode));
      const pick = (fn) => median(runs.map(fn));
      out.push({
        mode,
        client,
        available: tried,
        ms: pick((r) => r.connectMs),
        rt: pick((r) => r.connectMs / (2 * delayMs)),
        wsRt: pick((r) => (r.websocketMs === null ? undefined : r.websocketMs / (2 * delayMs))),
        http: pick((r) => r.http),
        upgrades: pick((r) => r.upgrades),
        tcp: pick((r) => r.tcp),
      });
    }
  }
  return out;
}

function connectTable(figures, delayMs) {
  const rows = figures.map((f) => {
    if (!f.available) return `| ${f.mode} | ${f.client} | n/a | n/a | n/a | n/a | n/a | n/a |`;
    const n = (v, d = 1) => format.fmt(v, d);
    return `| ${f.mode} | ${f.client} | ${n(f.ms, 0)} | ${n(f.rt)} | ${n(f.wsRt)} | ${n(f.http, 0)} | ${n(f.upgrades, 0)} | ${n(f.tcp, 0)} |`;
  });
  return [
    `### Connect (through a proxy adding ${delayMs} ms each way; round trips = time / ${2 * delayMs} ms)`,
    "",
    "From `io()` to `connect`; \"to WebSocket\" is when the engine runs on WebSocket (after the upgrade in the default mode). The proxy does not delay TCP handshakes. Each child first connects once straight to the server in the same mode, so lazy module loading (Node's fetch, for one) is not counted. n/a: the client has no such mode (the raw floor speaks WebSocket only).",
    "",
    "| Mode | Client | ms | round trips | to WebSocket (round trips) | HTTP requests | WebSocket requests | TCP connections |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
}

function memoryTable(memory, connections) {
  return [
    `### Memory per idle connection (${connections.toLocaleString("en-US")} WebSocket connections in one process, after gc, baseline subtracted)`,
    "",
    ...FIGURE_HEADER,
    figureRow("heap bytes per connection", mapSeries(memory, (r) => r.heapBytes), format.bytes),
    figureRow("RSS bytes per connection", mapSeries(memory, (r) => r.rssBytes), format.bytes),
    "",
  ];
}

function sizeTable(size) {
  const b = (v) => (v === undefined ? "missing" : v.toLocaleString("en-US"));
  return [
    "### Size (bytes; gzip level 9, brotli quality 11)",
    "",
    "| Artifact | min | gzip | brotli |",
    "|---|---:|---:|---:|",
    ...size.map(({ name, figures }) => `| ${name} | ${b(figures?.min)} | ${b(figures?.gzip)} | ${b(figures?.brotli)} |`),
    "",
  ];
}

function targets(results, connect) {
  const t = results.throughput;
  const cpu = (id, field = "cpuUs") => (t[id] ? pairedRatio(mapSeries(t[id], (r) => r[field] / r.count), "volley", "raw") : undefined);
  const heap = results.memory ? pairedRatio(mapSeries(results.memory, (r) => r.heapBytes), "volley", "raw") : undefined;
  const wsFirst = connect?.find((f) => f.mode === "websocket-first" && f.client === "volley");
  const gzip = results.size?.[0]?.figures?.gzip;
  const below = (limit) => (v) => v <= limit;
  const rows = [
    ["server→client small events, CPU/event vs raw", "≤ 1.20x", cpu("s2c"), below(1.2), format.ratio, cpu("s2c", "userUs")],
    ["client→server small events, CPU/event vs raw", "≤ 1.00x", cpu("c2s"), below(1.0), format.ratio, cpu("c2s", "userUs")],
    ["16 KiB binary server→client, CPU/event vs raw", "≤ 1.20x", cpu("bin-s2c"), below(1.2), format.ratio, cpu("bin-s2c", "userUs")],
    ["acks, 100 in flight, CPU/ack vs raw", "≤ 1.10x", cpu("acks100"), below(1.1), format.ratio, cpu("acks100", "userUs")],
    ["heap per idle connection vs raw", "≤ 1.30x", heap, below(1.3), format.ratio],
    ["connect, websocket-first: round trips", "≤ 3.3", wsFirst?.rt, below(3.3), (v) => v.toFixed(1)],
    ["connect, websocket-first: TCP connections", "1", wsFirst?.tcp, below(1), (v) => String(v)],
    ["dist/volley.min.js gzip", "≤ 7,000 bytes", gzip, below(7000), (v) => v.toLocaleString("en-US")],
  ];
  const cell = (value, ok, show) => (value === undefined ? "not measured | " : `${show(value)} | ${ok(value) ? "pass" : "**miss**"}`);
  return [
    "### Targets (volley, ratios paired within this run)",
    "",
    "CPU is user + system time of the client process (as the targets are defined); the last column shows the user-time-only ratio for reference, without the kernel's share of socket reads and writes.",
    "",
    "| Figure | Target | Measured | | user CPU only |",
    "|---|---|---:|---|---:|",
    ...rows.map(([name, goal, value, ok, show, user]) => `| ${name} | ${goal} | ${cell(value, ok, show)} | ${user === undefined ? "" : format.ratio(user)} |`),
    "",
  ];
}

export function renderResults(results) {
  const m = results.machine;
  const mode = results.quick ? "quick (smoke counts; figures not meaningful)" : "full";
  const connect = results.connect ? connectFigures(results.connect, results.delayMs) : undefined;
  const lines = [
    "## Clients",
    "",
    `\`npm run bench\` (${mode}): ${results.reps} repetition(s), one child process per client and scenario, clients interleaved and their order rotated per repetition; medians, ratios paired per repetition. ${m.date}, Node ${m.node}, ${m.cpu}, commit ${m.commit}, ${results.seconds} s. Server: socket.io 4.8 in its own process; all clients on WebSocket only except in the connect table. raw = a hand-written Engine.IO/Socket.IO client over \`ws\` (the floor).`,
    "",
    ...throughputTables(results.throughput),
    ...(connect ? connectTable(connect, results.delayMs) : []),
    ...(results.memory ? memoryTable(results.memory, results.connections) : []),
    ...(results.size ? sizeTable(results.size) : []),
    ...targets(results, connect),
  ];
  if (results.errors.length > 0) lines.push("### Errors", "", ...results.errors.map((e) => `- ${e}`), "");
  return lines.join("\n");
}
