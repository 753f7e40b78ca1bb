/** Conversions between `ws` frames, Engine.IO packets and Node Buffers. */
import type { RawData, WebSocket } from "ws";
import type { BinaryData } from "../protocol/binary.js";
import { encodePacket } from "../protocol/engine/codec.js";
import type { EnginePacket } from "../protocol/engine/packet.js";

export function toBuffer(data: BinaryData): Buffer {
  const view = data as Uint8Array;
  return Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

export function rawToFrame(data: RawData, isBinary: boolean): string | Buffer {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return isBinary ? buffer : buffer.toString("utf8");
}

/** A message packet with its WebSocket frame already encoded, shared by every recipient of a broadcast. */
export interface WirePacket extends EnginePacket {
  readonly wire: { readonly bytes: Buffer; readonly binary: boolean };
}

/** Message packets for `frames`, each UTF-8 encoded once for WebSocket. */
export function preEncode(frames: readonly (string | BinaryData)[]): WirePacket[] {
  return frames.map((data) =>
    typeof data === "string"
      ? { type: "message", data, wire: { bytes: Buffer.from("4" + data, "utf8"), binary: false } }
      : { type: "message", data, wire: { bytes: toBuffer(data), binary: true } },
  );
}

/** Server-side binary data is always bytes, never a Blob. `sent` runs once the frame is written (or failed). */
export function wsSend(ws: WebSocket, p: EnginePacket, sent?: () => void): void {
  const wire = (p as Partial<WirePacket>).wire;
  if (wire) ws.send(wire.bytes, { binary: wire.binary }, sent);
  else ws.send(encodePacket(p) as string | ArrayBufferView, sent);
}
