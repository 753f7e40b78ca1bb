/**
 * Node's native base64 as a `Base64Codec` for polling records, used by the server and by the
 * Node client in place of the core's pure JavaScript codec. Encoding is Buffer's. Buffer's
 * decoder is lenient (it skips unknown characters, stops at `=`, takes the URL-safe `-` `_`
 * and reads a UTF-16 unit by its low byte), so a record is decoded natively only after cheap
 * checks prove it strict base64; anything else, and short records, go to the pure decoder,
 * which returns the bytes or rejects the record exactly as it would without this codec.
 *
 * @example
 * decodePayload(body, nodeBase64);
 */
import { base64End, decodeBase64, type Base64Codec } from "./protocol/engine/base64.js";

// Buffer reads a UTF-16 unit by its low byte, so U+0141 would count as "A". On a one-byte
// string this class cannot match and V8 answers at once; only two-byte strings get scanned.
const WIDE = /[^\x00-\xff]/;

// Below this many characters a Buffer call costs more than decoding in JavaScript.
const NATIVE_FROM = 64;

/** Bytes of strict base64 decoded natively, or `undefined` when a check fails. */
function decodeNative(text: string): Uint8Array | undefined {
  const end = base64End(text);
  if (end < 0 || WIDE.test(text) || text.includes("-") || text.includes("_")) return undefined;
  const bytes = Buffer.from(text, "base64");
  // Buffer skips other characters outside the alphabet and stops at an inner "=": fewer bytes.
  return bytes.length === (end * 3) >> 2 ? bytes : undefined;
}

/** Base64 through Node's Buffer, with the strictness of the pure codec. */
export const nodeBase64: Base64Codec = {
  encode: (bytes) =>
    (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString("base64"),
  decode: (text) => (text.length < NATIVE_FROM ? decodeBase64(text) : (decodeNative(text) ?? decodeBase64(text))),
};
