#!/usr/bin/env node
// Codec throughput: volley's Engine.IO + Socket.IO codecs against engine.io-parser and
// socket.io-parser, on the same inputs, interleaved round by round; medians are reported.
//
//   node bench/codec.mjs            full run (about a minute)
//   node bench/codec.mjs --quick    a quick look (a few seconds)
//
// The TypeScript sources of src/protocol (and the two platform base64 codecs) are transpiled (typescript's transpileModule, no
// type checking) into node_modules/.cache, so the bench runs on a fresh clone after `npm ci`
// without a build. The table is written to bench/RESULTS.md between the codec markers.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import * as eio from "engine.io-parser";
import * as sio from "socket.io-parser";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
// engine.io-parser's browser build decodes base64 in plain JavaScript (its exports map hides it).
const { decodePacket: browserDecodePacket } = await import(
  pathToFileURL(join(ROOT, "node_modules", "engine.io-parser", "build", "esm", "decodePacket.browser.js")).href
);
const QUICK = process.argv.includes("--quick");
const ROUNDS = QUICK ? 4 : 15;
const BATCH_MS = QUICK ? 15 : 60;
const START = "<!-- codec:start -->";
const END = "<!-- codec:end -->";

/**
 * Transpiles src/protocol (and the Node and web base64 codecs, which import it) into a
 * cache folder and imports the codecs from there.
 */
async function loadVolley() {
  const src = join(ROOT, "src");
  const out = join(ROOT, "node_modules", ".cache", "volley-bench");
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const files = [...walk(join(src, "protocol")).filter((f) => f.endsWith(".ts")), join(src, "node-base64.ts"), join(src, "transport", "web-base64.ts")];
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = join(out, relative(src, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  const load = (path) => import(pathToFileURL(join(out, path)).href);
  return {
    engine: await load("protocol/engine/codec.js"),
    socketio: await load("protocol/socketio/codec.js"),
    base64: {
      pure: (await load("protocol/engine/base64.js")).pureBase64,
      node: (await load("node-base64.js")).nodeBase64,
      web: (await load("transport/web-base64.js")).webBase64,
    },
  };
}

const volley = await loadVolley();

// ---------------------------------------------------------------------------------------
// Inputs

const SMALL = ["ev", { i: 1, t: 2 }];
const NESTED = [
  "state",
  {
    room: "lobby",
    users: Array.from({ length: 8 }, (_, i) => ({ id: `u${i}`, name: `user ${i}`, tags: ["a", "b"], pos: { x: i, y: i * 2, z: null } })),
    meta: { version: 3, flags: [true, false, true], nested: { deep: { deeper: { value: "é€😀" } } } },
  },
];
const BLOB = new Uint8Array(16 * 1024).map((_, i) => (i * 31) & 255);
const BINARY = ["file", { name: "a.bin", data: Buffer.from(BLOB.buffer) }];

let sink = 0;
const keep = (value) => {
  sink += typeof value === "string" ? value.length : value === undefined ? 0 : 1;
};

// Wire frames (WebSocket form: one Engine.IO packet per frame) as each side produces them.
function volleyEncode(data) {
  const frames = volley.socketio.encode({ type: 2, nsp: "/", data });
  for (const f of frames) keep(volley.engine.encodePacket({ type: "message", data: f }));
}
const refEncoder = new sio.Encoder();
function referenceEncode(data) {
  const frames = refEncoder.encode({ type: 2, nsp: "/", data });
  for (const f of frames) eio.encodePacket({ type: "message", data: f }, true, keep);
}
function wireFrames(data) {
  const out = [];
  for (const f of volley.socketio.encode({ type: 2, nsp: "/", data })) out.push(volley.engine.encodePacket({ type: "message", data: f }));
  return out;
}

function volleyDecoder() {
  const decoder = new volley.socketio.Decoder();
  return (frames) => {
    for (const f of frames) {
      const packet = volley.engine.decodePacket(f);
      keep(decoder.add(packet.data));
    }
  };
}
function referenceDecoder() {
  const decoder = new sio.Decoder();
  decoder.on("decoded", keep);
  return (frames) => {
    for (const f of frames) decoder.add(eio.decodePacket(f, "nodebuffer").data);
  };
}

// Polling: a payload of ten small events, one holding the 16 KiB attachment as base64, and one
// of ten events with a 100-byte attachment each. Binary rows run with the pure base64 of the
// core, with atob/btoa (what the browser build uses) and with the Node Buffer codec passed in.
const pollingSmall = Array.from({ length: 10 }, () => ({ type: "message", data: '2["ev",{"i":1,"t":2}]' }));
const pollingBinary = [{ type: "message", data: '51-["file",{"_placeholder":true,"num":0}]' }, { type: "message", data: Buffer.from(BLOB.buffer) }];
const pollingSmallBinary = Array.from({ length: 10 }, (_, i) => [
  { type: "message", data: '51-["chunk",{"_placeholder":true,"num":0}]' },
  { type: "message", data: Buffer.from(BLOB.buffer, i * 100, 100) },
]).flat();
const BASE64 = [["pure base64", volley.base64.pure], ["web base64", volley.base64.web], ["Node base64", volley.base64.node]];

function pollingCases(name, packets, codecs) {
  const body = volley.engine.encodePayload(packets);
  return codecs.flatMap(([label, codec]) => {
    const title = label ? `${name}, ${label}` : name;
    return [
      {
        name: `${title}: encode`,
        volley: () => keep(volley.engine.encodePayload(packets, codec)),
        reference: () => eio.encodePayload(packets, keep),
      },
      {
        name: `${title}: decode`,
        volley: () => keep(volley.engine.decodePayload(body, codec).packets.length),
        reference: () => keep(eio.decodePayload(body, "nodebuffer").length),
      },
    ];
  });
}

function cases() {
  const list = [];
  for (const [name, data] of [["small event", SMALL], ["nested object", NESTED], ["16 KiB binary", BINARY]]) {
    list.push({ name: `${name}: encode`, volley: () => volleyEncode(data), reference: () => referenceEncode(data) });
    const frames = wireFrames(data);
    const ours = volleyDecoder();
    const theirs = referenceDecoder();
    list.push({ name: `${name}: decode`, volley: () => ours(frames), reference: () => theirs(frames) });
  }
  list.push(...pollingCases("polling, 10 small events", pollingSmall, [["", undefined]]));
  for (const [name, packets] of [["polling, 16 KiB base64", pollingBinary], ["polling, 10 × 100 B base64", pollingSmallBinary]]) {
    list.push(...pollingCases(name, packets, BASE64));
    const body = volley.engine.encodePayload(packets);
    list.push({
      name: `${name}, web base64: decode, against engine.io-parser's browser build`,
      volley: () => keep(volley.engine.decodePayload(body, volley.base64.web).packets.length),
      reference: () => keep(body.split("\x1e").map((record) => browserDecodePacket(record, "arraybuffer")).length),
    });
  }
  // A body with text beyond Latin-1 is a two-byte string in V8, which the Node codec must scan.
  const wide = volley.engine.encodePayload([{ type: "message", data: '51-["fichier €",{"_placeholder":true,"num":0}]' }, pollingBinary[1]]);
  list.push({
    name: "polling, 16 KiB base64 after non-Latin-1 text, Node base64: decode",
    volley: () => keep(volley.engine.decodePayload(wide, volley.base64.node).packets.length),
    reference: () => keep(eio.decodePayload(wide, "nodebuffer").length),
  });
  return list;
}

// ---------------------------------------------------------------------------------------
// Measurement

function calibrate(fn) {
  let n = 64;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    const elapsed = performance.now() - start;
    if (elapsed > BATCH_MS / 4) return Math.max(1, Math.round((n * BATCH_MS) / elapsed));
    n *= 2;
  }
}

function opsPerSecond(fn, n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (n * 1000) / (performance.now() - start);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function run() {
  const list = cases().map((c) => ({ ...c, n: { volley: calibrate(c.volley), reference: calibrate(c.reference) }, samples: { volley: [], reference: [] } }));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const c of list) {
      // Alternate who goes first; round 0 is a discarded warm-up.
      const order = round % 2 ? ["volley", "reference"] : ["reference", "volley"];
      for (const side of order) {
        const rate = opsPerSecond(c[side], c.n[side]);
        if (round > 0) c.samples[side].push(rate);
      }
    }
    process.stderr.write(`round ${round}/${ROUNDS}\r`);
  }
  process.stderr.write("\n");
  return list.map((c) => ({ name: c.name, volley: median(c.samples.volley), reference: median(c.samples.reference) }));
}

