/**
 * Manager and Socket over a user-written in-memory transport, with the fake clock: the
 * connect flow, buffering, acks and their timeouts, reconnection schedule, bad server input,
 * and teardown that leaves no timer behind.
 */
import { describe, expect, it } from "vitest";
import {
  AckTimeoutError,
  ConnectError,
  DisconnectedError,
  InvalidArgumentError,
  Manager,
  ReservedEventError,
  UnsupportedOptionError,
  defaultParser,
  type LogEvent,
  type ManagerOptions,
  type Parser,
  type Socket,
} from "../../src/index.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { MemoryServer, settle } from "./memory.js";

function setup(options: Partial<ManagerOptions> = {}) {
  const server = new MemoryServer();
  const clock = new FakeClock();
  const manager = new Manager("http://memory.test", { transports: [server.transport], clock, random: () => 0.25, ...options });
  return { server, clock, manager };
}

async function connected(socket: Socket): Promise<void> {
  await settle();
  expect(socket.connected).toBe(true);
}

describe("Manager and Socket over an in-memory transport", () => {
  it("plugs in a user-written transport: handshake, CONNECT, events and acks both ways", async () => {
    const { server, manager } = setup();
    const socket = manager.socket("/");
    const events: unknown[][] = [];
    socket.on("news", (...args: unknown[]) => events.push(args));
    await connected(socket);
    expect(server.last.url).toBe("http://memory.test/socket.io/?EIO=4&transport=memory");
    expect(socket.id).toBe("sio-1");
    expect(manager.engine.transport.name).toBe("memory");
    expect(manager.engine.id).toBe("eio-1");
    server.last.push('42["news","a",{"b":1}]');
    expect(events).toEqual([["a", { b: 1 }]]);
    socket.on("question", (q: string, ack: (a: string) => void) => ack(q + "!"));
    server.last.push('4217["question","why"]');
    await settle();
    expect(server.sent).toContain('4317["why!"]');
    expect(await socket.emitWithAck("echo", 5)).toBe(5);
    manager.disconnect();
  });

  it("buffers emits until the CONNECT reply and sends them in order; volatile ones are dropped", async () => {
    const { server, manager } = setup();
    const socket = manager.socket("/");
    socket.emit("a", 1);
    socket.volatile.emit("v");
    socket.emit("b", 2);
    await connected(socket);
    expect(server.sent).toEqual(["40", '42["a",1]', '42["b",2]']);
    manager.disconnect();
  });

  it("settles the acks of dropped volatile emits: timed ones time out, promises reject at once", async () => {
    const { clock, manager } = setup({ autoConnect: false });
    const socket = manager.socket("/");
    const timed: unknown[] = [];
    socket.volatile.timeout(100).emit("v", (err: unknown) => timed.push(err));
    await expect(socket.volatile.emitWithAck("v")).rejects.toBeInstanceOf(DisconnectedError);
    clock.advance(100);
    expect(timed[0]).toBeInstanceOf(AckTimeoutError);
    expect(clock.pending).toBe(0);
  });

  it("sends auth and, for a function, asks it again on every connection", async () => {
    const { server, clock, manager } = setup();
    let n = 0;
    const socket = manager.socket("/", { auth: (cb) => cb({ n: ++n }) });
    await connected(socket);
    server.last.drop();
    clock.advance(875);
    await settle();
    expect(server.sent.filter((f) => f.startsWith("40"))).toEqual(['40{"n":1}', '40{"n":2}']);
    manager.disconnect();
  });

  it("maps connection losses to socket.io-client's disconnect reasons", async () => {
    const { server, clock, manager } = setup({ reconnectionDelay: 10, randomizationFactor: 0 });
    const socket = manager.socket("/");
    const reasons: string[] = [];
    socket.on("disconnect", (r) => reasons.push(r));
    await connected(socket);
    clock.advance(45_000); // pingInterval + pingTimeout without a ping
    clock.advance(10);
    await settle();
    server.last.drop("transport error");
    clock.advance(10);
    await settle();
    server.last.drop("transport close");
    clock.advance(10);
    await settle();
    server.last.push("41");
    expect(reasons).toEqual(["ping timeout", "transport error", "transport close", "io server disconnect"]);
    expect(socket.active).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it("throws at once on data that cannot be encoded, leaving no pending ack", async () => {
    const { clock, manager } = setup();
    const socket = manager.socket("/");
    await connected(socket);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    expect(() => socket.timeout(1000).emit("x", circular, () => {})).toThrow(expect.objectContaining({ code: "ERR_INVALID_PACKET" }));
    const results: unknown[] = [];
    socket.timeout(1000).emit("y", (err: unknown) => results.push(err));
    clock.advance(1000);
    expect(results).toHaveLength(1);
    manager.disconnect();
    expect(clock.pending).toBe(0);
  });

  it("rejects reserved event names at once", async () => {
    const { manager } = setup({ autoConnect: false });
    const socket = manager.socket("/");
    for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
      expect(() => socket.emit(name)).toThrow(ReservedEventError);
    }
  });

  it("fails options of the wrong type or range at construction, with the option named", () => {
    const wrong: [string, unknown][] = [
      ["reconnectionDelay", -1],
      ["reconnectionDelayMax", "5s"],
      ["reconnectionAttempts", 1.5],
      ["randomizationFactor", 2],
      ["timeout", "20s"],
      ["upgrade", "no"],
      ["path", 5],
      ["query", 5],
      ["auth", "token"],
      ["transports", "websocket"],
      ["transports", []],
      ["retries", -1],
      ["ackTimeout", Number.NaN],
      ["extraHeaders", null],
    ];
    for (const [name, value] of wrong) {
      expect(() => setup({ [name]: value, autoConnect: false } as Partial<ManagerOptions>), name).toThrow(InvalidArgumentError);
      expect(() => setup({ [name]: value, autoConnect: false } as Partial<ManagerOptions>), name).toThrow(new RegExp(`option ${name} must be`));
    }
    const { manager } = setup({ autoConnect: false, timeout: false as unknown as number, reconnectionAttempts: Infinity, query: "a=1" });
    expect(() => manager.socket("/x", { ackTimeout: -5 })).toThrow(/option ackTimeout must be a number >= 0/);
    expect(manager.socket("/y", { auth: () => undefined, retries: 2 }).nsp).toBe("/y");
  });

  it("fails unsupported socket.io-client options at construction, accepts their defaults", () => {
    expect(() => setup({ forceBase64: true })).toThrow(UnsupportedOptionError);
    expect(() => setup({ hostname: "x" })).toThrow(/hostname/);
    expect(() => setup({ transportOptions: { polling: {} } })).toThrow(UnsupportedOptionError);
    // not an object at all: a typed error too, not a TypeError from looking inside
    expect(() => setup({ transportOptions: null as unknown as object })).toThrow(UnsupportedOptionError);
    const { manager } = setup({ forceBase64: false, autoUnref: false, autoConnect: false, transportOptions: {} });
    expect(manager.reconnection()).toBe(true);
    expect(manager.reconnectionAttempts()).toBe(Infinity);
    expect(manager.reconnectionDelay()).toBe(1000);
    expect(manager.reconnectionDelayMax()).toBe(5000);
    expect(manager.randomizationFactor()).toBe(0.5);
    expect(manager.timeout()).toBe(20000);
  });

  it("times acks out on the clock with AckTimeoutError and leaves no timer", async () => {
    const { clock, manager } = setup();
    const socket = manager.socket("/");
    await connected(socket);
    const results: unknown[] = [];
    socket.timeout(1000).emit("slow", (err: Error | null) => results.push(err));
    const p = socket.timeout(500).emitWithAck("slow").catch((e: unknown) => e);
    clock.advance(499);
    expect(results).toEqual([]);
    clock.advance(1);
    expect(await p).toBeInstanceOf(AckTimeoutError);
    clock.advance(500);
    expect(results[0]).toBeInstanceOf(AckTimeoutError);
    manager.disconnect();
    expect(clock.pending).toBe(0);
  });

  it("rejects acks pending at a disconnect with DisconnectedError; late replies are ignored", async () => {
    const { server, manager } = setup({ reconnection: false });
    const socket = manager.socket("/");
    await connected(socket);
    const p = socket.emitWithAck("never").catch((e: unknown) => e);
    const plain: unknown[] = [];
    socket.emit("never2", (x: unknown) => plain.push(x));
    const conn = server.last;
    conn.drop();
    const err = (await p) as DisconnectedError;
    expect(err).toBeInstanceOf(DisconnectedError);
    expect(err.reason).toBe("transport close");
    expect(plain).toEqual([]);
  });

  it("ignores acks for unknown ids and packets for unknown namespaces", async () => {
    const { server, manager } = setup();
    const socket = manager.socket("/");
    const disconnects: string[] = [];
    socket.on("disconnect", (r) => disconnects.push(r));
    await connected(socket);
    server.last.push("4399[1]");
    server.last.push('42/nowhere,["x"]');
    expect(socket.connected).toBe(true);
    expect(disconnects).toEqual([]);
    manager.disconnect();
  });

  it("turns an undecodable packet into a 'parse error' disconnect, then reconnects", async () => {
    const { server, clock, manager } = setup();
    const socket = manager.socket("/");
    await connected(socket);
    const reasons: string[] = [];
    socket.on("disconnect", (r) => reasons.push(r));
    server.last.push('42{"not":"an array"}');
    expect(reasons).toEqual(["parse error"]);
    clock.advance(875);
    await settle();
    expect(socket.connected).toBe(true);
    expect(server.connections).toHaveLength(2);
    manager.disconnect();
  });

  it("reports a namespace refusal as connect_error with data, and a v2 server as incompatible", async () => {
    const { server, manager } = setup();
    server.onFrame = (conn, frame) => {
      if (frame === "40") conn.push('44{"message":"Not authorized","data":{"code":42}}');
      if (frame === "40/v2,") conn.push("40/v2,");
    };
    const socket = manager.socket("/");
    const err = await new Promise<ConnectError>((resolve) => socket.on("connect_error", resolve));
    expect(err.code).toBe("ERR_CONNECT_REFUSED");
    expect(err.data).toEqual({ code: 42 });
    expect(socket.active).toBe(false);
    const v2 = manager.socket("/v2");
    v2.connect();
    const err2 = await new Promise<ConnectError>((resolve) => v2.on("connect_error", resolve));
    expect(err2.code).toBe("ERR_INCOMPATIBLE_SERVER");
    manager.disconnect();
  });

  it("reconnects on the backoff schedule and stops after reconnectionAttempts", async () => {
    const { server, clock, manager } = setup({ reconnectionAttempts: 4 });
    const socket = manager.socket("/");
    await connected(socket);
    const log: string[] = [];
    manager.on("reconnect_attempt", (n) => log.push(`attempt ${n} at ${clock.now() - start}`));
    manager.on("reconnect_error", () => log.push("error"));
    manager.on("reconnect_failed", () => log.push("failed"));
    const errors: string[] = [];
    socket.on("connect_error", (e) => errors.push(e.code));
    server.refuse = true;
    const start = clock.now();
    server.last.drop();
    // the failed opens surface in a microtask, after the 250 ms step in which they started
    for (let i = 0; i < 50; i++) {
      clock.advance(250);
      await settle();
    }
    expect(log).toEqual([
      "attempt 1 at 875",
      "error",
      "attempt 2 at 2750", // 1000 + 1750 (random 0.25)
      "error",
      "attempt 3 at 6250", // 2750 + 3500
      "error",
      "attempt 4 at 11250", // 6250 + 5000 (capped)
      "failed", // as socket.io-client: reconnect_failed comes before the last reconnect_error
      "error",
    ]);
    expect(errors).toEqual(["ERR_CONNECT_FAILED", "ERR_CONNECT_FAILED", "ERR_CONNECT_FAILED", "ERR_CONNECT_FAILED"]);
    expect(clock.pending).toBe(0);
  });

  it("fails an open that takes longer than `timeout`", async () => {
    const { server, clock, manager } = setup({ timeout: 3000, reconnection: false });
    server.transport.create = (context) => {
      const t = { name: "memory", open: () => {}, send: () => {}, close: () => {} };
      void context;
      return t;
    };
    const socket = manager.socket("/");
    const errors: ConnectError[] = [];
    socket.on("connect_error", (e) => errors.push(e));
    clock.advance(2999);
    expect(errors).toEqual([]);
    clock.advance(1);
    expect(errors[0]?.code).toBe("ERR_CONNECT_TIMEOUT");
    expect(clock.pending).toBe(0);
  });

  it("retries without duplicating a packet that was still buffered at reconnection", async () => {
    const { server, clock, manager } = setup({ reconnectionDelay: 10, randomizationFactor: 0 });
    const socket = manager.socket("/", { retries: 2, ackTimeout: 1000 });
    await connected(socket);
    server.last.drop();
    const p = socket.emitWithAck("echo", "x");
    clock.advance(10);
    await settle();
    expect(await p).toBe("x");
    expect(server.sent.filter((f) => f.includes('"echo"'))).toHaveLength(1);
    manager.disconnect();
  });

  it("recovers: sends pid and offset, delivers events that precede the CONNECT reply, sets recovered", async () => {
    const { server, clock, manager } = setup({ reconnectionDelay: 10, randomizationFactor: 0 });
    let connects = 0;
    server.onFrame = (conn, frame) => {
      if (typeof frame !== "string" || !frame.startsWith("40")) return;
      if (++connects === 1) conn.push('40{"sid":"a","pid":"P"}');
      else {
        conn.push('42["news","missed","off2"]');
        conn.push('40{"sid":"a","pid":"P"}');
      }
    };
    const socket = manager.socket("/");
    const news: unknown[][] = [];
    socket.on("news", (...args: unknown[]) => news.push(args));
    await connected(socket);
    expect(socket.recovered).toBe(false);
    server.last.push('42["news","n1","off1"]');
    server.last.drop();
    clock.advance(10);
    await settle();
    expect(server.sent.at(-1)).toBe('40{"pid":"P","offset":"off1"}');
    expect(socket.recovered).toBe(true);
    expect(news).toEqual([
      ["n1", "off1"],
      ["missed", "off2"],
    ]);
    manager.disconnect();
  });

  it("uses a custom parser both ways", async () => {
    const seen: string[] = [];
    const parser: Parser = {
      encode: (p) => {
        seen.push(`out ${p.type}`);
        return defaultParser.encode(p);
      },
      createDecoder: () => {
        const inner = defaultParser.createDecoder();
        return { add: (d) => (seen.push("in"), inner.add(d)) };
      },
    };
    const { manager } = setup({ parser });
    await connected(manager.socket("/"));
    expect(seen).toEqual(["out 0", "in"]);
    manager.disconnect();
  });

  it("calls the logger with structured events, and only when set", async () => {
    const events: LogEvent[] = [];
    const { server, clock, manager } = setup({ logger: (e) => events.push(e) });
    await connected(manager.socket("/"));
    server.last.drop();
    clock.advance(875);
    await settle();
    expect(events.map((e) => e.type)).toEqual(["open", "close", "reconnect_attempt", "open"]);
    manager.disconnect();
  });

  it("tears down: disconnect leaves no timer, no connection and no pending ack", async () => {
    const { server, clock, manager } = setup();
    const a = manager.socket("/");
    const b = manager.socket("/b");
    await settle();
    const pending = a.timeout(5000).emitWithAck("never").catch((e: unknown) => e);
    a.disconnect();
    expect(await pending).toBeInstanceOf(DisconnectedError);
    expect(server.last.closed).toBe(false);
    b.disconnect();
    expect(server.last.closed).toBe(true);
    expect(server.sent.slice(-2)).toEqual(["41", "41/b,"]);
    expect(clock.pending).toBe(0);
    expect(manager.engine.transport.name).toBe("");
    expect(manager.engine.id).toBeUndefined();
  });
});

describe("Manager options", () => {
  it("takes changes of opts.query from the next connection, as socket.io-client", async () => {
    const { server, clock, manager } = setup({ reconnectionDelay: 10, randomizationFactor: 0, query: { token: "a" } });
    const socket = manager.socket("/");
    await connected(socket);
    manager.opts.query = { token: "b" };
    server.last.drop();
    clock.advance(10);
    await settle();
    expect(server.connections.map((c) => new URL(c.url).searchParams.get("token"))).toEqual(["a", "b"]);
    manager.disconnect();
  });
});
