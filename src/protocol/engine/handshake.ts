/**
 * The Engine.IO open packet's JSON (PROTOCOL.md 1.4): validated on the way in, so the rest of
 * the client can trust every field, and written in the reference server's key order.
 */
import { protocolError, type ProtocolError } from "../error.js";
import type { Handshake } from "./packet.js";

function invalid(message: string, cause?: unknown): ProtocolError {
  return protocolError("ERR_EIO_HANDSHAKE", `invalid handshake: ${message}`, cause);
}

const isDuration = (value: unknown): boolean => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/**
 * Each field in the reference key order, what it must hold and how to say so. `maxPayload`
 * may be absent (servers before engine.io 6.2.0).
 */
const FIELDS: readonly (readonly [keyof Handshake, (value: unknown) => boolean, string])[] = [
  ["sid", (value) => typeof value === "string" && value !== "", "a non-empty string"],
  ["upgrades", (value) => Array.isArray(value) && value.every((item) => typeof item === "string"), "an array of strings"],
  ["pingInterval", isDuration, "a non-negative integer"],
  ["pingTimeout", isDuration, "a non-negative integer"],
  ["maxPayload", (value) => value === undefined || isDuration(value), "a non-negative integer"],
];

/** The handshake's fields alone (an absent one left out), in the reference key order. */
function ordered(h: Handshake): Handshake {
  const out: Partial<Record<keyof Handshake, unknown>> = {};
  for (const [key] of FIELDS) if (h[key] !== undefined) out[key] = h[key];
  return out as Handshake;
}

/** Parses the data of an open packet. Unknown keys are ignored. */
export function parseHandshake(data: string): Handshake | ProtocolError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    return invalid("not JSON", error);
  }
  // JSON that is not an object (null, an array, ...) has no sid: refused by the first check
  for (const [key, valid, what] of FIELDS) {
    if (!valid((parsed as Record<string, unknown> | null)?.[key])) return invalid(`${key} must be ${what}`);
  }
  return ordered(parsed as Handshake);
}

/** Writes the open packet's data with the reference key order. */
export function encodeHandshake(h: Handshake): string {
  return JSON.stringify(ordered(h));
}
