import { describe, expect, it } from "vitest";
import {
  ClientSession,
  PROBE_PING,
  PROBE_PONG,
  UPGRADE_FRAME,
  type SessionEvent,
} from "../../src/protocol/engine/client-session.js";
import { payloadPrefix } from "../../src/protocol/engine/codec.js";
import { ProtocolError } from "../../src/protocol/error.js";

const T0 = 1_000_000;
const HANDSHAKE = '0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":40}';

function drain(session: ClientSession): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (let e = session.pollOutput(); e; e = session.pollOutput()) out.push(e);
  return out;
}

function opened(handshake = HANDSHAKE): ClientSession {
  const session = new ClientSession();
  expect(session.receive(handshake, T0)).toBeUndefined();
  drain(session);
  return session;
}

describe("client session: handshake", () => {
  it("opens on a valid open packet and arms the heartbeat", () => {
    const session = new ClientSession();
    expect(session.nextDeadline()).toBeUndefined();
    session.receive(HANDSHAKE, T0);
    const events = drain(session);
    expect(events).toEqual([
      { type: "open", handshake: { sid: "abc", upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 40 } },
    ]);
    expect(session.isOpen).toBe(true);
    expect(session.nextDeadline()).toBe(T0 + 500);
  });

  it("tolerates a handshake without maxPayload and with unknown keys", () => {
    const session = opened('0{"sid":"x","upgrades":[],"pingInterval":1,"pingTimeout":2,"extra":true}');
    expect(session.handshake).toEqual({ sid: "x", upgrades: [], pingInterval: 1, pingTimeout: 2 });
  });

  it.each([
    ["not JSON", "0{oops"],
    ["no sid", '0{"upgrades":[],"pingInterval":1,"pingTimeout":2}'],
    ["bad pingInterval", '0{"sid":"a","upgrades":[],"pingInterval":"1","pingTimeout":2}'],
    ["bad upgrades", '0{"sid":"a","upgrades":"websocket","pingInterval":1,"pingTimeout":2}'],
    ["a message first", "4hello"],
    ["garbage", "x"],
    ["an empty frame", ""],
  ])("rejects a bad handshake (%s) with a typed error, never opened", (_, frame) => {
    const session = new ClientSession();
    expect(() => session.receive(frame, T0)).not.toThrow();
    const [event] = drain(session);
    expect(event).toMatchObject({ type: "close", reason: "parse error", opened: false });
    const error = event?.type === "close" ? event.error : undefined;
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe("ERR_EIO_HANDSHAKE");
    expect(session.isClosed).toBe(true);
  });

  it("rejects a binary frame before the handshake", () => {
    const session = new ClientSession();
    session.receive(new Uint8Array([1]), T0);
    expect(drain(session)[0]).toMatchObject({ type: "close", reason: "parse error", opened: false });
  });
});

describe("client session: messages and heartbeat", () => {
  it("returns messages directly, text and binary", () => {
    const session = opened();
    const bytes = new Uint8Array([1, 2, 3]);
    expect(session.receive('42["a"]', T0 + 1)).toBe('2["a"]');
    expect(session.receive("4", T0 + 1)).toBe("");
    expect(session.receive(bytes, T0 + 1)).toBe(bytes);
    expect(drain(session)).toEqual([]);
  });

  it("answers a ping with a pong and re-arms the deadline", () => {
    const session = opened();
    expect(session.receive("2", T0 + 300)).toBeUndefined();
    expect(drain(session)).toEqual([{ type: "ping" }]);
    expect(session.takeFrames()).toEqual(["3"]);
    expect(session.nextDeadline()).toBe(T0 + 800);
  });

  it("ignores noop, a stray 3probe, and pings carrying data", () => {
    const session = opened();
    for (const f of ["6", "3probe", "2probe", "5"]) session.receive(f, T0 + 1);
    expect(drain(session)).toEqual([]);
    expect(session.takeFrames()).toEqual([]);
  });

  it("closes with ping timeout when the deadline passes", () => {
    const session = opened();
    session.handleTimeout(T0 + 499);
    expect(drain(session)).toEqual([]);
    session.handleTimeout(T0 + 500);
    expect(drain(session)).toEqual([{ type: "close", reason: "ping timeout", opened: true }]);
    expect(session.nextDeadline()).toBeUndefined();
  });

  it("detects a clock jump (sleep, throttled tab) before a write, without any timer", () => {
    const session = opened();
    expect(session.send("hello", T0 + 10)).toBe(true);
    expect(session.send("late", T0 + 10_000)).toBe(false);
    expect(drain(session)).toEqual([{ type: "close", reason: "ping timeout", opened: true }]);
    expect(session.takeFrames()).toEqual([]);
  });

  it("detects a clock jump when the next frame arrives", () => {
    const session = opened();
    expect(session.receive("4late", T0 + 10_000)).toBeUndefined();
    expect(drain(session)).toEqual([{ type: "close", reason: "ping timeout", opened: true }]);
  });

  it("closes with forced server close on a close packet", () => {
    const session = opened();
    session.receive("1", T0 + 1);
    expect(drain(session)).toEqual([{ type: "close", reason: "forced server close", opened: true }]);
  });

  it("closes with parse error on a bad packet or a second open", () => {
    for (const bad of ["9", "x", '0{"sid":"b","upgrades":[],"pingInterval":1,"pingTimeout":1}']) {
      const session = opened();
      session.receive(bad, T0 + 1);
      const [event] = drain(session);
      expect(event).toMatchObject({ type: "close", reason: "parse error", opened: true });
      expect(event?.type === "close" && event.error).toBeInstanceOf(ProtocolError);
    }
  });
});

