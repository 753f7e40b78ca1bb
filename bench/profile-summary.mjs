#!/usr/bin/env node
// Where the time goes in V8 .cpuprofile files (from `node bench/run.mjs --profile=DIR`): self
// time per function and per file, summed over the files given, as percentages of the samples that
// were not idle.
//
//   node bench/profile-summary.mjs DIR/s2c-volley-*.cpuprofile [--top=25]
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const paths = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (paths.length === 0) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile>... [--top=N]");
  process.exit(2);
}
const top = Number(process.argv.find((a) => a.startsWith("--top="))?.slice(6) ?? 25);
const IDLE = new Set(["(idle)", "(program)"]);
const functions = new Map();
const files = new Map();
const add = (map, key, count) => map.set(key, (map.get(key) ?? 0) + count);
let busy = 0;
let samples = 0;

for (const path of paths) {
  const profile = JSON.parse(readFileSync(path, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map();
  for (const id of profile.samples) add(selfSamples, id, 1);
  samples += profile.samples.length;
  for (const [id, count] of selfSamples) {
    const { callFrame } = byId.get(id);
    if (IDLE.has(callFrame.functionName)) continue;
    busy += count;
    const where = callFrame.url ? `${basename(callFrame.url)}:${callFrame.lineNumber + 1}` : "(native)";
    add(functions, `${callFrame.functionName || "(anonymous)"}  ${where}`, count);
    add(files, callFrame.url ? basename(callFrame.url) : callFrame.functionName, count);
  }
}

const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${((100 * count) / busy).toFixed(1).padStart(6)}%  ${key}`);
  }
};
console.log(`${paths.length} profile(s): ${busy} busy samples of ${samples}`);
print("self time by file", files, 12);
print("self time by function", functions, top);
