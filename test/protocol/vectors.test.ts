/**
 * Every wire vector of the protocol document (rows 1-113), from the data files in
 * test/vectors, checked both ways against volley's codecs and against the reference parsers
 * (engine.io-parser, socket.io-parser), so the data files themselves are verified too.
 */
import * as eioParser from "engine.io-parser";
import { Decoder as RefDecoder, Encoder as RefEncoder } from "socket.io-parser";
import { describe, expect, it } from "vitest";
import type { BinaryData, Frame } from "../../src/protocol/binary.js";
import { decodePacket, decodePayload, encodePacket, encodePayload, encodeRecord, recordLength } from "../../src/protocol/engine/codec.js";
import type { EnginePacket } from "../../src/protocol/engine/packet.js";
import { ProtocolError } from "../../src/protocol/error.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";
import type { SioPacket } from "../../src/protocol/socketio/packet.js";
import { loadVectors, normalize, revive } from "./vector-data.js";

interface Row {
  row: number;
}
interface PacketRow extends Row {
  packet: unknown;
  ws: unknown;
  record: string;
  decoded?: unknown;
}
interface PayloadRow extends Row {
  body: string;
  packets: unknown[];
  error?: string;
}
interface EncodeRow extends Row {
  packet: unknown;
  frames: unknown[];
}
interface DecodeFile {
  accepted: (Row & { input: string; packet: unknown })[];
  stricter: (Row & { input: string; reference: unknown; error: string })[];
  rejected: (Row & { input: string; reference: string; error: string })[];
  sequences: (Row & { messages: unknown[]; packet?: unknown; reference?: string; error?: string })[];
}

const packets = loadVectors<{ rows: PacketRow[] }>("engine-packets").rows;
const payloads = loadVectors<{ rows: PayloadRow[] }>("engine-payloads").rows;
const encodes = loadVectors<{ rows: EncodeRow[] }>("socketio-encode").rows;
const decodes = loadVectors<DecodeFile>("socketio-decode");

const titled = <T extends Row>(rows: T[]) => rows.map((r) => [r.row, r] as const);

it("covers rows 1-113 exactly once", () => {
  const all = [packets, payloads, encodes, decodes.accepted, decodes.stricter, decodes.rejected, decodes.sequences]
    .flat()
    .map((r) => r.row)
    .sort((a, b) => a - b);
  expect(all).toStrictEqual(Array.from({ length: 113 }, (_, i) => i + 1));
});

function expectError(result: unknown, code: string): void {
  expect(result).toBeInstanceOf(ProtocolError);
  expect((result as ProtocolError).code).toBe(code);
}

function refEncodeEio(packet: EnginePacket, binary: boolean): unknown {
  let out: unknown;
  eioParser.encodePacket(packet as eioParser.Packet, binary, (encoded) => (out = encoded));
  return out;
}

describe("Engine.IO packets (4.1)", () => {
  it.each(titled(packets))("row %i", (_, row) => {
    const packet = revive(row.packet) as EnginePacket;
    const ws = revive(row.ws) as Frame;
    const decoded = revive(row.decoded ?? row.packet);
    expect(normalize(encodePacket(packet))).toStrictEqual(normalize(ws));
    expect(normalize(decodePacket(ws))).toStrictEqual(normalize(decoded));
    expect(encodeRecord(packet)).toBe(row.record);
    expect(recordLength(packet)).toBe(Buffer.byteLength(row.record));
    expect(normalize(decodePayload(row.record))).toStrictEqual({ packets: [normalize(decoded)] });
    // The reference parser agrees with the data file.
    const refPacket = { ...packet, data: packet.data instanceof Uint8Array ? Buffer.from(packet.data) : packet.data };
    expect(normalize(refEncodeEio(refPacket as EnginePacket, true))).toStrictEqual(normalize(ws));
    expect(refEncodeEio(refPacket as EnginePacket, false)).toBe(row.record);
  });
});

describe("Engine.IO payloads (4.2)", () => {
  it.each(titled(payloads))("row %i", (_, row) => {
    const expected = row.packets.map(revive);
    const result = decodePayload(row.body);
    expect(normalize(result.packets)).toStrictEqual(normalize(expected));
    if (row.error === undefined) {
      expect(result.error).toBeUndefined();
      expect(encodePayload(expected as EnginePacket[])).toBe(row.body);
    } else {
      expectError(result.error, row.error);
    }
    const reference = eioParser.decodePayload(row.body, "nodebuffer");
    const tail = row.error === undefined ? [] : [{ type: "error", data: "parser error" }];
    expect(normalize(reference)).toStrictEqual(normalize([...expected, ...tail]));
  });
});

