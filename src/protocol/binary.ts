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

/** True for ArrayBuffer (also from other realms), every ArrayBuffer view, and Blob/File. */
export function isBinary(value: unknown): value is BinaryData {
  if (typeof value !== "object" || value === null) return false;
  if (ArrayBuffer.isView(value)) return true;
  const tag = toTag.call(value);
  return tag === "[object ArrayBuffer]" || tag === "[object Blob]" || tag === "[object File]";
}

/** True for a Blob or File, which only a transport can turn into bytes (asynchronously). */
export function isBlob(value: unknown): value is BlobLike {
  if (typeof value !== "object" || value === null) return false;
  const tag = toTag.call(value);
  return tag === "[object Blob]" || tag === "[object File]";
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
