/**
 * The Engine.IO open packet's JSON (PROTOCOL.md 1.4): validated on the way in, so the rest of
 * the client can trust every field, and written in the reference server's key order.
 */
import { ProtocolError } from "../error.js";
import type { Handshake } from "./packet.js";

function invalid(message: string, cause?: unknown): ProtocolError {
  return new ProtocolError("ERR_EIO_HANDSHAKE", `invalid Engine.IO handshake: ${message}`, { cause });
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

/**
 * Parses the data of an open packet. Unknown keys are ignored; `maxPayload` may be absent
 * (servers before engine.io 6.2.0).
 */
export function parseHandshake(data: string): Handshake | ProtocolError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    return invalid("not JSON", error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return invalid("not an object");
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = parsed as Record<string, unknown>;
  if (typeof sid !== "string" || sid.length === 0) return invalid("sid must be a non-empty string");
  if (!isStringArray(upgrades)) return invalid("upgrades must be an array of strings");
  if (!isDuration(pingInterval)) return invalid("pingInterval must be a non-negative integer");
  if (!isDuration(pingTimeout)) return invalid("pingTimeout must be a non-negative integer");
  const handshake = { sid, upgrades, pingInterval, pingTimeout };
  if (maxPayload === undefined) return handshake;
  if (!isDuration(maxPayload)) return invalid("maxPayload must be a non-negative integer");
  return { ...handshake, maxPayload };
}

/** Writes the open packet's data with the reference key order. */
export function encodeHandshake(h: Handshake): string {
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = h;
  return JSON.stringify(
    maxPayload === undefined
      ? { sid, upgrades, pingInterval, pingTimeout }
      : { sid, upgrades, pingInterval, pingTimeout, maxPayload },
  );
}
