/**
 * The pure base64 codec of the core, the Node one (Buffer behind strict checks) and the web
 * one (atob/btoa, the polling transport's default) must be interchangeable: same text out, same bytes back, the same inputs refused, and the same
 * results from the polling codec functions whichever is passed in.
 */
import { describe, expect, it } from "vitest";
import { base64Length, pureBase64, type Base64Codec } from "../../src/protocol/engine/base64.js";
import { decodePayload, encodePayload, encodeRecord, recordLength } from "../../src/protocol/engine/codec.js";
import type { EnginePacket } from "../../src/protocol/engine/packet.js";
import { ProtocolError } from "../../src/protocol/error.js";
import { nodeBase64 } from "../../src/node-base64.js";
import { webBase64 } from "../../src/transport/web-base64.js";
import { Random } from "./random.js";

const CODECS: readonly (readonly [string, Base64Codec])[] = [
  ["pure", pureBase64],
  ["node", nodeBase64],
  ["web", webBase64],
];

/** A plain copy of decoded bytes: Buffer and Uint8Array compare equal by content only. */
function plain(bytes: Uint8Array | undefined): number[] | undefined {
  return bytes === undefined ? undefined : Array.from(bytes);
}

const RFC4648: readonly (readonly [string, string])[] = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

// Sizes around the 4096-character output chunk (3072 bytes) and beyond the 64 KiB scan buffer.
const LARGE = [3071, 3072, 3073, 6143, 6144, 6145, 16 * 1024, 49151, 49152, 49153, 100_000];

describe.each(CODECS)("%s base64", (_, codec) => {
  it.each(RFC4648)("RFC 4648: %j <-> %j", (ascii, text) => {
    const bytes = Uint8Array.from(ascii, (c) => c.charCodeAt(0));
    expect(codec.encode(bytes)).toBe(text);
    expect(plain(codec.decode(text))).toStrictEqual(Array.from(bytes));
    expect(plain(codec.decode(text.replace(/=+$/, "")))).toStrictEqual(Array.from(bytes));
  });

  it("agrees with Buffer on seeded random bytes of every length up to 300 and large ones", () => {
    const random = new Random(0xba5e64);
    for (const n of [...Array.from({ length: 301 }, (_, i) => i), ...LARGE]) {
      const bytes = random.bytes(n);
      const text = Buffer.from(bytes).toString("base64");
      expect(codec.encode(bytes), `length ${n}`).toBe(text);
      expect(text).toHaveLength(base64Length(n));
      expect(plain(codec.decode(text)), `length ${n}`).toStrictEqual(Array.from(bytes));
      expect(plain(codec.decode(text.replace(/=+$/, ""))), `length ${n} unpadded`).toStrictEqual(Array.from(bytes));
    }
  });

  it("encodes exactly the window of a view, not its whole buffer", () => {
    const backing = new Random(7).bytes(64);
    const view = backing.subarray(5, 42);
    expect(codec.encode(view)).toBe(Buffer.from(backing.slice(5, 42)).toString("base64"));
  });
});

describe("the node codec", () => {
  it("decodes valid text, padded or not, with Buffer itself; invalid text never", () => {
    const text = Buffer.from(new Random(3).bytes(3001)).toString("base64");
    expect(Buffer.isBuffer(nodeBase64.decode(text))).toBe(true);
    expect(Buffer.isBuffer(nodeBase64.decode(text.replace(/=+$/, "")))).toBe(true);
    expect(nodeBase64.decode(text.slice(0, 100) + "-" + text.slice(101))).toBeUndefined();
  });
});

const INVALID: readonly (readonly [string, string])[] = [
  ["bad character", "!!!!"],
  ["URL-safe minus", "AB-A"],
  ["URL-safe underscore", "AB_A"],
  ["URL-safe in a longer text", "AQIDBAUG-wgJ"],
  ["space", "AQID BAUG"],
  ["newline", "AQIDBAUG\n"],
  ["tab in front", "\tAQIDBAU"],
  ["carriage return and newline", "AQID\r\nBAUG"],
  ["NUL", "AQI\u0000"],
  ["Latin-1 letter", "AQ\u00e9D"],
  ["UTF-16 unit whose low byte is a letter", "AB\u0141A"],
  ["UTF-16 unit whose low byte is a digit", "\u0130AAA"],
  ["emoji", "\u{1f600}AA"],
  ["padding inside", "AQ=D"],
  ["padding quantum then data", "AQ==AQ=="],
  ["padding first", "=AAA"],
  ["only padding", "===="],
  ["three padding characters", "A==="],
  ["padding too long", "AQIDBA==="],
  ["padding on an unfinished quantum", "AQ="],
  ["padding after a whole quantum", "AQID="],
  ["one character", "A"],
  ["one character over", "AQIDB"],
  ["five characters", "AAAAA"],
];

