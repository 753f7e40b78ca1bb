/**
 * The engine driver over in-memory transports with a fake clock: timers, fallback, upgrade,
 * teardown. Wire behaviour against real servers is in test/integration/engine-*.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/client/engine.js";
import type { EngineOptions } from "../../src/client/engine-options.js";
import { upgrade } from "../../src/client/upgrade.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { MemoryNetwork, Recorder } from "../transport/harness.js";

const HANDSHAKE = '0{"sid":"s1","upgrades":["websocket"],"pingInterval":1000,"pingTimeout":500,"maxPayload":1000}';
const WS_HANDSHAKE = '0{"sid":"w1","upgrades":[],"pingInterval":1000,"pingTimeout":500}';
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function setup(options: Partial<EngineOptions> = {}) {
  const net = new MemoryNetwork();
  const polling = net.factory("polling", { pausable: true, payloads: true });
  const websocket = net.factory("websocket");
  const clock = new FakeClock();
  const rec = new Recorder();
  const engine = new Engine(
    "http://example.test",
    { kit: { transports: [polling, websocket], upgrade }, ...options },
    rec,
    clock,
  );
  return { net, clock, rec, engine };
}

describe("engine: opening", () => {
  it("opens on the first transport with the endpoint URL and reports the handshake", async () => {
    const { net, rec, engine } = setup({ query: { token: "a b" }, upgrade: false });
    engine.open();
    const t = net.last("polling");
    expect(t.url).toBe("http://example.test/socket.io/?token=a%20b&EIO=4&transport=polling");
    t.accept();
    t.push(HANDSHAKE);
    expect((await rec.opened).sid).toBe("s1");
    expect(engine.id).toBe("s1");
    expect(engine.transport).toBe("polling");
    expect(engine.writable).toBe(true);
  });

  it("throws at once on an unknown transport name or a second open", () => {
    expect(() => setup({ transports: ["carrier-pigeon"] })).toThrow(/unknown transport/);
    const { engine } = setup();
    engine.open();
    expect(() => engine.open()).toThrow(expect.objectContaining({ code: "ERR_ENGINE_STATE" }));
  });

  it("reports a failure before the handshake once, through onError", async () => {
    const { net, rec, engine, clock } = setup();
    engine.open();
    net.last().drop("transport error", new Error("refused"));
    const error = await rec.failed;
    expect(error.code).toBe("ERR_ENGINE_OPEN");
    expect(rec.log).toEqual(["error:ERR_ENGINE_OPEN"]);
    expect(engine.writable).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it("reports a bad handshake as a typed error", async () => {
    const { net, rec, engine } = setup();
    engine.open();
    net.last().push('0{"sid":1}');
    expect((await rec.failed).code).toBe("ERR_EIO_HANDSHAKE");
    expect(net.live).toEqual([]);
  });

  it("tryAllTransports moves on to the next transport", async () => {
    const { net, rec, engine } = setup({ transports: ["websocket", "polling"], tryAllTransports: true });
    engine.open();
    net.last("websocket").drop("transport error");
    const p = net.last("polling");
    expect(p.url).not.toContain("sid=");
    p.push(HANDSHAKE);
    await rec.opened;
    expect(engine.transport).toBe("polling");
    expect(net.live).toEqual([p]); // no upgrade after websocket failed
  });

  it("close before the handshake aborts silently", () => {
    const { net, rec, engine, clock } = setup({ websocketFirst: true });
    engine.open();
    engine.close();
    expect(net.live).toEqual([]);
    expect(rec.log).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe("engine: websocket-first mode", () => {
  it("opens a websocket directly", async () => {
    const { net, rec, engine } = setup({ websocketFirst: true });
    engine.open();
    expect(net.created.map((t) => t.name)).toEqual(["websocket"]);
    net.last().push(WS_HANDSHAKE);
    await rec.opened;
    expect(engine.transport).toBe("websocket");
  });

  it("falls back to polling at once when the websocket fails", async () => {
    const { net, rec, engine, clock } = setup({ websocketFirst: true });
    engine.open();
    net.last("websocket").drop("transport error");
    expect(net.last().name).toBe("polling");
    net.last().push(HANDSHAKE);
    await rec.opened;
    expect(net.created.map((t) => t.name)).toEqual(["websocket", "polling"]); // no probe: websocket is known broken
    expect(clock.pending).toBe(1); // the heartbeat only
  });

  it("after a quick fallback, a slow polling handshake is not cut by the fallback delay", async () => {
    const { net, rec, engine, clock } = setup({ websocketFirst: true, websocketFallbackDelay: 2000 });
    engine.open();
    net.last("websocket").drop("transport error");
    expect(clock.pending).toBe(0);
    clock.advance(5000);
    net.last("polling").push(HANDSHAKE);
    await rec.opened;
    expect(net.created.map((t) => t.name)).toEqual(["websocket", "polling"]);
  });

  it("falls back to polling when the websocket hangs past websocketFallbackDelay, then may upgrade", async () => {
    const { net, rec, engine, clock } = setup({ websocketFirst: true, websocketFallbackDelay: 2000 });
    engine.open();
    const ws = net.last("websocket");
    clock.advance(1999);
    expect(net.created).toHaveLength(1);
    clock.advance(1);
    expect(ws.closed).toBe(true);
    net.last("polling").push(HANDSHAKE);
    await rec.opened;
    expect(net.created.map((t) => t.name)).toEqual(["websocket", "polling", "websocket"]);
    expect(net.last().url).toContain("sid=s1");
  });
});

describe("engine: heartbeat with the fake clock", () => {
  async function open(options: Partial<EngineOptions> = {}) {
    const s = setup({ upgrade: false, ...options });
    s.engine.open();
    s.net.last().push(HANDSHAKE);
    await s.rec.opened;
    return s;
  }

  it("answers pings and keeps one timer, re-armed on each ping", async () => {
    const { net, rec, clock } = await open();
    const t = net.last();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      t.push("2");
      expect(clock.pending).toBe(1);
    }
    expect(rec.pings).toBe(5);
    expect(t.frames).toEqual(["3", "3", "3", "3", "3"]);
    expect(rec.log).toEqual(["open"]);
  });

  it("closes with ping timeout after pingInterval + pingTimeout of silence", async () => {
    const { net, rec, clock } = await open();
    clock.advance(1499);
    expect(rec.log).toEqual(["open"]);
    clock.advance(1);
    expect((await rec.closed).reason).toBe("ping timeout");
    expect(clock.pending).toBe(0);
    expect(net.live).toEqual([]);
  });

  it("catches a clock jump (sleep) on the next send, before any timer runs", async () => {
    const { net, rec, clock, engine } = await open();
    clock.jump(60_000);
    engine.send("42[]");
    expect((await rec.closed).reason).toBe("ping timeout");
    await tick();
    expect(net.last().frames).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe("engine: writes", () => {
  it("sends everything queued in one tick together, polling one batch at a time", async () => {
    const { net, rec, engine } = setup({ upgrade: false });
    engine.open();
    const t = net.last();
    t.push(HANDSHAKE);
    await rec.opened;
    engine.send("a");
    engine.send("b");
    expect(t.sent).toEqual([]);
    await tick();
    expect(t.sent).toEqual([["4a", "4b"]]);
    t.writable = false;
    engine.send("c");
    engine.send("d");
    await tick();
    expect(t.sent).toHaveLength(1);
    t.writable = true;
    t.handlers?.onDrain();
    expect(t.sent).toEqual([["4a", "4b"], ["4c", "4d"]]);
  });

  it("queues messages sent before the handshake and sends them first", async () => {
    const { net, rec, engine } = setup({ upgrade: false });
    engine.open();
    engine.send("early");
    const t = net.last();
    t.push(HANDSHAKE);
    expect(t.sent).toEqual([["4early"]]);
    await rec.opened;
    engine.send("late");
    await tick();
    expect(t.frames).toEqual(["4early", "4late"]);
  });

  it("delivers messages directly and closes on a server close packet", async () => {
    const { net, rec, engine } = setup({ upgrade: false });
    engine.open();
    const t = net.last();
    t.push(HANDSHAKE, '42["x"]', "6", "1");
    expect(await rec.message()).toBe('2["x"]');
    expect((await rec.closed).reason).toBe("forced server close");
    expect(engine.writable).toBe(false);
  });

  it("close flushes queued frames first and reports forced close", async () => {
    const { net, rec, engine, clock } = setup({ upgrade: false });
    engine.open();
    const t = net.last();
    t.push(HANDSHAKE);
    await rec.opened;
    engine.send("41");
    engine.close();
    expect(t.frames).toEqual(["441"]);
    expect(t.closed).toBe(true);
    expect((await rec.closed).reason).toBe("forced close");
    expect(clock.pending).toBe(0);
    engine.send("late");
    engine.close();
    expect(rec.log).toEqual(["open", "close:forced close"]);
  });
});

describe("engine: upgrade", () => {
  async function polling() {
    const s = setup();
    s.engine.open();
    s.net.last().push(HANDSHAKE);
    await s.rec.opened;
    return { ...s, poll: s.net.last("polling"), ws: s.net.last("websocket") };
  }

  it("probes, pauses polling, switches and flushes on the new transport", async () => {
    const { engine, rec, poll, ws } = await polling();
    expect(ws.url).toBe("http://example.test/socket.io/?EIO=4&transport=websocket&sid=s1");
    ws.accept();
    expect(ws.frames).toEqual(["2probe"]);
    engine.send("before");
    await tick();
    expect(poll.frames).toEqual(["4before"]);
    ws.push("3probe");
    expect(engine.writable).toBe(false);
    engine.send("during");
    await tick();
    expect(poll.frames).toEqual(["4before"]);
    poll.push('42["late poll"]'); // the in-flight GET still delivers
    expect(await rec.message()).toBe('2["late poll"]');
    poll.pausedWith?.();
    expect(poll.closed).toBe(true);
    expect(ws.frames).toEqual(["2probe", "5", "4during"]);
    expect(await rec.upgraded).toBe("websocket");
    expect(engine.transport).toBe("websocket");
    expect(engine.writable).toBe(true);
    ws.push('42["on ws"]');
    expect(await rec.message()).toBe('2["on ws"]');
  });

  it.each([
    ["a wrong answer", (ws: { push(f: string): void }) => ws.push("3nope")],
    ["an error", (ws: { drop(r: "transport error"): void }) => ws.drop("transport error")],
  ])("a failed probe (%s) leaves polling working", async (_, fail) => {
    const { engine, rec, poll, ws, net } = await polling();
    ws.accept();
    fail(ws as never);
    expect(ws.closed).toBe(true);
    engine.send("still polling");
    await tick();
    expect(poll.frames).toEqual(["4still polling"]);
    expect(engine.transport).toBe("polling");
    expect(net.live).toEqual([poll]);
    expect(rec.log).toEqual(["open"]);
  });

  it("a probe that dies after the pause ends the session", async () => {
    const { rec, poll, ws } = await polling();
    ws.accept();
    ws.push("3probe");
    ws.drop("transport error", new Error("gone"));
    expect((await rec.closed).reason).toBe("transport error");
    expect(poll.closed).toBe(true);
  });

  it("close during the probe releases both transports and the timer", async () => {
    const { engine, net, clock } = await polling();
    engine.close();
    expect(net.live).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it("rememberUpgrade opens with websocket after a websocket success", async () => {
    const first = await polling();
    first.ws.accept();
    first.ws.push("3probe");
    first.poll.pausedWith?.();
    await first.rec.upgraded;
    first.engine.close();
    const second = setup({ rememberUpgrade: true });
    second.engine.open();
    expect(second.net.created.map((t) => t.name)).toEqual(["websocket"]);
    second.engine.close();
  });
});
