/**
 * Socket.IO v5 packet codec (PROTOCOL.md 2.2-2.4, 2.10). The encoder turns a packet into one
 * text message plus one binary message per attachment. The `Decoder` holds the only state: a
 * binary packet waiting for its attachments, so there is one decoder per Engine.IO session.
 * Bad peer data comes back as a `ProtocolError`; the decoder never throws and never writes
 * through a `__proto__` key.
 */
import type { BinaryData, Frame } from "../binary.js";
import { invalidPacket, protocolError, ProtocolError } from "../error.js";
import { swapAttachments } from "./attachments.js";
import { PacketType, RESERVED_EVENTS, type SioPacket } from "./packet.js";

const ZERO = 48;
const NINE = 57;
const SLASH = 47;
const DASH = 45;

// ---------------------------------------------------------------------------------------
// Encoding

/**
 * Encodes a packet: the text message (without the Engine.IO `4`), then its attachments. An
 * EVENT or ACK with binary data anywhere becomes a BINARY_EVENT or BINARY_ACK.
 * Throws a `VolleyError` (`ERR_INVALID_PACKET`) for a packet that cannot be sent.
 *
 * @example
 * encode({ type: PacketType.EVENT, nsp: "/", id: 12, data: ["foo"] }); // ['212["foo"]']
 */
export function encode(p: SioPacket): Frame[] {
  if (!(Number.isInteger(p.type) && p.type >= 0 && p.type <= 6)) throw invalidPacket(`unknown packet type ${String(p.type)}`);
  if (p.nsp !== "/" && (p.nsp.charCodeAt(0) !== SLASH || p.nsp.includes(","))) {
    throw invalidPacket(`namespace ${JSON.stringify(p.nsp)} must start with "/" and hold no ","`);
  }
  if (p.id !== undefined && !(Number.isSafeInteger(p.id) && p.id >= 0)) {
    throw invalidPacket(`ack id ${String(p.id)} must be a non-negative safe integer`);
  }
  let type: number = p.type;
  let data = p.data;
  let frames: Frame[] | undefined;
  if (type >= PacketType.BINARY_EVENT) type -= 3;
  if ((type === PacketType.EVENT || type === PacketType.ACK) && typeof data === "object" && data !== null) {
    const attachments: BinaryData[] = [];
    data = swapAttachments(data, attachments, false, 0);
    if (attachments.length > 0) {
      frames = attachments;
      type += 3;
    }
  }
  let text = String(type);
  if (frames !== undefined) text += frames.length + "-";
  if (p.nsp !== "/") text += p.nsp + ",";
  if (p.id !== undefined) text += p.id;
  try {
    // A function or symbol alone serialises to nothing.
    if (data !== undefined) text += JSON.stringify(data) ?? "";
  } catch (error) {
    throw invalidPacket("data cannot be serialised to JSON", error);
  }
  if (frames === undefined) return [text];
  frames.unshift(text);
  return frames;
}

// ---------------------------------------------------------------------------------------
// Decoding

/** Options of {@link Decoder}. */
export interface DecoderOptions {
  /**
   * Most attachments a binary packet may announce; more is "too many attachments".
   * @default 10
   */
  readonly maxAttachments?: number;
  /**
   * Longest text message accepted, in UTF-16 code units. Engine.IO's `maxPayload` already
   * bounds what a server accepts; this bounds what one Socket.IO message may hold.
   * @default Infinity
   */
  readonly maxLength?: number;
}

type MutablePacket = { -readonly [K in keyof SioPacket]: SioPacket[K] };

/** A binary packet waiting for `count` attachments; its `data` still holds the placeholders. */
interface Pending {
  readonly packet: MutablePacket;
  readonly count: number;
  readonly attachments: BinaryData[];
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The rules of PROTOCOL.md 2.10 for a decoded payload (`hasData` false: nothing after the
 * header); a binary packet is checked as the EVENT or ACK it carries.
 */
function validPayload(type: number, hasData: boolean, data: unknown, id: number | undefined): boolean {
  switch (type) {
    case PacketType.CONNECT:
      return !hasData || isPlainObject(data);
    case PacketType.DISCONNECT:
      return !hasData;
    case PacketType.EVENT: {
      if (!Array.isArray(data)) return false;
      const name: unknown = data[0];
      return typeof name === "string" ? !RESERVED_EVENTS.has(name) : typeof name === "number";
    }
    case PacketType.ACK:
      return Array.isArray(data);
    default:
      return id === undefined && (typeof data === "string" || isPlainObject(data));
  }
}

function invalidPayload(cause?: unknown): ProtocolError {
  return protocolError("ERR_SIO_PAYLOAD", "invalid payload", cause);
}

/**
 * Reassembles Socket.IO packets from Engine.IO messages. One per Engine.IO session: a binary
 * packet's attachments must follow its text message directly.
 *
 * @example
 * const decoder = new Decoder();
 * decoder.add('51-["up",{"_placeholder":true,"num":0}]'); // undefined: waiting
 * decoder.add(bytes); // { type: 2, nsp: "/", data: ["up", bytes] }
 */
export class Decoder {
  private readonly maxAttachments: number;
  private readonly maxLength: number;
  private pending: Pending | undefined = undefined;

