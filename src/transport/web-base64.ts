/**
 * Base64 for polling `b` records through the platform's `btoa`/`atob` (browsers, workers,
 * Node): the polling transport's default, so the browser bundle carries no codec of its own.
 * It is as strict as the core's codec: `atob` already refuses bad characters, bad padding and
 * a lone last character, and ASCII whitespace, which `atob` skips, is refused first.
 */
import type { Base64Codec } from "../protocol/engine/base64.js";

// String.fromCharCode takes its arguments on the stack: convert in slices.
const SLICE = 0x8000;
const WHITESPACE = /[\t\n\f\r ]/;

export const webBase64: Base64Codec = {
  encode(bytes) {
    let binary = "";
    for (let i = 0; i < bytes.length; i += SLICE) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + SLICE) as unknown as number[]);
    }
    return btoa(binary);
  },
  decode(text) {
    if (WHITESPACE.test(text)) return undefined;
    let binary: string;
    try {
      binary = atob(text);
    } catch {
      return undefined;
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  },
};
