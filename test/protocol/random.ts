import { RESERVED_EVENTS, type SioPacket } from "../../src/protocol/socketio/packet.js";
import { seededRandom } from "../helpers/random.js";

/** Seeded randomness for the property and fuzz tests: every failure is reproducible from its seed. */

export class Random {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const CHARS = [..."abcxyz019 _-/,:\"\\{}[]\n\t", "é", "€", "😀", "\u2028", "\ud800", "\u0000", "\u007f"];
const KEYS = ["a", "b", "name", "__proto__", "constructor", "prototype", "toString", "_placeholder", "num", "0", ""];

/** A short string over characters that stress JSON and UTF-8 (never U+001E, which Engine.IO text excludes). */
export function randomString(r: Random, max = 12): string {
  let s = "";
  for (let n = r.int(max + 1); n > 0; n--) s += r.pick(CHARS);
  return s;
}

/** Sets an own property, also `__proto__`. */
export function defineOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export interface ValueOptions {
  /** Probability that a leaf is binary data (0: JSON only). */
  readonly binary: number;
  readonly depth: number;
}

function randomLeaf(r: Random, options: ValueOptions): unknown {
  if (r.bool(options.binary)) return r.bytes(r.int(20));
  switch (r.int(6)) {
    case 0:
      return null;
    case 1:
      return r.bool();
    case 2:
      return r.int(2000) - 1000;
    case 3:
      return r.next() * 1e6;
    default:
      return randomString(r);
  }
}

/** A random JSON-like value, possibly with Uint8Array leaves, nested up to `depth`. */
export function randomValue(r: Random, options: ValueOptions): unknown {
  if (options.depth <= 0 || r.bool(0.4)) return randomLeaf(r, options);
  const inner = { ...options, depth: options.depth - 1 };
  if (r.bool()) return Array.from({ length: r.int(5) }, () => randomValue(r, inner));
  const object: Record<string, unknown> = {};
  for (let n = r.int(5); n > 0; n--) {
    const key = r.bool(0.7) ? r.pick(KEYS) : randomString(r, 4);
    // `_placeholder: true` is reserved by the protocol itself: a sender can never round-trip it.
    defineOwn(object, key, key === "_placeholder" ? randomString(r) : randomValue(r, inner));
  }
  return object;
}

function randomArgs(r: Random, options: ValueOptions): unknown[] {
  return Array.from({ length: r.int(4) }, () => randomValue(r, options));
}

function randomEventName(r: Random): string | number {
  if (r.bool(0.1)) return r.int(100);
  const name = randomString(r, 8);
  return RESERVED_EVENTS.has(name) ? "ev" : name;
}

/** A random valid Socket.IO packet; binary leaves with probability `options.binary`. */
export function randomSioPacket(r: Random, options: ValueOptions): SioPacket {
  const nsp = r.bool(0.6) ? "/" : "/" + randomString(r, 10).replaceAll(",", "");
  const id = r.bool(0.5) ? (r.bool(0.1) ? Number.MAX_SAFE_INTEGER - r.int(3) : r.int(10_000)) : undefined;
  // Key order as decoders build packets, so canonical strings compare.
  const withId = <T>(type: 2 | 3, data: T) => (id === undefined ? { type, nsp, data } : { type, nsp, id, data });
  switch (r.int(5)) {
    case 0:
      return r.bool() ? { type: 0, nsp } : { type: 0, nsp, data: { token: randomString(r), x: randomValue(r, { ...options, binary: 0 }) } };
    case 1:
      return { type: 1, nsp };
    case 2:
      return withId(2, [randomEventName(r), ...randomArgs(r, options)]);
    case 3:
      return withId(3, randomArgs(r, options));
    default:
      return { type: 4, nsp, data: r.bool(0.2) ? randomString(r) : { message: randomString(r), data: randomValue(r, { ...options, binary: 0 }) } };
  }
}
