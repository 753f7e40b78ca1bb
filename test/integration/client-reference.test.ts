/**
 * The volley client (Node entry) against volley's reference server: the features the
 * reference server offers (namespaces, middleware errors, acks both ways, binary, timeouts,
 * retries, buffering, server-side disconnects, reconnection, connection state recovery).
 */
import { describe, expect, it } from "vitest";
import type { Server } from "../../src/server/index.js";
import { AckTimeoutError, ConnectError, Manager, io } from "../../src/node.js";
import { startReferenceServer, type ReferenceServer } from "../helpers/reference-server.js";
import { client, defer, once as next } from "./client-support.js";

async function start(setup: (server: Server) => void): Promise<ReferenceServer> {
  const s = await startReferenceServer({ pingInterval: 300, pingTimeout: 200 }, setup);
  defer(() => s.close());
  return s;
}

describe.each([["polling", "websocket"], ["websocket"], ["polling"]])("volley client vs the reference server (%s)", (...transports) => {
  it("exchanges events, acks both ways and binary", async () => {
    const s = await start((server) =>
      server.on("connection", (socket) => {
        socket.emit("welcome", "hi");
        socket.on("hello", (name: string, ack: (reply: string) => void) => ack(`hello ${name}`));
        socket.on("bytes", (data: Buffer, ack: (n: number, back: Buffer) => void) => ack(data.length, Buffer.from([7, 8])));
        socket.on("ask", () => socket.emit("question", "q?", (answer: string) => socket.emit("answered", answer)));
      }),
    );
    const socket = client(s.url, { transports });
    const welcome = next(socket, "welcome");
    await next(socket, "connect");
    expect(await welcome).toBe("hi");
    expect(await socket.emitWithAck("hello", "ada")).toBe("hello ada");
    const reply = await new Promise<unknown[]>((resolve) => socket.emit("bytes", new Uint8Array([1, 2, 3]), (...args: unknown[]) => resolve(args)));
    expect(reply[0]).toBe(3);
    expect([...(reply[1] as Buffer)]).toEqual([7, 8]);
    socket.on("question", (q: string, ack: (a: string) => void) => ack(`${q} yes`));
    const answered = next(socket, "answered");
    socket.emit("ask");
    expect(await answered).toBe("q? yes");
  });
});

describe("volley client vs the reference server", () => {
  it("multiplexes namespaces and reports middleware refusals with their data", async () => {
    const s = await start((server) => {
      server.of("/admin").on("connection", (socket) => socket.emit("admin-hello", socket.nsp.name));
      server.of("/private").use((_socket, nextFn) => {
        const err = new Error("Not authorized") as Error & { data: unknown };
        err.data = { code: 42 };
        nextFn(err);
      });
    });
    const root = io(s.url);
    defer(() => root.io.disconnect());
    await next(root, "connect");
    const admin = io(`${s.url}/admin`);
    expect(admin.io).toBe(root.io);
    expect(await next(admin, "admin-hello")).toBe("/admin");
    const refused = await next<ConnectError>(root.io.socket("/private"), "connect_error");
    expect(refused.code).toBe("ERR_CONNECT_REFUSED");
    expect(refused.data).toEqual({ code: 42 });
    const unknown = await next<ConnectError>(root.io.socket("/nope"), "connect_error");
    expect(unknown.message).toBe("Invalid namespace");
  });

  it("sees a server-side disconnect as 'io server disconnect' and reconnects after a dropped transport", async () => {
    const s = await start((server) =>
      server.on("connection", (socket) => {
        socket.on("kick", () => socket.disconnect());
        socket.on("drop", () => socket.conn.close());
      }),
    );
    const socket = client(s.url, { reconnectionDelay: 20, reconnectionDelayMax: 20 });
    await next(socket, "connect");
    const dropped = next(socket, "disconnect");
    socket.emit("drop");
    expect(await dropped).toBe("transport close");
    await next(socket, "connect");
    const kicked = next(socket, "disconnect");
    socket.emit("kick");
    expect(await kicked).toBe("io server disconnect");
    expect(socket.active).toBe(false);
  });

  it("times acks out, retries until acknowledged, and re-sends auth from a function", async () => {
    const seen: number[] = [];
    const auths: unknown[] = [];
    const s = await start((server) =>
      server.on("connection", (socket) => {
        auths.push(socket.handshake.auth);
        socket.on("slow", () => {});
        socket.on("job", (n: number, ack: (r: string) => void) => {
          seen.push(n);
          if (seen.filter((x) => x === n).length > 1) ack(`done ${n}`);
        });
        socket.on("drop", () => socket.conn.close());
      }),
    );
    let n = 0;
    const socket = client(s.url, { retries: 2, ackTimeout: 100, auth: (cb) => cb({ n: ++n }), reconnectionDelay: 20, reconnectionDelayMax: 20 });
    await next(socket, "connect");
    await expect(socket.timeout(50).emitWithAck("slow")).rejects.toBeInstanceOf(AckTimeoutError);
    expect(await socket.emitWithAck("job", 1)).toBe("done 1");
    expect(seen).toEqual([1, 1]);
    socket.volatile.emit("drop");
    await next(socket, "disconnect");
    await next(socket, "connect");
    expect(auths).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("delivers emits buffered while disconnected in order, drops volatile ones", async () => {
    const got: string[] = [];
    const s = await start((server) =>
      server.on("connection", (socket) => {
        socket.on("msg", (m: string) => got.push(m));
        socket.on("drop", () => socket.conn.close());
      }),
    );
    const socket = client(s.url, { reconnectionDelay: 50, reconnectionDelayMax: 50 });
    await next(socket, "connect");
    const down = next(socket, "disconnect");
    socket.emit("drop");
    await down;
    socket.emit("msg", "a");
    socket.volatile.emit("msg", "volatile");
    socket.emit("msg", "b");
    await next(socket, "connect");
    socket.emit("msg", "c");
    await expect.poll(() => got).toEqual(["a", "b", "c"]);
  });

  it("stops after reconnectionAttempts once the server is gone", async () => {
    const s = await start(() => {});
    const manager = new Manager(s.url, { reconnectionAttempts: 2, reconnectionDelay: 10, reconnectionDelayMax: 20 });
    defer(() => manager.disconnect());
    const socket = manager.socket("/");
    await next(socket, "connect");
    const failed = next(manager, "reconnect_failed");
    await s.close();
    await failed;
    expect(socket.connected).toBe(false);
  });

  it("recovers the connection state: same id, missed events, recovered flag", async () => {
    const s = await startReferenceServer(
      { pingInterval: 300, pingTimeout: 200, connectionStateRecovery: { maxDisconnectionDuration: 60_000 } },
      (server) => server.on("connection", (socket) => socket.on("drop", () => socket.conn.close())),
    );
    defer(() => s.close());
    const socket = client(s.url, { reconnectionDelay: 50, reconnectionDelayMax: 50 });
    const news: unknown[] = [];
    socket.on("news", (n: unknown) => news.push(n));
    await next(socket, "connect");
    expect(socket.recovered).toBe(false);
    const id = socket.id;
    s.io.emit("news", 1);
    await expect.poll(() => news).toEqual([1]);
    const down = next(socket, "disconnect");
    socket.emit("drop");
    await down;
    s.io.emit("news", 2);
    await next(socket, "connect");
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(id);
    expect(news).toEqual([1, 2]);
  });
});
