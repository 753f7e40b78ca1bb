/**
 * What counts as binary data on the wire, recognised without touching any global: the core
 * must run unchanged in browsers, workers and Node, and must not reference `Buffer` or `Blob`.
 */

/** A `Blob` as far as the core needs it: something a transport can send as bytes. */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Binary data: an `ArrayBuffer`, any view on one (typed arrays, `DataView`, Node `Buffer`), or a `Blob`. */
export type BinaryData = ArrayBuffer | ArrayBufferView | BlobLike;

/** One Engine.IO frame as a transport moves it. */
export type Frame = string | BinaryData;

const toTag = Object.prototype.toString;

/** `[object Blob]` and the like for an object, `""` for anything else. */
function tag(value: unknown): string {
  return typeof value === "object" && value !== null ? toTag.call(value) : "";
}

/** True for a Blob or File, which only a transport can turn into bytes (asynchronously). */
export function isBlob(value: unknown): value is BlobLike {
  const t = tag(value);
  return t === "[object Blob]" || t === "[object File]";
}

/** True for ArrayBuffer (also from other realms), every ArrayBuffer view, and Blob/File. */
export function isBinary(value: unknown): value is BinaryData {
  return ArrayBuffer.isView(value) || isBlob(value) || tag(value) === "[object ArrayBuffer]";
}

/**
 * The bytes an ArrayBuffer or view covers, as a Uint8Array over the same memory (no copy). A
 * view yields exactly its `byteOffset`/`byteLength` window, never its whole buffer.
 */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
