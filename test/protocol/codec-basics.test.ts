import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "../../src/protocol/engine/base64.js";
import { decodePacket, decodePayload, encodePacket, encodePayload, recordLength } from "../../src/protocol/engine/codec.js";
import { encodeHandshake, parseHandshake } from "../../src/protocol/engine/handshake.js";
import { ProtocolError, VolleyError } from "../../src/protocol/error.js";
import { Decoder, encode } from "../../src/protocol/socketio/codec.js";

describe("engine codec basics", () => {
  it("encodes and decodes text and binary packets", () => {
    expect(encodePacket({ type: "message", data: "hello" })).toBe("4hello");
    expect(decodePacket("2probe")).toStrictEqual({ type: "ping", data: "probe" });
    expect(decodePacket("x")).toBeInstanceOf(ProtocolError);
    const bytes = new Uint8Array([1, 2, 3, 4]);
    expect(encodePayload([{ type: "message", data: "a" }, { type: "message", data: bytes }])).toBe("4a\x1ebAQIDBA==");
    expect(decodePayload("4a\x1ebAQIDBA==").packets).toStrictEqual([
      { type: "message", data: "a" },
      { type: "message", data: bytes },
    ]);
    expect(recordLength({ type: "message", data: "€" })).toBe(4);
  });

  it("round-trips base64 at every length", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(decodeBase64(text)).toStrictEqual(bytes);
    }
  });

  it("refuses to put binary data on control packets", () => {
    expect(() => encodePacket({ type: "ping", data: new Uint8Array(1) })).toThrow(VolleyError);
  });

  it("parses and writes handshakes", () => {
    const text = '{"sid":"a","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
    const h = parseHandshake(text);
    expect(h).toStrictEqual(JSON.parse(text));
    if (h instanceof ProtocolError) throw h;
    expect(encodeHandshake(h)).toBe(text);
  });
});

describe("socket.io codec basics", () => {
  it("encodes and decodes a small event", () => {
    expect(encode({ type: 2, nsp: "/", data: ["ev", { i: 1, t: 2 }] })).toStrictEqual(['2["ev",{"i":1,"t":2}]']);
    expect(new Decoder().add('2["ev",{"i":1,"t":2}]')).toStrictEqual({ type: 2, nsp: "/", data: ["ev", { i: 1, t: 2 }] });
  });

  it("encodes a sub-view as the bytes it covers", () => {
    const buffer = new Uint8Array([9, 1, 2, 9]).buffer;
    const frames = encode({ type: 2, nsp: "/", data: ["v", new DataView(buffer, 1, 2)] });
    expect(frames[0]).toBe('51-["v",{"_placeholder":true,"num":0}]');
    expect(Array.from(frames[1] as Uint8Array)).toStrictEqual([1, 2]);
  });

  it("reassembles a binary event", () => {
    const d = new Decoder();
    expect(d.add('51-["a",{"_placeholder":true,"num":0}]')).toBeUndefined();
    const bin = new Uint8Array([7]);
    expect(d.add(bin)).toStrictEqual({ type: 2, nsp: "/", data: ["a", bin] });
  });
});

describe("local misuse throws at once", () => {
  const misuse = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof VolleyError && !(error instanceof ProtocolError) ? error.code : "wrong error class";
    }
    return "did not throw";
  };

  it("rejects packets the encoder cannot put on the wire", () => {
    const circular: unknown[] = ["x"];
    circular.push(circular);
    for (const packet of [
      { type: 2, nsp: "admin", data: ["x"] },
      { type: 2, nsp: "/a,b", data: ["x"] },
      { type: 2, nsp: "/", id: -1, data: ["x"] },
      { type: 2, nsp: "/", id: 1.5, data: ["x"] },
      { type: 9, nsp: "/" },
      { type: 2, nsp: "/", data: circular },
      { type: 2, nsp: "/", data: ["big", 10n] },
    ]) {
      expect(misuse(() => encode(packet as never)), JSON.stringify(packet, (_, v: unknown) => (typeof v === "bigint" ? "10n" : v === circular ? "[circular]" : v))).toBe("ERR_INVALID_PACKET");
    }
  });

  it("refuses a Blob in a polling record: the transport reads it into bytes first", () => {
    expect(misuse(() => encodePayload([{ type: "message", data: new Blob([new Uint8Array(2)]) }]))).toBe("ERR_INVALID_PACKET");
    expect(recordLength({ type: "message", data: new Blob([new Uint8Array(4)]) })).toBe(1 + 8);
  });

  it("sends a Blob attachment as the Blob itself, for the transport to read", () => {
    const blob = new Blob([new Uint8Array([1])]);
    const frames = encode({ type: 3, nsp: "/", id: 1, data: [{ blob }] });
    expect(frames).toStrictEqual(['61-1[{"blob":{"_placeholder":true,"num":0}}]', blob]);
  });

  it("leaves the caller's payload untouched and follows toJSON like JSON.stringify", () => {
    const bytes = new Uint8Array([1]);
    const data = ["x", { when: new Date(0), bytes }];
    const frames = encode({ type: 2, nsp: "/", data });
    expect(frames[0]).toBe('51-["x",{"when":"1970-01-01T00:00:00.000Z","bytes":{"_placeholder":true,"num":0}}]');
    expect(data[1]).toStrictEqual({ when: new Date(0), bytes });
  });
});