  constructor(options: DecoderOptions = {}) {
    this.maxAttachments = options.maxAttachments ?? 10;
    this.maxLength = options.maxLength ?? Infinity;
  }

  /** Feeds one Engine.IO message. `undefined` means a binary packet waits for more attachments. */
  add(data: string | BinaryData): SioPacket | undefined | ProtocolError {
    const pending = this.pending;
    if (typeof data === "string") {
      if (pending === undefined) return this.decodeText(data);
      this.pending = undefined;
      return protocolError("ERR_SIO_UNEXPECTED_TEXT", "text message while attachments were expected");
    }
    if (pending === undefined) {
      return protocolError("ERR_SIO_UNEXPECTED_BINARY", "binary message while no attachments were expected");
    }
    const { packet, count, attachments } = pending;
    if (attachments.push(data) < count) return undefined;
    this.pending = undefined;
    try {
      // The data of a binary packet is an array (validPayload).
      packet.data = swapAttachments(packet.data as unknown[], attachments, true, 0);
      return packet;
    } catch (error) {
      return error instanceof ProtocolError ? error : invalidPayload(error);
    }
  }

  /** Drops a partly received binary packet (e.g. when the session ends). */
  reset(): void {
    this.pending = undefined;
  }

  private decodeText(text: string): SioPacket | undefined | ProtocolError {
    const length = text.length;
    if (length === 0) return protocolError("ERR_SIO_EMPTY", "empty message");
    if (length > this.maxLength) return protocolError("ERR_PAYLOAD_TOO_LARGE", `message longer than ${this.maxLength}`);
    let type = text.charCodeAt(0) - ZERO;
    if (!(type >= 0 && type <= 6)) return protocolError("ERR_SIO_PACKET_TYPE", `unknown packet type ${JSON.stringify(text[0])}`);
    let i = 1;
    let count = 0;
    if (type >= PacketType.BINARY_EVENT) {
      // 1+ digits, not all zero, then "-".
      for (let c = text.charCodeAt(i); c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) count = count * 10 + (c - ZERO);
      if (count === 0 || text.charCodeAt(i) !== DASH) return protocolError("ERR_SIO_ATTACHMENTS", "illegal attachments");
      if (count > this.maxAttachments) return protocolError("ERR_SIO_TOO_MANY_ATTACHMENTS", "too many attachments");
      i++;
      // From here on a binary packet is the EVENT or ACK it carries.
      type -= 3;
    }
    let nsp = "/";
    if (text.charCodeAt(i) === SLASH) {
      let comma = text.indexOf(",", i);
      if (comma === -1) comma = length;
      nsp = text.slice(i, comma);
      // Without a comma the namespace runs to the end and `i` goes past it: nothing follows.
      i = comma + 1;
    }
    let id: number | undefined;
    let c = text.charCodeAt(i);
    for (; c >= ZERO && c <= NINE; c = text.charCodeAt(++i)) id = (id ?? 0) * 10 + (c - ZERO);
    // Exact up to MAX_SAFE_INTEGER; beyond it rounding can only keep the value beyond it.
    if ((id ?? 0) > Number.MAX_SAFE_INTEGER) return protocolError("ERR_SIO_ACK_ID", "ack id is not a safe integer");
    const hasData = i < length;
    let data: unknown;
    if (hasData) {
      // JSON.parse skips leading blanks, but a blank here means a malformed id (`2 ["x"]`); other
      // control characters are invalid JSON anyway.
      if (c <= 32) return invalidPayload();
      try {
        data = JSON.parse(text.slice(i));
      } catch (error) {
        return invalidPayload(error);
      }
    }
    if (!validPayload(type, hasData, data, id)) return invalidPayload();
    // Each shape is one literal: adding keys one by one made the decoder measurably slower.
    const t = type as PacketType;
    let packet: MutablePacket;
    if (id === undefined) packet = hasData ? { type: t, nsp, data } : { type: t, nsp };
    else packet = hasData ? { type: t, nsp, id, data } : { type: t, nsp, id };
    if (count === 0) return packet;
    this.pending = { packet, count, attachments: [] };
    return undefined;
  }
}
