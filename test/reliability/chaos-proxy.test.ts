import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChaosProxy } from "../helpers/chaos-proxy.js";
import { seededRandom } from "../helpers/random.js";
import { until as untilWithin } from "./support/wait.js";

const until = (check: () => boolean): Promise<void> => untilWithin(check, 5000);

/** An echo server that also records what it received per connection. */
async function echoServer(): Promise<{ port: number; received: Buffer[]; close: () => Promise<void> }> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
    s.on("data", (d) => {
      received.push(d);
      s.write(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Client {
  socket: net.Socket;
  data: () => Buffer;
  closed: Promise<{ error: string | undefined }>;
}

function connect(port: number): Promise<Client> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  const chunks: Buffer[] = [];
  let error: string | undefined;
  socket.on("data", (d) => chunks.push(d));
  socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code));
  const closed = new Promise<{ error: string | undefined }>((r) => socket.on("close", () => r({ error })));
  const client = { socket, data: () => Buffer.concat(chunks), closed };
  // A reset may beat the connect event: either way the client is ready to inspect.
  return new Promise((resolve) => {
    socket.on("connect", () => resolve(client));
    void closed.then(() => resolve(client));
  });
}

describe("chaos proxy", () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let proxy: ChaosProxy;
  const clients: net.Socket[] = [];

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await ChaosProxy.start({ target: echo.port, seed: 7 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await proxy.close();
    await echo.close();
  });

  async function client(): Promise<Client> {
    const c = await connect(proxy.port);
    clients.push(c.socket);
    return c;
  }

  it("forwards both ways and counts connections and bytes", async () => {
    const c = await client();
    c.socket.write("hello");
    await until(() => c.data().toString() === "hello");
    expect(proxy.accepted).toBe(1);
    expect(proxy.active).toBe(1);
    expect(proxy.bytes).toEqual({ up: 5, down: 5 });
  });

  it("keeps byte order under latency with jitter", async () => {
    proxy.setLatency(5, 20);
    const c = await client();
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      expected.push(`<${i}>`);
      c.socket.write(`<${i}>`);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => c.data().length === expected.join("").length);
    expect(c.data().toString()).toBe(expected.join(""));
  });

  it("caps bandwidth without losing bytes", async () => {
    proxy.setBandwidth(200_000);
    const c = await client();
    const payload = Buffer.alloc(20_000, 1);
    const started = Date.now();
    c.socket.write(payload);
    await until(() => c.data().length === payload.length);
    // 20 kB each way at 200 kB/s: the echo cannot be instant (reported, loosely bounded).
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it("cutAll ends every connection and counts the cuts", async () => {
    const a = await client();
    const b = await client();
    await until(() => proxy.active === 2);
    expect(proxy.cutAll()).toBe(2);
    await Promise.all([a.closed, b.closed]);
    expect(proxy.cuts).toBe(2);
    expect(proxy.active).toBe(0);
  });

  it("cutAfter splits the stream after exactly n bytes", async () => {
    const c = await client();
    proxy.cutAfter(7);
    c.socket.write("0123456789");
    await c.closed;
    expect(Buffer.concat(echo.received).toString()).toBe("0123456");
    expect(proxy.cuts).toBe(1);
  });

  it("resetAll sends a TCP reset", async () => {
    const c = await client();
    await until(() => proxy.active === 1);
    proxy.resetAll();
    expect((await c.closed).error).toBe("ECONNRESET");
  });

  it("blackhole keeps the connection open and forwards nothing", async () => {
    const c = await client();
    proxy.blackhole(true);
    c.socket.write("lost");
    await new Promise((r) => setTimeout(r, 100));
    expect(echo.received).toHaveLength(0);
    expect(c.socket.destroyed).toBe(false);
    proxy.blackhole(false);
    c.socket.write("seen");
    await until(() => c.data().toString() === "seen");
  });

  it("refuse resets new connections until turned off", async () => {
    proxy.refuse(true);
    const c = await client();
    expect((await c.closed).error).toBe("ECONNRESET");
    proxy.refuse(false);
    const d = await client();
    d.socket.write("back");
    await until(() => d.data().toString() === "back");
    expect(proxy.accepted).toBe(2);
  });

  it("close() leaves no socket or timer behind, and a proxy stops by itself", async () => {
    proxy.setLatency(50);
    const c = await client();
    c.socket.write("pending");
    await proxy.close();
    await c.closed;
    const selfStopping = await ChaosProxy.start({ target: echo.port, selfStopMs: 20 });
    await until(() => {
      try {
        return selfStopping.port < 0;
      } catch {
        return true;
      }
    });
  });

  it("seeded randomness repeats", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
