/**
 * Binary attachments (PROTOCOL.md 2.4): finding binary values in a payload, swapping them for
 * `{"_placeholder":true,"num":k}` on the way out, and putting received attachments back in
 * place of the placeholders. Both walks are bounded in depth, so hostile nesting or a
 * circular payload cannot overflow the stack.
 */
import { isBinary, isBlob, toBytes, type BinaryData } from "../binary.js";
import { invalidPacket, protocolError } from "../error.js";

/** Deepest nesting the attachment walks follow (both directions); beyond it data is refused. */
export const MAX_NESTING = 1000;

const hasOwn = Object.prototype.hasOwnProperty;
const objectProto = Object.prototype;

/** What goes on the wire for one binary value: a Blob as is, anything else as a Uint8Array over exactly its bytes. */
function attachment(value: BinaryData): BinaryData {
  return isBlob(value) ? value : toBytes(value as ArrayBuffer | ArrayBufferView);
}

/**
 * `value` (an object) with every binary value replaced by a placeholder, collected in `out`.
 * Only the arrays and objects on the way to a binary value are copied; without binary data
 * the result is `value` itself, so one walk both detects and replaces.
 */
export function deconstruct(value: object, out: BinaryData[], depth: number): unknown {
  if (depth > MAX_NESTING) throw invalidPacket(`data nested deeper than ${MAX_NESTING} levels, or circular`);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const replaced = deconstruct(item, out, depth + 1);
      if (replaced !== item) (copy ??= value.slice())[i] = replaced;
    }
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== objectProto) {
    if (isBinary(value)) {
      out.push(attachment(value));
      return { _placeholder: true, num: out.length - 1 };
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  }
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const item = object[key];
    if (typeof item !== "object" || item === null || !hasOwn.call(object, key)) continue;
    const replaced = deconstruct(item, out, depth + 1);
    // The spread copies own keys as data properties, `__proto__` included, so this assignment
    // sets that own property and never the prototype.
    if (replaced !== item) (copy ??= { ...object })[key] = replaced;
  }
  return copy ?? object;
}

/**
 * Puts attachments in place of placeholders, in place (the tree is fresh from JSON.parse).
 * Throws a ProtocolError for a bad placeholder or too deep a tree; the decoder catches it.
 */
export function reconstruct(value: unknown, attachments: readonly BinaryData[], depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_NESTING) throw protocolError("ERR_SIO_PAYLOAD", `data nested deeper than ${MAX_NESTING} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) value[i] = reconstruct(item, attachments, depth + 1);
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  if (hasOwn.call(object, "_placeholder") && object["_placeholder"] === true) {
    const num = hasOwn.call(object, "num") ? object["num"] : undefined;
    // Out of range (negative included) finds nothing, as does a num that is not an integer.
    const found = Number.isInteger(num) ? attachments[num as number] : undefined;
    if (found === undefined) throw protocolError("ERR_SIO_ATTACHMENTS", "illegal attachments");
    return found;
  }
  for (const key in object) {
    if (!hasOwn.call(object, key)) continue;
    const item = object[key];
    if (typeof item !== "object" || item === null) continue;
    // An own key of a JSON.parse result, `__proto__` included: this sets that data property.
    object[key] = reconstruct(item, attachments, depth + 1);
  }
  return object;
}
