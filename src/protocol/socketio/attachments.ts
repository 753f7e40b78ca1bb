/**
 * Binary attachments (PROTOCOL.md 2.4): swapping binary values for
 * `{"_placeholder":true,"num":k}` on the way out, and placeholders for the received
 * attachments on the way in. Both directions are one walk, bounded in depth, so hostile
 * nesting or a circular payload cannot overflow the stack.
 */
import { isBinary, isBlob, toBytes, type BinaryData } from "../binary.js";
import { invalidPacket, protocolError } from "../error.js";

/** Deepest nesting the attachment walks follow (both directions); beyond it data is refused. */
export const MAX_NESTING = 1000;

const hasOwn = Object.prototype.hasOwnProperty;
const objectProto = Object.prototype;

/**
 * `value` with its binary values and placeholders swapped, depth first (array items by index,
 * own properties in order; not into objects with `toJSON`, which JSON.stringify replaces).
 * Encoding (`attachments` empty at first) collects binary values in `attachments` and puts
 * placeholders in their place; decoding puts `attachments` in place of placeholders, in place
 * (the tree is fresh from JSON.parse). Encoding copies only the arrays and objects on the way
 * to a swapped value: with nothing swapped the result is `value` itself. Throws a VolleyError
 * (encoding) or a ProtocolError (decoding).
 */
export function swapAttachments(value: object, attachments: BinaryData[], decoding: boolean, depth: number): unknown {
  if (depth > MAX_NESTING) {
    const message = `data nested deeper than ${MAX_NESTING} levels`;
    throw decoding ? protocolError("ERR_SIO_PAYLOAD", message) : invalidPacket(`${message}, or circular`);
  }
  if (Array.isArray(value)) {
    let copy = decoding ? value : undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const swapped = swapAttachments(item, attachments, decoding, depth + 1);
      if (swapped !== item) (copy ??= value.slice())[i] = swapped;
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  if (decoding) {
    if (hasOwn.call(object, "_placeholder") && object["_placeholder"] === true) {
      const num = hasOwn.call(object, "num") ? object["num"] : undefined;
      // Out of range (negative included) finds nothing, as does a num that is not an integer.
      const found = Number.isInteger(num) ? attachments[num as number] : undefined;
      if (found === undefined) throw protocolError("ERR_SIO_ATTACHMENTS", "illegal attachments");
      return found;
    }
  } else if (Object.getPrototypeOf(object) !== objectProto) {
    if (isBinary(object)) {
      // A Blob as is, anything else as a Uint8Array over exactly its bytes.
      attachments.push(isBlob(object) ? object : toBytes(object));
      return { _placeholder: true, num: attachments.length - 1 };
    }
    if (typeof object["toJSON"] === "function") return object;
  }
  let copy = decoding ? object : undefined;
  for (const key in object) {
    const item = object[key];
    if (typeof item !== "object" || item === null || !hasOwn.call(object, key)) continue;
    const swapped = swapAttachments(item, attachments, decoding, depth + 1);
    // An own key of the spread copy or of a JSON.parse result, `__proto__` included, is a data
    // property: this assignment sets it and never the prototype.
    if (swapped !== item) (copy ??= { ...object })[key] = swapped;
  }
  return copy ?? object;
}