const binaryKinds: Record<string, (bytes: Uint8Array) => BinaryData> = {
  Uint8Array: (b) => b,
  ArrayBuffer: (b) => b.slice().buffer,
  Buffer: (b) => Buffer.from(b),
  "DataView window": (b) => {
    const padded = new Uint8Array(b.length + 2).fill(0xaa);
    padded.set(b, 1);
    return new DataView(padded.buffer, 1, b.length);
  },
  "Int8Array window": (b) => {
    const padded = new Uint8Array(b.length + 3).fill(0xbb);
    padded.set(b, 2);
    return new Int8Array(padded.buffer, 2, b.length);
  },
};

function mapBinary(value: unknown, kind: (b: Uint8Array) => BinaryData): unknown {
  if (value instanceof Uint8Array) return kind(value);
  if (Array.isArray(value)) return value.map((v) => mapBinary(v, kind));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapBinary(v, kind)]));
}

describe("Socket.IO encoding (4.3)", () => {
  it.each(titled(encodes))("row %i", (_, row) => {
    const packet = revive(row.packet) as SioPacket;
    const frames = normalize(row.frames.map(revive));
    for (const kind of Object.values(binaryKinds)) {
      expect(normalize(encode(mapBinary(packet, kind) as SioPacket))).toStrictEqual(frames);
    }
    expect(normalize(new RefEncoder().encode(mapBinary(packet, binaryKinds.Buffer!) as never))).toStrictEqual(frames);
    // Decoding the frames gives the packet back (undefined and NaN come back as null).
    const decoder = new Decoder();
    const results = (row.frames.map(revive) as (string | BinaryData)[]).map((f) => decoder.add(f));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(normalize(results.at(-1))).toStrictEqual(normalize(JSON.parse(JSON.stringify(normalize(packet)))));
  });
});

function refDecode(messages: (string | BinaryData)[]): unknown {
  const decoder = new RefDecoder();
  let decoded: unknown;
  decoder.on("decoded", (p: unknown) => (decoded = p));
  try {
    for (const m of messages) decoder.add(typeof m === "string" ? m : Buffer.from(m as Uint8Array));
  } catch (error) {
    return (error as Error).message;
  }
  return decoded;
}

describe("Socket.IO decoding: accepted (4.4)", () => {
  it.each(titled(decodes.accepted))("row %i", (_, row) => {
    expect(new Decoder().add(row.input)).toStrictEqual(row.packet);
    expect(normalize(refDecode([row.input]))).toStrictEqual(row.packet);
  });

  it.each(titled(decodes.stricter))("row %i (stricter than the reference)", (_, row) => {
    expectError(new Decoder().add(row.input), row.error);
    expect(normalize(refDecode([row.input]))).toStrictEqual(row.reference);
  });
});

describe("Socket.IO decoding: rejected (4.5)", () => {
  it.each(titled(decodes.rejected))("row %i", (_, row) => {
    const decoder = new Decoder();
    expectError(decoder.add(row.input), row.error);
    expect(String(refDecode([row.input])).toLowerCase()).toContain(row.reference.toLowerCase());
    // The decoder is usable again after an error.
    expect(decoder.add('2["ok"]')).toStrictEqual({ type: 2, nsp: "/", data: ["ok"] });
  });
});

describe("Socket.IO decoding: binary sequences (4.6)", () => {
  it.each(titled(decodes.sequences))("row %i", (_, row) => {
    const messages = row.messages.map(revive) as (string | BinaryData)[];
    const decoder = new Decoder();
    const results = messages.map((m) => decoder.add(m));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    const last = results.at(-1);
    const reference = refDecode(messages);
    if (row.error === undefined) {
      expect(normalize(last)).toStrictEqual(normalize(revive(row.packet)));
      expect(normalize(reference)).toStrictEqual(normalize(revive(row.packet)));
    } else {
      expectError(last, row.error);
      expect(String(reference).toLowerCase()).toContain(row.reference?.toLowerCase());
    }
    expect(decoder.add('3[]')).toStrictEqual({ type: 3, nsp: "/", data: [] });
  });
});
