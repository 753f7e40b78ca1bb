/**
 * The hostile inputs of PROTOCOL.md 2.12: each once crashed or exhausted a Socket.IO or
 * Engine.IO parser. Every one must come back as a typed ProtocolError (or, where the input
 * is legal, as an ordinary packet), quickly and without touching Object.prototype.
 */
import { describe, expect, it } from "vitest";
import { decodePacket, decodePayload } from "../../src/protocol/engine/codec.js";
import { parseHandshake } from "../../src/protocol/engine/handshake.js";
import { ProtocolError } from "../../src/protocol/error.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";
import type { SioPacket } from "../../src/protocol/socketio/packet.js";

const PH = (num: unknown) => `{"_placeholder":true,"num":${JSON.stringify(num)}}`;
const bin = () => new Uint8Array([7]);

function code(result: unknown): string | undefined {
  return result instanceof ProtocolError ? result.code : undefined;
}

function feed(messages: (string | Uint8Array)[], decoder = new Decoder()): unknown[] {
  return messages.map((m) => decoder.add(m));
}

describe("Socket.IO parser advisories", () => {
  it("CVE-2020-36049: millions of id digits are refused in linear time", () => {
    expect(code(new Decoder().add("2" + "1".repeat(5_000_000) + '["x"]'))).toBe("ERR_SIO_ACK_ID");
    // Leading zeros keep the value small: still a plain id, still linear.
    expect(new Decoder().add("2" + "0".repeat(1_000_000) + '7["x"]')).toStrictEqual({ type: 2, nsp: "/", id: 7, data: ["x"] });
    expect(code(new Decoder().add('29007199254740992["x"]'))).toBe("ERR_SIO_ACK_ID");
    expect(new Decoder().add('29007199254740991["x"]')).toMatchObject({ id: Number.MAX_SAFE_INTEGER });
  });

  it('CVE-2022-2421: "num":"splice", out of range, negative and fractional nums', () => {
    for (const num of ["splice", 10, 1, -1, 0.5, "0", null, { valueOf: 0 }]) {
      const results = feed([`51-["hello",${PH(num)}]`, bin()]);
      expect(results[0]).toBeUndefined();
      expect(code(results[1]), JSON.stringify(num)).toBe("ERR_SIO_ATTACHMENTS");
    }
    expect(code(feed(['51-["hello",{"_placeholder":true}]', bin()])[1])).toBe("ERR_SIO_ATTACHMENTS");
  });

  it("CVE-2023-32695 and 4.2.4 hardening: non-string and reserved event names", () => {
    for (const input of ['2[{"toString":"foo"}]', '2[["a"]]', '2[null]', '2["disconnect"]', '2["newListener"]', '2["removeListener",1]', '2["connect_error"]']) {
      expect(code(new Decoder().add(input)), input).toBe("ERR_SIO_PAYLOAD");
    }
  });

  it('CVE-2024-38355: an event named "error" is an ordinary event', () => {
    expect(new Decoder().add('2["error","boom"]')).toStrictEqual({ type: 2, nsp: "/", data: ["error", "boom"] });
  });

  it("CVE-2026-33151: an unbounded attachment count is refused at once", () => {
    expect(code(new Decoder().add('5999999-["x"]'))).toBe("ERR_SIO_TOO_MANY_ATTACHMENTS");
    expect(code(new Decoder().add("5" + "9".repeat(1_000_000) + '-["x"]'))).toBe("ERR_SIO_TOO_MANY_ATTACHMENTS");
    // Through the Engine.IO layer as it arrives on the wire: 45999999-[...]
    const message = decodePacket('45999999-["x"]');
    expect(code(new Decoder().add((message as { data: string }).data))).toBe("ERR_SIO_TOO_MANY_ATTACHMENTS");
  });

  it("count 0 followed by endless binary frames stores nothing", () => {
    const decoder = new Decoder();
    expect(code(decoder.add('50-["x"]'))).toBe("ERR_SIO_ATTACHMENTS");
    for (let i = 0; i < 10_000; i++) expect(code(decoder.add(bin()))).toBe("ERR_SIO_UNEXPECTED_BINARY");
  });

  it("11 attachments are too many by default, and the limit is configurable", () => {
    const data = ["x", ...Array.from({ length: 11 }, bin)];
    const frames = encode({ type: 2, nsp: "/", data }) as (string | Uint8Array)[];
    expect(frames[0]?.slice(0, 4)).toBe("511-");
    expect(code(new Decoder().add(frames[0] as string))).toBe("ERR_SIO_TOO_MANY_ATTACHMENTS");
    const results = feed(frames, new Decoder({ maxAttachments: 11 }));
    expect((results.at(-1) as SioPacket).data).toStrictEqual(data);
    expect(code(new Decoder({ maxAttachments: 0 }).add(`51-["x",${PH(0)}]`))).toBe("ERR_SIO_TOO_MANY_ATTACHMENTS");
  });

  it("a 10,000-character namespace is decoded, or refused by maxLength", () => {
    const nsp = "/" + "n".repeat(9_999);
    expect(new Decoder().add(`2${nsp},["x"]`)).toStrictEqual({ type: 2, nsp, data: ["x"] });
    expect(code(new Decoder({ maxLength: 1000 }).add(`2${nsp},["x"]`))).toBe("ERR_PAYLOAD_TOO_LARGE");
  });

  it("deep nesting: JSON is parsed, binary placeholders are not chased past the bound", () => {
    const depth = 200_000;
    const deep = "[".repeat(depth) + "]".repeat(depth);
    expect(new Decoder().add(`2["x",${deep}]`)).toMatchObject({ type: 2 });
    const results = feed([`51-["x",${"[".repeat(depth)}${PH(0)}${"]".repeat(depth)}]`, bin()]);
    expect(code(results[1])).toBe("ERR_SIO_PAYLOAD");
    const objects = '{"a":'.repeat(5000) + PH(0) + "}".repeat(5000);
    expect(code(feed([`51-["x",${objects}]`, bin()])[1])).toBe("ERR_SIO_PAYLOAD");
    expect(code(parseHandshake(deep))).toBe("ERR_EIO_HANDSHAKE");
  });

  it("binary before any header, and text in the middle of a sequence", () => {
    expect(code(new Decoder().add(bin()))).toBe("ERR_SIO_UNEXPECTED_BINARY");
    const decoder = new Decoder();
    const results = feed([`52-["x",${PH(0)},${PH(1)}]`, bin(), '2["y"]', bin()], decoder);
    expect(results.slice(0, 2)).toStrictEqual([undefined, undefined]);
    expect(code(results[2])).toBe("ERR_SIO_UNEXPECTED_TEXT");
    expect(code(results[3])).toBe("ERR_SIO_UNEXPECTED_BINARY");
    expect(decoder.add('2["z"]')).toStrictEqual({ type: 2, nsp: "/", data: ["z"] });
  });
});

