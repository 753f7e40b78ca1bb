/** Loads the wire vectors of test/vectors and turns their data markers into real values. */
import { readFileSync } from "node:fs";
import { toBytes } from "../../src/protocol/binary.js";

/** Reads one vector file as parsed JSON. */
export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), "utf8")) as T;
}

/** `{ "$bytes": "hex" }` → Uint8Array, `{ "$undefined": true }` → undefined, `{ "$nan": true }` → NaN. */
export function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== "object" || value === null) return value;
  const object = value as Record<string, unknown>;
  if (typeof object["$bytes"] === "string") return hexBytes(object["$bytes"]);
  if (object["$undefined"] === true) return undefined;
  if (object["$nan"] === true) return NaN;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) out[key] = revive(item);
  return out;
}

export function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Any binary value (or a string) in a comparable form: plain byte arrays for binary. */
export function normalize(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return { bytes: Array.from(toBytes(value)) };
  if (Array.isArray(value)) return value.map(normalize);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a `__proto__` key must stay an own key, not become the prototype.
    if (item !== undefined) Object.defineProperty(out, key, { value: normalize(item), enumerable: true });
  }
  return out;
}

/**
 * A comparable string: `toStrictEqual` compares `constructor` properties by identity, which
 * misfires on data that has an own `constructor` key, and random payloads have those.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? "undefined";
}
