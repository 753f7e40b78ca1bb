/**
 * Standard base64 (RFC 4648, `+` `/`, `=` padding) over Uint8Array, used by the polling
 * `b<base64>` records. Written out here because the core may not reach for `atob`, `btoa` or
 * `Buffer`: it has to run unchanged in browsers, workers and Node. Hosts with a native codec
 * pass their own `Base64Codec` to the payload functions of codec.ts.
 */

/**
 * A base64 codec the polling record functions can use instead of the built-in one.
 *
 * `encode` returns padded standard base64. `decode` returns `undefined` for anything that is
 * not base64: a character outside the alphabet (whitespace and the URL-safe `-` `_`
 * included), padding that does not complete the last quantum, or a length that leaves a
 * single character over. Padding may be left out. The bytes may be a view into a larger
 * buffer: read them through `byteOffset`/`byteLength`.
 */
export interface Base64Codec {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array | undefined;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 61; // "="
const CHUNK = 4096;

interface Tables {
  /** Two output characters per 12 bits, so a 3-byte group costs two lookups. */
  readonly pairs: Uint16Array;
  /** And back: 12 bits per pair of ASCII characters, -1 where either is not base64. */
  readonly unpairs: Int16Array;
  /**
   * Where characters go out: String.fromCharCode.apply takes its arguments on the stack and
   * is several times faster on a plain array than on a typed array.
   */
  readonly chunk: number[];
}

// Built on first use: a client that never moves binary data over polling never allocates them.
let built: Tables | undefined;

function tables(): Tables {
  if (built === undefined) {
    const pairs = new Uint16Array(4096);
    const unpairs = new Int16Array(1 << 14).fill(-1);
    for (let i = 0; i < 4096; i++) {
      const high = ALPHABET.charCodeAt(i >>> 6);
      const low = ALPHABET.charCodeAt(i & 63);
      pairs[i] = (high << 8) | low;
      unpairs[(high << 7) | low] = i;
    }
    built = { pairs, unpairs, chunk: new Array<number>(CHUNK).fill(0) };
  }
  return built;
}

/** Length of the base64 text for `n` bytes, padding included. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** Encodes bytes as padded base64 text. */
export function encodeBase64(bytes: Uint8Array): string {
  const { pairs, chunk } = tables();
  const n = bytes.length;
  let text = "";
  let o = 0;
  let i = 0;
  for (const whole = n - (n % 3); i < whole; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    const high = pairs[v >>> 12] as number;
    const low = pairs[v & 4095] as number;
    chunk[o] = high >>> 8;
    chunk[o + 1] = high & 255;
    chunk[o + 2] = low >>> 8;
    chunk[o + 3] = low & 255;
    o += 4;
    if (o === CHUNK) {
      text += String.fromCharCode.apply(null, chunk);
      o = 0;
    }
  }
  if (o > 0) text += String.fromCharCode.apply(null, chunk.slice(0, o));
  return i < n ? text + tail(bytes, i, n - i) : text;
}

/** The last, padded quantum for the 1 or 2 bytes left over. */
function tail(bytes: Uint8Array, i: number, rest: number): string {
  const v = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
  return String.fromCharCode(
    ALPHABET.charCodeAt(v >>> 18),
    ALPHABET.charCodeAt((v >>> 12) & 63),
    rest === 2 ? ALPHABET.charCodeAt((v >>> 6) & 63) : PAD,
    PAD,
  );
}

/**
 * Where the base64 characters of `text[start..]` end once padding is set aside, or -1 when
 * the length or the padding alone make it invalid. Padding is optional but, when present,
 * must complete the last quantum. Does not look at the other characters.
 */
export function base64End(text: string, start = 0): number {
  let end = text.length;
  const length = end - start;
  if (length < 0) return -1;
  if (length % 4 === 0 && length > 0 && text.charCodeAt(end - 1) === PAD) {
    end -= text.charCodeAt(end - 2) === PAD ? 2 : 1;
  }
  return (end - start) % 4 === 1 ? -1 : end;
}

/**
 * Decodes base64 text starting at `start` (so a `b` record need not be sliced). Returns
 * `undefined` for anything that is not base64 (see `Base64Codec`).
 */
export function decodeBase64(text: string, start = 0): Uint8Array | undefined {
  const end = base64End(text, start);
  if (end < 0) return undefined;
  const { unpairs } = tables();
  const chars = end - start;
  const out = new Uint8Array((chars * 3) >> 2);
  let o = 0;
  let i = start;
  for (const whole = end - (chars % 4); i < whole; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 127) return undefined;
    const high = unpairs[(c0 << 7) | c1] as number;
    const low = unpairs[(c2 << 7) | c3] as number;
    if ((high | low) < 0) return undefined;
    const v = (high << 12) | low;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 255;
    out[o + 2] = v & 255;
    o += 3;
  }
  return i < end && !decodeTail(text, i, end, out, o) ? undefined : out;
}

/** The last 2 or 3 characters (an unpadded or padded short quantum); false if invalid. */
function decodeTail(text: string, i: number, end: number, out: Uint8Array, o: number): boolean {
  const a = sextet(text, i);
  const b = sextet(text, i + 1);
  const c = end - i === 3 ? sextet(text, i + 2) : 0;
  if ((a | b | c) < 0) return false;
  const v = (a << 18) | (b << 12) | (c << 6);
  out[o] = v >>> 16;
  if (end - i === 3) out[o + 1] = (v >>> 8) & 255;
  return true;
}

/** The 6 bits one character stands for, or -1 ("=" included). */
function sextet(text: string, index: number): number {
  return ALPHABET.indexOf(text.charAt(index));
}

/** The built-in codec, pure JavaScript: the default of every function that takes a `Base64Codec`. */
export const pureBase64: Base64Codec = {
  encode: encodeBase64,
  decode: (text) => decodeBase64(text),
};