function format(rate) {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return rate.toFixed(0);
}

function table(results) {
  const lines = [
    "| Case | volley (ops/s) | socket.io-parser + engine.io-parser (ops/s) | volley / reference |",
    "|---|---:|---:|---:|",
  ];
  for (const r of results) lines.push(`| ${r.name} | ${format(r.volley)} | ${format(r.reference)} | ${(r.volley / r.reference).toFixed(2)}x |`);
  return lines.join("\n");
}

function writeResults(text) {
  const file = join(ROOT, "bench", "RESULTS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : `# Benchmark results\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const section = `${START}\n${text}\n${END}`;
  const next = start === -1 || end < start ? `${current.trimEnd()}\n\n${section}\n` : current.slice(0, start) + section + current.slice(end + END.length);
  writeFileSync(file, next);
}

const version = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
const results = run();
const cpu = cpus();
const header = [
  "## Codecs",
  "",
  `\`node bench/codec.mjs${QUICK ? " --quick" : ""}\`: Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ` +
    `${ROUNDS} interleaved rounds of about ${BATCH_MS} ms per side and case, medians. ` +
    "Encode: Socket.IO packet to WebSocket frames (with the Engine.IO `4`); decode: frames back to a packet. " +
    `Reference: socket.io-parser ${version("socket.io-parser")} and engine.io-parser ${version("engine.io-parser")}.`,
  "",
];
const footer = [
  "",
  "Polling rows with binary measure base64. \"pure base64\" is the core's own JavaScript codec; " +
    "\"web base64\" is `atob`/`btoa` behind the same strictness, which the browser build uses (the polling " +
    "transport's default); on Node, engine.io-parser uses Buffer's native codec, and volley's server " +
    "and Node client pass the same native codec in (`nodeBase64`, checked to be as strict as the pure one). " +
    "Those checks are nearly free on V8's one-byte strings; a body that holds text beyond Latin-1 is a " +
    "two-byte string, where finding UTF-16 units that Buffer would read by their low byte takes a full scan " +
    "(last row). The rows \"against engine.io-parser's browser build\" compare what each client runs in " +
    "browsers: that build decodes base64 in plain JavaScript without validating it (its encoder needs FileReader, absent in Node). " +
    "WebSocket (the transport after an upgrade) sends raw bytes and is not affected.",
];
const text = header.join("\n") + "\n" + table(results) + "\n" + footer.join("\n") + "\n";
console.log(text);
writeResults(text);
if (sink === 0) console.log("(nothing measured)");
