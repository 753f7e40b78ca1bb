// Turns the repetitions into medians and paired ratios (the ratio of two clients in the same
// repetition, then the median of those ratios), Markdown tables and the targets of issue 8.
import { readFileSync, writeFileSync, existsSync } from "node:fs";

export const START = "<!-- clients:start -->";
export const END = "<!-- clients:end -->";
const PAIRS = [
  ["volley", "raw"],
  ["socket.io-client", "raw"],
  ["volley", "socket.io-client"],
];

export function median(values) {
  const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of the per-repetition ratios a/b; `series` maps client → array indexed by repetition. */
export function pairedRatio(series, a, b) {
  const left = series[a] ?? [];
  const right = series[b] ?? [];
  return median(left.map((v, i) => (typeof v === "number" && typeof right[i] === "number" ? v / right[i] : undefined)));
}

const fmt = (v, digits = 2) => (v === undefined ? "error" : v.toFixed(digits));
const ratio = (v) => (v === undefined ? "n/a" : `${v.toFixed(2)}x`);
const rate = (v) => (v === undefined ? "error" : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
const bytes = (v) => (v === undefined ? "error" : Math.round(v).toLocaleString("en-US"));

/**
 * A figure row: `series` maps client → per-repetition values; `show` formats a median;
 * ratios are paired (lower is better for every figure with ratios).
 */
export function figureRow(label, series, show, withRatios = true) {
  const cells = ["volley", "socket.io-client", "raw"].map((c) => show(median(series[c] ?? [])));
  const ratios = PAIRS.map(([a, b]) => (withRatios ? ratio(pairedRatio(series, a, b)) : ""));
  return `| ${label} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`;
}

export const FIGURE_HEADER = [
  "| Figure | volley | socket.io-client | raw | volley / raw | socket.io-client / raw | volley / socket.io-client |",
  "|---|---:|---:|---:|---:|---:|---:|",
];

export const format = { fmt, rate, bytes, ratio };

/** Replaces the clients block of RESULTS.md (creating the file or the markers when missing). */
export function writeResults(path, markdown) {
  const block = `${START}\n${markdown.trim()}\n\n${END}`;
  const current = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmark results\n";
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
