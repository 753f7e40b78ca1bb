/**
 * The captured sessions of the protocol document, replayed frame by frame through both
 * layers in both directions: each wire frame decodes to the recorded Engine.IO packets and
 * Socket.IO packets (one decoder per direction, as on a real connection), and encoding those
 * packets gives back the exact frames.
 */
import { describe, expect, it } from "vitest";
import type { BinaryData, Frame } from "../../src/protocol/binary.js";
import { decodePacket, decodePayload, encodePacket, encodePayload, encodeRecord } from "../../src/protocol/engine/codec.js";
import { encodeHandshake, parseHandshake } from "../../src/protocol/engine/handshake.js";
import type { EnginePacket, Handshake } from "../../src/protocol/engine/packet.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";
import type { SioPacket } from "../../src/protocol/socketio/packet.js";
import { canonical, hexBytes, loadVectors, revive } from "./vector-data.js";

interface Step {
  dir: "C>S" | "S>C";
  wire: "ws" | "polling";
  frame: unknown;
  engine: unknown[];
  socketio?: unknown[];
  handshake?: Handshake;
}
interface TranscriptFile {
  sessions: { name: string; frames: Step[] }[];
  base64: { bytes: string; record: string }[];
}

const transcript = loadVectors<TranscriptFile>("transcript");

function decodeFrame(step: Step): EnginePacket[] {
  if (step.wire === "polling") {
    const { packets, error } = decodePayload(step.frame as string);
    expect(error).toBeUndefined();
    return packets;
  }
  const packet = decodePacket(revive(step.frame) as Frame);
  return [packet as EnginePacket];
}

function encodeFrame(step: Step, packets: EnginePacket[]): unknown {
  return step.wire === "polling" ? encodePayload(packets) : encodePacket(packets[0] as EnginePacket);
}

describe.each(transcript.sessions.map((s) => [s.name, s] as const))("session: %s", (_, session) => {
  it(`replays ${session.frames.length} frames`, () => {
    const decoders = { "C>S": new Decoder(), "S>C": new Decoder() };
    const messages: Record<Step["dir"], (string | BinaryData)[]> = { "C>S": [], "S>C": [] };
    let completed = 0;
    for (const [index, step] of session.frames.entries()) {
      const where = `frame ${index}`;
      const expected = step.engine.map(revive) as EnginePacket[];
      const packets = decodeFrame(step);
      expect(canonical(packets), where).toBe(canonical(expected));
      expect(canonical(encodeFrame(step, expected)), where).toBe(canonical(revive(step.frame)));
      if (step.handshake !== undefined) {
        expect(parseHandshake(expected[0]?.data as string)).toStrictEqual(step.handshake);
        expect(encodeHandshake(step.handshake)).toBe(expected[0]?.data);
      }
      const data = packets.filter((p) => p.type === "message").map((p) => p.data as string | BinaryData);
      expect(data.length, where).toBe(step.socketio?.length ?? 0);
      for (const [k, message] of data.entries()) {
        const result = decoders[step.dir].add(message);
        const want = step.socketio?.[k];
        messages[step.dir].push(message);
        if (want === null) {
          expect(result, where).toBeUndefined();
          continue;
        }
        expect(canonical(result), where).toBe(canonical(revive(want)));
        // Encoding the packet gives the very messages it came from.
        expect(canonical(encode(result as SioPacket)), where).toBe(canonical(messages[step.dir]));
        messages[step.dir] = [];
        completed++;
      }
    }
    expect(completed).toBeGreaterThan(0);
  });
});

describe("base64 records of the protocol document", () => {
  it.each(transcript.base64.map((v) => [v.record, v] as const))("%s", (record, vector) => {
    const bytes = hexBytes(vector.bytes);
    expect(encodeRecord({ type: "message", data: bytes })).toBe(record);
    expect(decodePayload(record)).toStrictEqual({ packets: [{ type: "message", data: bytes }] });
  });
});
