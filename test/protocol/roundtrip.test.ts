/**
 * Round-trip properties over seeded random packets: decode(encode(p)) equals p for both
 * codecs, with and without binary anywhere in the payload, and our output agrees with the
 * reference parsers (engine.io-parser, socket.io-parser) on the same packets.
 */
import * as eioParser from "engine.io-parser";
import { Decoder as RefDecoder, Encoder as RefEncoder } from "socket.io-parser";
import { describe, expect, it } from "vitest";
import type { BinaryData } from "../../src/protocol/binary.js";
import { decodeBase64, encodeBase64 } from "../../src/protocol/engine/base64.js";
import { decodePacket, decodePayload, encodePacket, encodePayload, recordLength } from "../../src/protocol/engine/codec.js";
import { encodeHandshake, parseHandshake } from "../../src/protocol/engine/handshake.js";
import type { EnginePacket, EnginePacketType } from "../../src/protocol/engine/packet.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";
import type { SioPacket } from "../../src/protocol/socketio/packet.js";
import { Random, randomSioPacket, randomString } from "./random.js";
import { canonical, normalize } from "./vector-data.js";

const ROUNDS = 1500;

function refDecode(frames: unknown[]): unknown {
  const decoder = new RefDecoder();
  let decoded: unknown;
  decoder.on("decoded", (p: unknown) => (decoded = p));
  for (const f of frames) decoder.add(typeof f === "string" ? f : Buffer.from(f as Uint8Array));
  return decoded;
}

describe("Socket.IO round trip", () => {
  for (const [label, binary] of [["JSON only", 0], ["with binary", 0.3]] as const) {
    it(`decode(encode(p)) = p over ${ROUNDS} random packets, ${label}`, () => {
      const r = new Random(binary === 0 ? 1 : 2);
      // Random payloads may hold more than the default 10 attachments a receiver accepts.
      const decoder = new Decoder({ maxAttachments: 1000 });
      let binaryPackets = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const packet = randomSioPacket(r, { binary, depth: 4 });
        const frames = encode(packet);
        if (frames.length > 1) binaryPackets++;
        const results = frames.map((f) => decoder.add(f as string | BinaryData));
        expect(results.slice(0, -1).every((x) => x === undefined)).toBe(true);
        expect(canonical(results.at(-1)), `round ${round}`).toBe(canonical(packet));
        if ((frames[0] as string).includes("__proto__")) continue; // the reference drops own __proto__ keys
        expect(canonical(new RefEncoder().encode(packet as never))).toBe(canonical(frames));
        expect(canonical(refDecode(frames))).toBe(canonical(results.at(-1)));
      }
      if (binary > 0) expect(binaryPackets).toBeGreaterThan(ROUNDS / 8);
    });
  }

  it("keeps a __proto__ key as data through a binary round trip", () => {
    const payload = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    const bytes = new Uint8Array([5]);
    Object.defineProperty(payload, "bin", { value: bytes, enumerable: true });
    const decoder = new Decoder();
    const frames = encode({ type: 2, nsp: "/", data: ["p", payload] });
    const results = frames.map((f) => decoder.add(f as string | BinaryData));
    const data = (results.at(-1) as SioPacket).data as [string, Record<string, unknown>];
    expect(Object.getPrototypeOf(data[1])).toBe(Object.prototype);
    expect(Object.keys(data[1])).toStrictEqual(["__proto__", "bin"]);
    expect(data[1]["bin"]).toBe(bytes);
  });
});

const TYPES: EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

function randomEnginePacket(r: Random): EnginePacket {
  const type = r.pick(TYPES);
  if (type === "message" && r.bool(0.3)) return { type, data: r.bytes(r.int(40)) };
  if (r.bool(0.3)) return { type };
  const data = randomString(r, 30);
  return data === "" ? { type } : { type, data };
}

describe("Engine.IO round trip", () => {
  it(`payloads and packets over ${ROUNDS} random batches`, () => {
    const r = new Random(3);
    for (let round = 0; round < ROUNDS; round++) {
      const packets = Array.from({ length: 1 + r.int(5) }, () => randomEnginePacket(r));
      const body = encodePayload(packets);
      expect(normalize(decodePayload(body))).toStrictEqual({ packets: normalize(packets) });
      const lengths = packets.reduce((sum, p) => sum + recordLength(p), packets.length - 1);
      expect(lengths).toBe(Buffer.byteLength(body));
      for (const p of packets) expect(normalize(decodePacket(encodePacket(p)))).toStrictEqual(normalize(p));
      const refPackets = packets.map((p) => (p.data instanceof Uint8Array ? { ...p, data: Buffer.from(p.data) } : p));
      eioParser.encodePayload(refPackets as eioParser.Packet[], (refBody) => expect(refBody).toBe(body));
      expect(normalize(eioParser.decodePayload(body, "nodebuffer"))).toStrictEqual(normalize(packets));
    }
  });

  it("base64 agrees with Node's at every length up to 300, padded and unpadded", () => {
    const r = new Random(4);
    for (let n = 0; n <= 300; n++) {
      const bytes = r.bytes(n);
      const text = Buffer.from(bytes).toString("base64");
      expect(encodeBase64(bytes)).toBe(text);
      expect(decodeBase64(text)).toStrictEqual(bytes);
      expect(decodeBase64(text.replace(/=+$/, ""))).toStrictEqual(bytes);
    }
  });

  it(`handshakes over ${ROUNDS} random values`, () => {
    const r = new Random(5);
    for (let round = 0; round < ROUNDS; round++) {
      const base = {
        sid: "s" + randomString(r, 20),
        upgrades: r.bool() ? ["websocket"] : [],
        pingInterval: r.int(100_000),
        pingTimeout: r.int(100_000),
      };
      const handshake = r.bool(0.8) ? { ...base, maxPayload: r.int(10_000_000) } : base;
      const text = encodeHandshake(handshake);
      expect(Object.keys(JSON.parse(text))).toStrictEqual(Object.keys(handshake));
      expect(parseHandshake(text)).toStrictEqual(handshake);
    }
  });
});