describe("Engine.IO hostile inputs", () => {
  it("b + invalid base64 ends the payload with an error", () => {
    for (const record of ["b!!!!", "bAQ=D", "bA", "b====", "bAQIDB===", "bAQ\u00e9D", "b😀AA"]) {
      const result = decodePayload("4ok\x1e" + record);
      expect(result.packets, record).toStrictEqual([{ type: "message", data: "ok" }]);
      expect(code(result.error), record).toBe("ERR_EIO_PACKET");
    }
  });

  it("a valid record then an invalid one, an empty body, a text b-frame on WebSocket", () => {
    expect(decodePayload("4a\x1ex")).toMatchObject({ packets: [{ type: "message", data: "a" }] });
    expect(code(decodePayload("4a\x1ex").error)).toBe("ERR_EIO_PACKET");
    expect(code(decodePayload("").error)).toBe("ERR_EIO_PAYLOAD");
    expect(code(decodePacket("bAQIDBA=="))).toBe("ERR_EIO_PACKET");
    expect(code(decodePacket(""))).toBe("ERR_EIO_PACKET");
  });

  it("a polling body of a million records is decoded in one pass", () => {
    const body = Array.from({ length: 1_000_000 }, () => "2").join("\x1e");
    expect(decodePayload(body).packets).toHaveLength(1_000_000);
  });

  it("handshakes with wrong shapes are refused", () => {
    const good = { sid: "a", upgrades: [], pingInterval: 1, pingTimeout: 1 };
    for (const bad of [
      "",
      "null",
      "[]",
      '"sid"',
      JSON.stringify({ ...good, sid: "" }),
      JSON.stringify({ ...good, sid: 5 }),
      JSON.stringify({ ...good, upgrades: "websocket" }),
      JSON.stringify({ ...good, upgrades: [1] }),
      JSON.stringify({ ...good, pingInterval: -1 }),
      JSON.stringify({ ...good, pingTimeout: "1" }),
      JSON.stringify({ ...good, pingInterval: 1e300 }),
      JSON.stringify({ ...good, maxPayload: null }),
      JSON.stringify({ ...good, maxPayload: 1.5 }),
      '{"__proto__":{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":1}}',
    ]) {
      expect(code(parseHandshake(bad)), bad).toBe("ERR_EIO_HANDSHAKE");
    }
    expect(parseHandshake(JSON.stringify({ ...good, extra: { x: 1 } }))).toStrictEqual(good);
  });
});

describe("prototype pollution", () => {
  it("__proto__ and constructor.prototype payloads stay inert data", () => {
    const inputs = [
      '2["x",{"__proto__":{"polluted":"yes"}}]',
      '2["x",{"constructor":{"prototype":{"polluted":"yes"}}}]',
      '0{"__proto__":{"polluted":"yes"}}',
      '4{"message":"m","__proto__":{"polluted":"yes"}}',
    ];
    for (const input of inputs) expect(new Decoder().add(input)).toMatchObject({ nsp: "/" });
    const results = feed([`51-["x",{"__proto__":${PH(0)},"a":{"__proto__":{"polluted":"yes"}}}]`, bin()]);
    const arg = ((results[1] as SioPacket).data as unknown[])[1] as Record<string, unknown>;
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(arg, "__proto__")?.value).toStrictEqual(bin());
    expect(parseHandshake('{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":1,"__proto__":{"polluted":"yes"}}')).not.toBeInstanceOf(ProtocolError);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
