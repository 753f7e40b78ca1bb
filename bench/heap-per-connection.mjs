#!/usr/bin/env node
// What an idle connection keeps on the heap: heap snapshots before and after opening N WebSocket
// connections to a socket.io 4.8 server child, the difference in self size and object count per
// constructor (closures by where they are defined), divided by N. The census itself leaves a
// constant amount of strings behind, so use a large N and compare clients rather than read one
// absolute figure; `npm run bench` has the clean per-connection figures.
//
//   node --expose-gc bench/heap-per-connection.mjs [volley|socket.io-client|raw] [N=1000] [rows=30]
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { writeHeapSnapshot } from "node:v8";
import { startServer } from "./lib/children.mjs";
import { loadClient } from "./lib/clients.mjs";

const name = process.argv[2] ?? "volley";
const n = Number(process.argv[3] ?? 1000);
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");

/** Self size and count per node name ("constructor") of the current heap. */
async function census() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await sleep(20);
  }
  const file = writeHeapSnapshot(join(tmpdir(), `volley-heap-${process.pid}-${Date.now()}.heapsnapshot`));
  const { snapshot, nodes, strings, locations } = JSON.parse(readFileSync(file, "utf8"));
  rmSync(file);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  // Closures are told apart by where their function is defined (script id:line:column, 1-based line).
  const where = new Map();
  const lw = snapshot.meta.location_fields.length;
  for (let i = 0; i < locations.length; i += lw) where.set(locations[i], `@${locations[i + 1]}:${locations[i + 2] + 1}:${locations[i + 3]}`);
  const totals = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]] || "(anonymous)";
    const key = type === "closure" ? `closure ${name} ${where.get(i) ?? ""}` : type === "object" ? `object ${name}` : `(${type})`;
    const entry = totals.get(key) ?? { size: 0, count: 0 };
    entry.size += nodes[i + sizeAt];
    entry.count++;
    totals.set(key, entry);
  }
  return totals;
}

const server = await startServer(120_000);
try {
  const client = await loadClient(name);
  const url = `http://127.0.0.1:${server.port}`;
  await (await client.connect(url, { transports: ["websocket"] })).disconnect();
  const before = await census();
  const sockets = [];
  while (sockets.length < n) {
    const size = Math.min(50, n - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: size }, () => client.connect(url, { transports: ["websocket"] })))));
  }
  await sleep(300);
  const after = await census();
  const rows = [...after].map(([key, { size, count }]) => {
    const old = before.get(key) ?? { size: 0, count: 0 };
    return { key, size: (size - old.size) / n, count: (count - old.count) / n };
  });
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  console.log(`${name}: ${total.toFixed(0)} bytes of heap per idle connection (self sizes, ${n} connections)\n`);
  console.log("bytes/conn  objects/conn  kind (closures: @script id:line:column)");
  for (const r of rows.filter((r) => r.size > 8).sort((a, b) => b.size - a.size).slice(0, Number(process.argv[4] ?? 30))) {
    console.log(`${r.size.toFixed(0).padStart(10)}  ${r.count.toFixed(1).padStart(12)}  ${r.key}`);
  }
  for (const socket of sockets) socket.disconnect();
} finally {
  server.stop();
}
process.exit(0);
