/**
 * The `parser` option: volley's own shape (`encode`, `createDecoder`), or socket.io-client's
 * (`{ Encoder, Decoder }` classes whose decoder emits `decoded`, as socket.io-parser and
 * socket.io-msgpack-parser export), adapted once per Manager.
 */
import type { BinaryData, Frame } from "../protocol/binary.js";
import { Decoder, encode } from "../protocol/socketio/codec.js";
import type { SioPacket } from "../protocol/socketio/packet.js";
import type { LegacyParser, Parser } from "../types.js";

/** The standard Socket.IO codec (JSON text plus binary attachments). */
export const defaultParser: Parser = { encode, createDecoder: () => new Decoder() };

/** A Parser from either shape. */
export function toParser(parser: Parser | LegacyParser | undefined): Parser {
  if (parser === undefined) return defaultParser;
  if ("createDecoder" in parser) return parser;
  const encoder = new parser.Encoder();
  return {
    encode: (packet) => encoder.encode(packet) as Frame[],
    createDecoder() {
      const decoder = new parser.Decoder();
      let out: SioPacket | undefined;
      decoder.on("decoded", (packet: SioPacket) => (out = packet));
      return {
        add(data: string | BinaryData) {
          out = undefined;
          decoder.add(data);
          return out;
        },
      };
    },
  };
}
