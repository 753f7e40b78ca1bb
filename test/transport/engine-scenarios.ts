/**
 * Engine scenarios run against each real server (socket.io 4.8 and the volley reference server):
 * Socket.IO packets are written by hand ("40", "42[...]") so only the Engine.IO layer is under test.
 */
import type { Server as HttpServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Engine, type EngineCloseReason } from "../../src/client/engine.js";
import { defaultKit } from "../../src/client/default-kit.js";
import type { EngineOptions } from "../../src/client/engine-options.js";
import { ChaosProxy } from "../helpers/chaos-proxy.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { Recorder, nodePlatform, until } from "./harness.js";

/** What the scenarios need of a server-side socket (socket.io's and volley's have it). */
export interface PeerSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(close?: boolean): unknown;
  readonly conn: { readonly transport: { readonly name: string } };
}

/** A running server, as both test helpers return it. */
export interface Peer {
  readonly io: {
    on(event: "connection", listener: (socket: PeerSocket) => void): unknown;
    readonly engine: { readonly clientsCount: number };
  };
  readonly http: HttpServer;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface PeerKind {
  /** e.g. "real socket.io server" */
  readonly name: string;
  start(options: { pingInterval: number; pingTimeout: number; transports?: ("polling" | "websocket")[] }): Promise<Peer>;
  /** The close reason the client sees when this server ends a polling session. */
  readonly pollingServerClose: EngineCloseReason;
}

export const BIN_TEXT = '51-["echo",{"_placeholder":true,"num":0}]';

/** Tracks what a test opened, for cleanup. */
export function cleanupList(): (() => unknown)[] {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}

/** Opens an engine with the Node platform and the default kit. */
export function connect(cleanups: (() => unknown)[], url: string, options: EngineOptions = {}): { engine: Engine; rec: Recorder } {
  const rec = new Recorder();
  const engine = new Engine(url, { kit: defaultKit, platform: nodePlatform, ...options }, rec);
  cleanups.push(() => engine.close());
  engine.open();
  return { engine, rec };
}

/** Joins the main namespace by hand and returns the Socket.IO CONNECT reply. */
export async function join(engine: Engine, rec: Recorder): Promise<string> {
  await rec.opened;
  engine.send("0");
  return (await rec.message()) as string;
}

export function engineScenarios(kind: PeerKind): void {
  const cleanups = cleanupList();

  async function server(options: { transports?: ("polling" | "websocket")[] } = {}): Promise<Peer> {
    const s = await kind.start({ pingInterval: 300, pingTimeout: 1000, ...options });
    s.io.on("connection", (socket) => {
      socket.on("echo", (...args: unknown[]) => socket.emit("echo", ...args));
      socket.on("bye", () => socket.disconnect(true));
    });
    cleanups.push(() => s.close());
    return s;
  }

  const open = (url: string, options: EngineOptions = {}) => connect(cleanups, url, options);

  describe.each([
    ["polling", ["polling"]],
    ["websocket", ["websocket"]],
  ])(`engine over %s only, ${kind.name}`, (name, transports) => {
    it("opens, joins, echoes text and keeps the transport", async () => {
      const s = await server();
      const { engine, rec } = open(s.url, { transports });
      const handshake = await rec.opened;
      expect(handshake.sid).toBe(engine.id);
      expect(handshake.upgrades).toEqual(name === "polling" ? ["websocket"] : []);
      expect(await join(engine, rec)).toMatch(/^0\{"sid":"[^"]+"\}$/);
      engine.send('2["echo","hi",1]');
      engine.send('2["echo","€😀"]');
      expect(await rec.message()).toBe('2["echo","hi",1]');
      expect(await rec.message()).toBe('2["echo","€😀"]');
      expect(engine.transport).toBe(name);
      expect(s.io.engine.clientsCount).toBe(1);
    });

    it("carries binary both ways (Buffer in Node)", async () => {
      const s = await server();
      const { engine, rec } = open(s.url, { transports });
      await join(engine, rec);
      engine.send(BIN_TEXT);
      engine.send(new Uint8Array([1, 2, 3, 255]));
      expect(await rec.message()).toBe(BIN_TEXT);
      const bytes = await rec.message();
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect([...(bytes as Buffer)]).toEqual([1, 2, 3, 255]);
    });

    it("answers pings, so the session outlives several ping intervals", async () => {
      const s = await server();
      const { engine, rec } = open(s.url, { transports });
      await join(engine, rec);
      while (rec.pings < 3) await new Promise((r) => setTimeout(r, 100));
      engine.send('2["echo","still here"]');
      expect(await rec.message()).toBe('2["echo","still here"]');
      expect(rec.log).toEqual(["open"]);
    });

    it("reports a server-initiated close", async () => {
      const s = await server();
      const { engine, rec } = open(s.url, { transports });
      await join(engine, rec);
      engine.send('2["bye"]');
      const { reason } = await rec.closed;
      expect(reason).toBe(name === "polling" ? kind.pollingServerClose : "transport close");
    });

    it("forced close tells the server", async () => {
      const s = await server();
      const gone = new Promise<string>((resolve) =>
        s.io.on("connection", (socket) => socket.on("disconnect", (reason) => resolve(reason))),
      );
      const { engine, rec } = open(s.url, { transports });
      await join(engine, rec);
      engine.close();
      expect((await rec.closed).reason).toBe("forced close");
      expect(await gone).toBe("transport close");
    });
  });

  describe(`engine upgrade and fallback, ${kind.name}`, () => {
    it("upgrades polling to websocket by default and keeps messages in order", async () => {
      const s = await server();
      let serverSocket: PeerSocket | undefined;
      s.io.on("connection", (socket) => (serverSocket = socket));
      const { engine, rec } = open(s.url);
      await join(engine, rec);
      engine.send('2["echo",1]');
      expect(await rec.upgraded).toBe("websocket");
      engine.send('2["echo",2]');
      engine.send(BIN_TEXT);
      engine.send(new Uint8Array([7]));
      expect(await rec.message()).toBe('2["echo",1]');
      expect(await rec.message()).toBe('2["echo",2]');
      expect(await rec.message()).toBe(BIN_TEXT);
      expect([...((await rec.message()) as Buffer)]).toEqual([7]);
      expect(engine.transport).toBe("websocket");
      expect(serverSocket?.conn.transport.name).toBe("websocket");
    });

    it("keeps order both ways when messages flow across the upgrade", async () => {
      const s = await server();
      const got: number[] = [];
      s.io.on("connection", (socket) => {
        socket.on("n", (i: number) => got.push(i));
        socket.on("burst", () => {
          let i = 0;
          const step = (): void => {
            for (let k = 0; k < 20 && i < 400; k++) socket.emit("m", i++);
            if (i < 400) setTimeout(step, 1);
          };
          step();
        });
      });
      const { engine, rec } = open(s.url);
      await join(engine, rec);
      engine.send('2["burst"]');
      for (let i = 0; i < 400; i++) {
        engine.send(`2["n",${i}]`);
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      const seen: string[] = [];
      while (seen.length < 400) seen.push((await rec.message()) as string);
      expect(seen).toEqual(Array.from({ length: 400 }, (_, i) => `2["m",${i}]`));
      await until(() => got.length === 400);
      expect(got).toEqual(Array.from({ length: 400 }, (_, i) => i));
      expect(await rec.upgraded).toBe("websocket");
    });

    it("stays on polling with upgrade: false", async () => {
      const s = await server();
      const { engine, rec } = open(s.url, { upgrade: false });
      await join(engine, rec);
      while (rec.pings < 2) await new Promise((r) => setTimeout(r, 100));
      expect(engine.transport).toBe("polling");
      expect(rec.log).toEqual(["open"]);
    });

    it("websocket-first falls back to polling when the server refuses websocket", async () => {
      const s = await server({ transports: ["polling"] });
      const { engine, rec } = open(s.url, { websocketFirst: true });
      expect(await join(engine, rec)).toMatch(/^0\{"sid"/);
      expect(engine.transport).toBe("polling");
    });

    it("websocket-first connects over a single TCP connection, no HTTP request", async () => {
      const s = await server();
      const proxy = await ChaosProxy.start({ target: s.port });
      cleanups.push(() => proxy.close());
      const { engine, rec } = open(proxy.url, { websocketFirst: true });
      await join(engine, rec);
      engine.send('2["echo","x"]');
      expect(await rec.message()).toBe('2["echo","x"]');
      expect(engine.transport).toBe("websocket");
      expect(proxy.accepted).toBe(1);
    });

    it("tryAllTransports falls back from a refused websocket", async () => {
      const s = await server({ transports: ["polling"] });
      const { engine, rec } = open(s.url, { transports: ["websocket", "polling"], tryAllTransports: true });
      await join(engine, rec);
      expect(engine.transport).toBe("polling");
    });

    it("without a fallback, a refused websocket is an open error", async () => {
      const s = await server({ transports: ["polling"] });
      const { rec } = open(s.url, { transports: ["websocket"] });
      const error = await rec.failed;
      expect(error.code).toBe("ERR_WEBSOCKET");
      expect(rec.log).toEqual(["error:ERR_WEBSOCKET"]);
    });

    it("a refused polling handshake is an open error with the HTTP status", async () => {
      const s = await server({ transports: ["websocket"] });
      const { rec } = open(s.url, { transports: ["polling"] });
      const error = await rec.failed;
      expect(error.code).toBe("ERR_POLLING_STATUS");
      expect(error.message).toContain("Transport unknown");
    });
  });

  describe(`teardown, ${kind.name}`, () => {
    it.each([["polling"], ["websocket"], ["upgrade"]])("after close (%s): no timer, no session, no socket left", async (mode) => {
      const s = await server();
      const clock = new FakeClock();
      const rec = new Recorder();
      const transports = mode === "upgrade" ? ["polling", "websocket"] : [mode];
      const engine = new Engine(s.url, { kit: defaultKit, platform: nodePlatform, transports }, rec, clock);
      engine.open();
      await join(engine, rec);
      if (mode === "upgrade") await rec.upgraded;
      expect(clock.pending).toBe(1);
      if (mode !== "polling") expect(await countConnections(s)).toBeGreaterThan(0);
      engine.close();
      expect(clock.pending).toBe(0);
      await until(() => s.io.engine.clientsCount === 0);
      if (mode !== "polling") {
        // fetch keeps idle HTTP connections pooled, so only WebSocket sockets can be counted
        while ((await countConnections(s)) > 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(rec.log.filter((l) => l.startsWith("close"))).toEqual(["close:forced close"]);
    });
  });
}

function countConnections(s: Peer): Promise<number> {
  return new Promise((resolve, reject) => s.http.getConnections((error, n) => (error ? reject(error) : resolve(n))));
}
