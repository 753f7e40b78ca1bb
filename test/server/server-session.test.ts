import { describe, expect, it } from "vitest";
import { decodePacket, encodePayload } from "../../src/protocol/engine/codec.js";
import { ServerSession, type ServerSessionEvent } from "../../src/protocol/engine/server-session.js";
import { ProtocolError } from "../../src/protocol/error.js";

const T0 = 1_000;
const config = { sid: "abc", upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1000, upgradeTimeout: 1000 };

function open(upgrades = config.upgrades): ServerSession {
  const s = new ServerSession({ ...config, upgrades }, T0);
  s.takePackets();
  return s;
}
const wire = (s: ServerSession) => encodePayload(s.takePackets());
const recv = (s: ServerSession, frame: string, now: number, probe = false) => s.receive(decodePacket(frame), now, probe);
function events(s: ServerSession): ServerSessionEvent[] {
  const out: ServerSessionEvent[] = [];
  for (let e = s.pollOutput(); e; e = s.pollOutput()) out.push(e);
  return out;
}

describe("ServerSession", () => {
  it("starts with the open packet in reference key order", () => {
    const s = new ServerSession(config, T0);
    expect(wire(s)).toBe('0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000}');
    expect(s.nextDeadline()).toBe(T0 + 300);
  });

  it("pings every pingInterval after the pong", () => {
    const s = open();
    s.handleTimeout(T0 + 300);
    expect(wire(s)).toBe("2");
    expect(s.nextDeadline()).toBe(T0 + 500);
    recv(s, "3", T0 + 310);
    expect(s.nextDeadline()).toBe(T0 + 610);
    s.handleTimeout(T0 + 610);
    expect(wire(s)).toBe("2");
    expect(s.isClosed).toBe(false);
  });

  it("closes with ping timeout when no pong comes", () => {
    const s = open();
    s.handleTimeout(T0 + 300);
    s.handleTimeout(T0 + 499);
    expect(s.isClosed).toBe(false);
    s.handleTimeout(T0 + 500);
    expect(events(s)).toEqual([{ type: "close", reason: "ping timeout" }]);
    expect(s.nextDeadline()).toBe(Infinity);
  });

  it("gives a full pingTimeout again on the first other packet while a pong is due, once per ping", () => {
    const s = open();
    s.handleTimeout(T0 + 300);
    recv(s, "4busy", T0 + 450);
    expect(s.nextDeadline()).toBe(T0 + 650);
    recv(s, "4busy", T0 + 600);
    expect(s.nextDeadline()).toBe(T0 + 650);
    s.handleTimeout(T0 + 650);
    expect(events(s)).toEqual([{ type: "message", data: "busy" }, { type: "message", data: "busy" }, { type: "close", reason: "ping timeout" }]);
  });

  it("closes on a client ping, a close packet and a parse error", () => {
    const a = open();
    recv(a, "2", T0);
    expect(events(a)).toEqual([{ type: "close", reason: "transport error" }]);
    const b = open();
    recv(b, "1", T0);
    expect(events(b)).toEqual([{ type: "close", reason: "transport close" }]);
    const c = open();
    c.receive(new ProtocolError("ERR_EIO_PACKET", "bad"), T0);
    expect(events(c)).toMatchObject([{ type: "close", reason: "parse error" }]);
  });

  it("delivers messages and queues outgoing ones", () => {
    const s = open();
    recv(s, "4hello", T0);
    s.send("world");
    s.send(new Uint8Array([1, 2, 3, 4]));
    expect(events(s)).toEqual([{ type: "message", data: "hello" }]);
    expect(wire(s)).toBe("4world\x1ebAQIDBA==");
  });

  it("upgrades: 2probe -> 3probe, a noop every 100 ms, then 5", () => {
    const s = open();
    expect(s.startProbe(T0)).toBe(true);
    expect(s.startProbe(T0)).toBe(false);
    recv(s, "2probe", T0 + 10, true);
    expect(events(s)).toEqual([{ type: "probe", frame: "3probe" }]);
    expect(wire(s)).toBe("6");
    expect(s.nextDeadline()).toBe(T0 + 110);
    s.handleTimeout(T0 + 110);
    expect(wire(s)).toBe("6");
    s.send("x");
    s.handleTimeout(T0 + 210);
    expect(wire(s)).toBe("4x");
    s.handleTimeout(T0 + 310);
    s.send("y");
    recv(s, "5", T0 + 320, true);
    expect(events(s)).toEqual([{ type: "upgrade" }]);
    expect(wire(s)).toBe("2\x1e4y");
    expect(s.startProbe(T0 + 400)).toBe(false);
  });

  it("aborts the upgrade on a wrong probe packet or the upgradeTimeout", () => {
    const s = open();
    s.startProbe(T0);
    recv(s, "4nope", T0, true);
    expect(events(s)).toEqual([{ type: "upgrade abort" }]);
    expect(s.startProbe(T0)).toBe(true);
    recv(s, "2probe", T0, true);
    events(s);
    s.takePackets();
    recv(s, "3", T0 + 1, false);
    s.handleTimeout(T0 + 1000);
    expect(events(s)).toEqual([{ type: "upgrade abort" }]);
    expect(s.isClosed).toBe(false);
  });

  it("refuses probes on a session without upgrades", () => {
    expect(open([]).startProbe(T0)).toBe(false);
  });
});