describe("client session: closing in every state", () => {
  it("before the handshake: reports a close that never opened", () => {
    const session = new ClientSession();
    session.close();
    expect(drain(session)).toEqual([{ type: "close", reason: "forced close", opened: false }]);
  });

  it("when open: forced close, once", () => {
    const session = opened();
    session.send("x", T0);
    session.close();
    session.close();
    session.close("transport error");
    expect(drain(session)).toEqual([{ type: "close", reason: "forced close", opened: true }]);
    expect(session.takeFrames()).toEqual([]);
  });

  it("when the transport closes or fails", () => {
    const a = opened();
    a.close("transport close");
    expect(drain(a)).toEqual([{ type: "close", reason: "transport close", opened: true }]);
    const b = opened();
    const cause = new Error("boom");
    b.close("transport error", cause);
    expect(drain(b)).toEqual([{ type: "close", reason: "transport error", opened: true, error: cause }]);
  });

  it("while paused for an upgrade", () => {
    const session = opened();
    session.paused = true;
    session.close();
    expect(drain(session)).toEqual([{ type: "close", reason: "forced close", opened: true }]);
    expect(session.paused).toBe(false);
  });

  it("after close, frames and sends are ignored", () => {
    const session = opened();
    session.close();
    drain(session);
    expect(session.receive("42[]", T0)).toBeUndefined();
    expect(session.send("x", T0)).toBe(false);
    expect(drain(session)).toEqual([]);
  });
});

describe("client session: write buffer", () => {
  it("sends nothing before open", () => {
    const session = new ClientSession();
    expect(session.send("x", T0)).toBe(false);
    expect(session.takeFrames(payloadPrefix)).toEqual([]);
  });

  it("gives every frame at once on websocket, in order, binary as given", () => {
    const session = opened();
    const bytes = new Uint8Array([9]);
    session.send("a", T0);
    session.send(bytes, T0);
    session.send("b", T0);
    expect(session.takeFrames()).toEqual(["4a", bytes, "4b"]);
    expect(session.takeFrames()).toEqual([]);
  });

  it("batches polling payloads within maxPayload using exact record lengths", () => {
    // maxPayload 40: "4" + 19 chars = 20 bytes, two of them with a separator = 41 > 40
    const session = opened();
    const nineteen = "x".repeat(19);
    session.send(nineteen, T0);
    session.send(nineteen, T0);
    session.send("y".repeat(18), T0);
    expect(session.takeFrames(payloadPrefix)).toEqual([`4${nineteen}`]);
    expect(session.takeFrames(payloadPrefix)).toEqual([`4${nineteen}`, `4${"y".repeat(18)}`]);
  });

  it("counts UTF-8 bytes and base64 expansion", () => {
    const session = opened();
    session.send("€".repeat(6), T0); // 1 + 18 bytes
    session.send(new Uint8Array(15), T0); // "b" + 20 base64 chars = 21 bytes; 19 + 1 + 21 = 41
    expect(session.takeFrames(payloadPrefix)).toHaveLength(1);
    expect(session.takeFrames(payloadPrefix)).toHaveLength(1);
  });

  it("always sends an oversized first frame alone", () => {
    const session = opened();
    const big = "z".repeat(100);
    session.send(big, T0);
    session.send("small", T0);
    expect(session.takeFrames(payloadPrefix)).toEqual([`4${big}`]);
    expect(session.takeFrames(payloadPrefix)).toEqual(["4small"]);
  });

  it("does not limit a server without maxPayload", () => {
    const session = opened('0{"sid":"x","upgrades":[],"pingInterval":1000,"pingTimeout":2}');
    for (let i = 0; i < 5; i++) session.send("z".repeat(1000), T0);
    expect(session.takeFrames(payloadPrefix)).toHaveLength(5);
  });
});

describe("client session: upgrade", () => {
  it("holds writes while paused and completes with the upgrade packet", () => {
    const session = opened();
    expect(PROBE_PING).toBe("2probe");
    expect(session.receive(PROBE_PONG, T0)).toBeUndefined(); // on the old transport: ignored
    session.paused = true;
    session.send("during", T0 + 1);
    session.receive("2", T0 + 2); // a ping still arriving over polling
    expect(session.takeFrames()).toEqual([]);
    expect(session.takeFrames(payloadPrefix)).toEqual([]);
    expect(session.completeUpgrade()).toEqual([UPGRADE_FRAME]);
    expect(session.takeFrames()).toEqual(["4during", "3"]);
  });

  it("a failed upgrade resumes writes on the current transport", () => {
    const session = opened();
    session.paused = true;
    session.send("kept", T0);
    session.paused = false;
    expect(session.takeFrames(payloadPrefix)).toEqual(["4kept"]);
    expect(session.isOpen).toBe(true);
  });
});
