/**
 * Seeded fuzzing of every decoder: 100,000+ random and mutated inputs each. A decoder may
 * only return a ProtocolError or a result that obeys the protocol's rules; it must never
 * throw, and Object.prototype must come out untouched. Failures print the seed and input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBinary } from "../../src/protocol/binary.js";
import { decodePacket, decodePayload, encodePayload } from "../../src/protocol/engine/codec.js";
import { encodeHandshake, parseHandshake } from "../../src/protocol/engine/handshake.js";
import type { EnginePacket } from "../../src/protocol/engine/packet.js";
import { ProtocolError } from "../../src/protocol/error.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";
import { RESERVED_EVENTS, type SioPacket } from "../../src/protocol/socketio/packet.js";
import { Random, randomSioPacket, randomString } from "./random.js";
import { loadVectors } from "./vector-data.js";

const RUNS = 100_000;
const SEED = 20_260_423;

const ALPHABET = [..."0123456789-,/[]{}\":\\._eb ", "\x1e", "\u0000", "é", "😀", "\ud800", "=", "+", "A"];
const FRAGMENTS = [
  "__proto__", '"__proto__":', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
  '{"_placeholder":true,"num":0}', '{"_placeholder":true,"num":"splice"}', '"num":-1', '"num":1e3', '"num":0.5',
  "99999999999999999999", "9007199254740993", "1-", "0-", "11-", "/admin,", '["connect"]', '["x"]', "null", "true",
  "\x1e", "b", "bAQIDBA==", "[[[[[[", "]]]]", '"sid":', '"upgrades":', '"pingInterval":', "1e309", "-0",
];

function mutate(r: Random, input: string, corpus: readonly string[]): string {
  let s = input;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const at = r.int(s.length + 1);
    switch (r.int(7)) {
      case 0:
        s = s.slice(0, at) + r.pick(ALPHABET) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + r.pick(FRAGMENTS) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(8));
        break;
      case 3:
        s = s.slice(0, at) + s.slice(at, at + r.int(12)) + s.slice(at);
        break;
      case 4:
        s = s.slice(0, at);
        break;
      case 5:
        s = s.slice(0, at) + r.pick(corpus).slice(r.int(8));
        break;
      default:
        s = s.slice(0, at) + r.pick(ALPHABET) + s.slice(at);
    }
  }
  return s;
}

function randomText(r: Random): string {
  let s = "";
  for (let n = r.int(24); n > 0; n--) s += r.bool(0.9) ? r.pick(ALPHABET) : r.pick(FRAGMENTS);
  return s;
}

/** 70% mutated corpus entries, 30% random text. */
function nextInput(r: Random, corpus: readonly string[]): string {
  return r.bool(0.7) ? mutate(r, r.pick(corpus), corpus) : randomText(r);
}

/** Runs `check` on `count` inputs; collects (never throws) so a failure names its input. */
function fuzz(count: number, produce: (i: number) => unknown, check: (input: unknown) => string | undefined): string[] {
  const failures: string[] = [];
  for (let i = 0; i < count && failures.length < 5; i++) {
    const input = produce(i);
    try {
      const problem = check(input);
      if (problem !== undefined) failures.push(`#${i} ${JSON.stringify(input)}: ${problem}`);
    } catch (error) {
      failures.push(`#${i} ${JSON.stringify(input)}: threw ${String(error)}`);
    }
  }
  return failures;
}

// ---------------------------------------------------------------------------------------
// What a valid result looks like

const ENGINE_TYPES = new Set(["open", "close", "ping", "pong", "message", "upgrade", "noop"]);

function enginePacketProblem(p: EnginePacket): string | undefined {
  if (!ENGINE_TYPES.has(p.type)) return `bad type ${p.type}`;
  if (p.data === undefined || typeof p.data === "string") return undefined;
  return p.type === "message" && isBinary(p.data) ? undefined : "binary data on a control packet";
}