function longWith(bad: string, at: number, length: number): string {
  const text = Buffer.from(new Random(length).bytes(length)).toString("base64");
  return text.slice(0, at) + bad + text.slice(at + bad.length);
}

// Whole quanta in front, so that the Node codec decodes natively rather than in JavaScript.
const LEAD = "QUJD".repeat(24);

describe("every codec refuses the same input", () => {
  it.each(INVALID)("%s: %j, alone and after 96 valid characters", (_, text) => {
    for (const input of [text, LEAD + text]) {
      for (const [name, codec] of CODECS) expect(codec.decode(input), name).toBeUndefined();
    }
  });

  it.each([
    ["a minus", "-"],
    ["a space", " "],
    ["a UTF-16 unit read as 'A' by Buffer", "\u0141"],
    ["inner padding", "="],
    ["a Latin-1 letter", "\u00e9"],
  ])("in a long text: %s (below and above 64 KiB)", (_, bad) => {
    for (const length of [30_000, 60_000]) {
      for (const at of [0, 1001, 39_000]) {
        const text = longWith(bad, at, length);
        for (const [name, codec] of CODECS) expect(codec.decode(text), `${name}: ${length} at ${at}`).toBeUndefined();
      }
    }
  });

  it("seeded mutations of valid text decode alike or are refused alike", () => {
    const random = new Random(0x64);
    const units = [..."AZaz09+/=-_ \n\t.!", "\u0000", "\u00c1", "\u0141", "\u0161", "\u0130", "\ud83d", "\ufffd"];
    for (let round = 0; round < 20_000; round++) {
      const bytes = random.bytes(random.int(90));
      let text = Buffer.from(bytes).toString("base64");
      for (let edits = 1 + random.int(3); edits > 0; edits--) {
        const at = random.int(text.length + 1);
        const unit = random.pick(units);
        const kind = random.int(3);
        if (kind === 0) text = text.slice(0, at) + unit + text.slice(at + 1);
        else if (kind === 1) text = text.slice(0, at) + unit + text.slice(at);
        else text = text.slice(0, at) + text.slice(at + 1);
      }
      const expected = plain(pureBase64.decode(text));
      expect(plain(nodeBase64.decode(text)), JSON.stringify(text)).toStrictEqual(expected);
      expect(plain(webBase64.decode(text)), JSON.stringify(text)).toStrictEqual(expected);
    }
  });
});

describe("the polling codec functions give the same results with either codec", () => {
  const random = new Random(0xc0dec);
  const backing = random.bytes(9000);
  const packets: EnginePacket[] = [
    { type: "message", data: '451-["file",{"_placeholder":true,"num":0}]' },
    { type: "message", data: backing.subarray(3, 3 + 4099) },
    { type: "message", data: backing.buffer.slice(0, 2) as ArrayBuffer },
    { type: "message", data: new DataView(backing.buffer, 100, 7) },
    { type: "message", data: new Uint16Array(backing.buffer, 200, 5) },
    { type: "message", data: new Uint8Array(0) },
    { type: "ping" },
    { type: "message", data: "é€😀" },
  ];

  it("encodeRecord and encodePayload write the same text, whose length recordLength predicts", () => {
    for (const p of packets) {
      const record = encodeRecord(p, nodeBase64);
      expect(record).toBe(encodeRecord(p));
      expect(Buffer.byteLength(record, "utf8")).toBe(recordLength(p));
    }
    expect(encodePayload(packets, nodeBase64)).toBe(encodePayload(packets));
    expect(encodePayload(packets, pureBase64)).toBe(encodePayload(packets));
    expect(encodePayload(packets, webBase64)).toBe(encodePayload(packets));
  });

  it("decodePayload reads back the same packets", () => {
    const body = encodePayload(packets);
    const viaNode = decodePayload(body, nodeBase64);
    const viaWeb = decodePayload(body, webBase64);
    const viaPure = decodePayload(body);
    expect(viaNode.error).toBeUndefined();
    expect(viaWeb.error).toBeUndefined();
    const contents = (ps: EnginePacket[]) => ps.map((p) => (p.data instanceof Uint8Array ? { ...p, data: plain(p.data) } : p));
    expect(contents(viaNode.packets)).toStrictEqual(contents(viaPure.packets));
    expect(contents(viaWeb.packets)).toStrictEqual(contents(viaPure.packets));
    expect(viaPure.packets[1]?.data).toStrictEqual(backing.slice(3, 3 + 4099));
  });

  it.each(INVALID)("an invalid record (%s) ends both payloads alike", (_, text) => {
    const body = `4ok\x1eb${LEAD}${text}\x1e4never`;
    for (const [, codec] of CODECS) {
      const result = decodePayload(body, codec);
      expect(result.packets).toStrictEqual([{ type: "message", data: "ok" }]);
      expect(result.error).toBeInstanceOf(ProtocolError);
      expect(result.error?.code).toBe("ERR_EIO_PACKET");
    }
  });
});
