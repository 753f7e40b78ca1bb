/**
 * Engine.IO v4 packet codec (PROTOCOL.md 1.3, 1.5, 1.10). Two forms:
 * - WebSocket: one packet per frame; text packets are the type digit plus data, a binary frame
 *   is always a message holding exactly its bytes;
 * - polling: records joined by U+001E, binary messages as `b` + base64. The base64 step is
 *   the built-in pure one unless a host passes its native codec (`Base64Codec`) last.
 * Decoders return a `ProtocolError` for bad peer data and never throw. Encoders throw a
 * `VolleyError` only for local misuse (binary data on a control packet, a Blob in a record).
 */
import { isBlob, toBytes, type Frame } from "../binary.js";
import { invalidPacket, protocolError, ProtocolError } from "../error.js";
import { base64Length, pureBase64, type Base64Codec } from "./base64.js";
import type { EnginePacket, EnginePacketType } from "./packet.js";

const TYPES: readonly EnginePacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
/** The type digit of each packet type: `{ open: "0", close: "1", ... }`. */
const DIGITS = Object.fromEntries(TYPES.map((type, digit) => [type, String(digit)])) as Readonly<Record<EnginePacketType, string>>;
const SEPARATOR = "\x1e";
const ZERO = 48;
const LOWER_B = 98;

/** WebSocket form: `"4hello"` for text, the bytes as given for a binary message. */
export function encodePacket(p: EnginePacket): Frame {
  const data = p.data;
  if (data === undefined) return DIGITS[p.type];
  if (typeof data === "string") return DIGITS[p.type] + data;
  if (p.type !== "message") throw invalidPacket(`a ${p.type} packet cannot carry binary data`);
  return data;
}

/** Decodes a text packet (type digit + data); `b` records are a polling-only form. */
function decodeText(text: string): EnginePacket | ProtocolError {
  const type = TYPES[text.charCodeAt(0) - ZERO];
  if (type === undefined) {
    return protocolError("ERR_EIO_PACKET", `unknown packet type ${JSON.stringify(text.slice(0, 1))}`);
  }
  return text.length === 1 ? { type } : { type, data: text.slice(1) };
}

/** WebSocket form: a text frame is one packet, a binary frame is one message. */
export function decodePacket(f: Frame): EnginePacket | ProtocolError {
  if (typeof f === "string") return decodeText(f);
  return { type: "message", data: f };
}

/**
 * Polling record form: binary messages become `b` + base64. Blobs must be read into bytes first.
 * @param base64 the codec for binary messages; @default the built-in pure codec
 */
export function encodeRecord(p: EnginePacket, base64: Base64Codec = pureBase64): string {
  // encodePacket's text cases repeated rather than called: a polling body is built record by record.
  const data = p.data;
  if (data === undefined) return DIGITS[p.type];
  if (typeof data === "string") return DIGITS[p.type] + data;
  if (p.type !== "message") throw invalidPacket(`a ${p.type} packet cannot carry binary data`);
  if (isBlob(data)) throw invalidPacket("a Blob must be read into bytes first");
  return "b" + base64.encode(toBytes(data as ArrayBuffer | ArrayBufferView));
}

/**
 * A polling body: the records of `ps` joined by U+001E.
 * @param base64 the codec for binary messages; @default the built-in pure codec
 */
export function encodePayload(ps: readonly EnginePacket[], base64: Base64Codec = pureBase64): string {
  let body = "";
  for (let i = 0; i < ps.length; i++) {
    if (i > 0) body += SEPARATOR;
    body += encodeRecord(ps[i] as EnginePacket, base64);
  }
  return body;
}

/** The record `body[start..end)`, sliced once (a `b` record without its `b`). */
function decodeRecord(body: string, start: number, end: number, base64: Base64Codec): EnginePacket | ProtocolError {
  if (body.charCodeAt(start) !== LOWER_B) {
    if (start === end) return protocolError("ERR_EIO_PACKET", "empty record");
    return decodeText(body.slice(start, end));
  }
  const bytes = base64.decode(body.slice(start + 1, end));
  if (bytes === undefined) return protocolError("ERR_EIO_PACKET", "invalid base64");
  return { type: "message", data: bytes };
}

/**
 * Splits a polling body into packets. Records before an invalid one are kept; decoding stops
 * at the first invalid record, whose error is returned alongside. Binary messages come back
 * as Uint8Array; the caller converts them to its platform's type.
 * @param base64 the codec for binary messages; @default the built-in pure codec
 */
export function decodePayload(body: string, base64: Base64Codec = pureBase64): { packets: EnginePacket[]; error?: ProtocolError } {
  const packets: EnginePacket[] = [];
  if (body.length === 0) return { packets, error: protocolError("ERR_EIO_PAYLOAD", "empty payload") };
  let start = 0;
  for (;;) {
    const next = body.indexOf(SEPARATOR, start);
    const end = next === -1 ? body.length : next;
    const packet = decodeRecord(body, start, end, base64);
    if (packet instanceof ProtocolError) return { packets, error: packet };
    packets.push(packet);
    if (next === -1) return { packets };
    start = next + 1;
  }
}

/** UTF-8 byte length of a string, lone surrogates counted as U+FFFD (3 bytes), as encoders write them. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    bytes += code < 0x800 ? 1 : 2;
    // A surrogate pair: its 2 UTF-16 units make 4 bytes, already counted.
    if ((code & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return bytes;
}

/** How many packets from the front of a queue go into one polling payload of at most `limit` bytes. */
export type PayloadFit = (queue: readonly EnginePacket[], limit: number) => number;

/**
 * The longest prefix of `queue` whose payload (records joined by \x1e) fits in `limit` bytes;
 * at least one packet, so an oversized one still goes (and the server refuses it).
 */
export const payloadPrefix: PayloadFit = (queue, limit) => {
  let size = -1; // no separator before the first record
  for (let i = 0; i < queue.length; i++) {
    size += 1 + recordLength(queue[i] as EnginePacket);
    if (size > limit) return Math.max(i, 1);
  }
  return queue.length;
};

/** Exact UTF-8 byte length of `encodeRecord(p)`, for `maxPayload` batching: the type digit or `b`, then the data. */
export function recordLength(p: EnginePacket): number {
  const data = p.data;
  if (data === undefined) return 1;
  if (typeof data === "string") return 1 + utf8Length(data);
  return 1 + base64Length(isBlob(data) ? data.size : (data as ArrayBuffer | ArrayBufferView).byteLength);
}