function isPlain(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every object in decoded data is a plain object, an array or binary (no prototype was set). */
function shapeProblem(value: unknown, depth: number): string | undefined {
  if (typeof value !== "object" || value === null || depth > 64 || isBinary(value)) return undefined;
  if (!Array.isArray(value) && !isPlain(value)) return "decoded object with a foreign prototype";
  for (const item of Object.values(value)) {
    const problem = shapeProblem(item, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function sioPacketProblem(p: SioPacket): string | undefined {
  if (!p.nsp.startsWith("/")) return "namespace without /";
  if (p.id !== undefined && !(Number.isSafeInteger(p.id) && p.id >= 0)) return "bad id";
  const data = p.data;
  const ok = [
    data === undefined || (isPlain(data) && !Array.isArray(data)),
    data === undefined,
    Array.isArray(data) && (typeof data[0] === "number" || (typeof data[0] === "string" && !RESERVED_EVENTS.has(data[0]))),
    Array.isArray(data),
    p.id === undefined && (typeof data === "string" || isPlain(data)),
  ][p.type];
  return ok === true ? shapeProblem(data, 0) : `payload breaks the rules of type ${p.type}`;
}

function handshakeProblem(h: object): string | undefined {
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = h as Record<string, unknown>;
  if (typeof sid !== "string" || sid === "") return "bad sid";
  if (!Array.isArray(upgrades) || upgrades.some((u) => typeof u !== "string")) return "bad upgrades";
  for (const n of [pingInterval, pingTimeout, maxPayload ?? 0]) if (!Number.isSafeInteger(n) || (n as number) < 0) return "bad number";
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Corpora: the vector files plus generated valid frames

interface Rows {
  rows: Record<string, unknown>[];
}
const decodeVectors = loadVectors<Record<string, { input?: string; messages?: unknown[] }[]>>("socketio-decode");
const sioSeeds = Object.values(decodeVectors)
  .flat()
  .flatMap((row) => [row.input, ...(row.messages ?? [])])
  .filter((s): s is string => typeof s === "string");
// The advisories of PROTOCOL.md 2.12 as seeds, so mutations start from known-hostile shapes.
const hostileSeeds = [
  "2" + "9".repeat(40) + '["x"]',
  '5999999-["x"]',
  '50-["x"]',
  '511-["a",{"_placeholder":true,"num":10}]',
  '51-["hello",{"_placeholder":true,"num":"splice"}]',
  '51-["x",{"__proto__":{"_placeholder":true,"num":0}}]',
  '2["x",{"constructor":{"prototype":{"polluted":1}}}]',
  '2[{"toString":"foo"}]',
  '2["error","boom"]',
  "2/" + "n".repeat(300) + ',["x"]',
  '51-["x",' + "[".repeat(1200) + '{"_placeholder":true,"num":0}' + "]".repeat(1200) + "]",
];
const random = new Random(SEED);
const sioCorpus = [
  ...sioSeeds,
  ...hostileSeeds,
  ...(loadVectors<Rows>("socketio-encode").rows.map((row) => (row["frames"] as string[])[0]) as string[]),
  ...Array.from({ length: 300 }, () => encode(randomSioPacket(random, { binary: 0.2, depth: 3 }))[0] as string),
];
const engineCorpus = [
  ...loadVectors<Rows>("engine-packets").rows.flatMap((row) => [row["ws"], row["record"]]),
  ...loadVectors<Rows>("engine-payloads").rows.map((row) => row["body"]),
  ...sioCorpus.map((s) => "4" + s),
].filter((s): s is string => typeof s === "string");
const payloadCorpus = [
  ...engineCorpus,
  ...Array.from({ length: 100 }, () =>
    encodePayload(Array.from({ length: 1 + random.int(4) }, () => ({ type: "message" as const, data: random.bool() ? randomString(random) : random.bytes(random.int(9)) }))),
  ),
];
const handshakeCorpus = Array.from({ length: 50 }, (_, i) =>
  encodeHandshake({ sid: "s" + randomString(random, 20), upgrades: i % 2 ? ["websocket"] : [], pingInterval: random.int(1e5), pingTimeout: random.int(1e5), ...(i % 3 ? { maxPayload: random.int(1e7) } : {}) }),
);

let prototypeNames: string[] = [];
beforeAll(() => {
  prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
});
afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toStrictEqual(prototypeNames);
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  expect(([] as unknown as { polluted?: unknown }).polluted).toBeUndefined();
});

describe(`fuzz: ${RUNS} inputs per decoder, seed ${SEED}`, () => {
  it("Engine.IO decodePacket", () => {
    const r = new Random(SEED + 1);
    const failures = fuzz(RUNS, () => (r.bool(0.05) ? r.bytes(r.int(8)) : nextInput(r, engineCorpus)), (input) => {
      const result = decodePacket(input as string);
      return result instanceof ProtocolError ? undefined : enginePacketProblem(result);
    });
    expect(failures).toStrictEqual([]);
  });

  it("Engine.IO decodePayload", () => {
    const r = new Random(SEED + 2);
    const failures = fuzz(RUNS, () => nextInput(r, payloadCorpus), (input) => {
      const result = decodePayload(input as string);
      if (result.error !== undefined && !(result.error instanceof ProtocolError)) return "error of the wrong class";
      for (const p of result.packets) {
        const problem = enginePacketProblem(p);
        if (problem !== undefined) return problem;
      }
      return undefined;
    });
    expect(failures).toStrictEqual([]);
  });

  it("parseHandshake", () => {
    const r = new Random(SEED + 3);
    const failures = fuzz(RUNS, () => nextInput(r, handshakeCorpus), (input) => {
      const result = parseHandshake(input as string);
      return result instanceof ProtocolError ? undefined : handshakeProblem(result);
    });
    expect(failures).toStrictEqual([]);
  });

  it("Socket.IO Decoder fed one long sequence of text and binary messages", () => {
    const r = new Random(SEED + 4);
    const decoder = new Decoder();
    const tally = { packets: 0, binaryPackets: 0, errors: 0 };
    let waiting = false; // a header was accepted: mostly send attachments, sometimes not
    const failures = fuzz(
      RUNS,
      () => {
        if (!r.bool(waiting ? 0.8 : 0.05)) return nextInput(r, sioCorpus);
        return r.bool() ? r.bytes(r.int(6)) : r.bytes(r.int(6)).buffer;
      },
      (input) => {
        const result = decoder.add(input as string | Uint8Array);
        const binary = typeof input !== "string";
        waiting = result === undefined;
        if (result instanceof ProtocolError) tally.errors++;
        else if (result !== undefined) {
          tally.packets++;
          if (binary) tally.binaryPackets++;
          return sioPacketProblem(result);
        } else if (!binary && !/^[56]/.test(input as string)) return "waiting after a text message that is no binary header";
        return undefined;
      },
    );
    expect(failures).toStrictEqual([]);
    // The mix really exercised reassembly, successes and errors.
    expect(tally.binaryPackets).toBeGreaterThan(500);
    expect(tally.packets).toBeGreaterThan(RUNS / 10);
    expect(tally.errors).toBeGreaterThan(RUNS / 10);
  });

  it("Engine.IO payloads piped into the Socket.IO Decoder, as a client receives them", () => {
    const r = new Random(SEED + 5);
    const decoder = new Decoder();
    const failures = fuzz(RUNS / 4, () => nextInput(r, payloadCorpus), (input) => {
      for (const p of decodePayload(input as string).packets) {
        if (p.type !== "message" || p.data === undefined) continue;
        const result = decoder.add(p.data);
        if (result !== undefined && !(result instanceof ProtocolError)) {
          const problem = sioPacketProblem(result);
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    });
    expect(failures).toStrictEqual([]);
  });
});
