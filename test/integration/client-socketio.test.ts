/**
 * The volley client (Node entry) against the real socket.io 4.8 server, used as an app would
 * use socket.io-client: namespaces, middleware errors, acks both ways, timeouts, retries,
 * buffering, volatile, binary, reconnection, restart and connection state recovery.
 */
import { describe, expect, it } from "vitest";
import type { Server } from "socket.io";
import { EventEmitter } from "node:events";
import * as socketioParser from "socket.io-parser";
import { AckTimeoutError, ConnectError, DisconnectedError, Manager, io, type Parser, type SioPacket } from "../../src/node.js";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";
import { client, defer, once } from "./client-support.js";

async function server(setup: (io: Server) => void, options: Parameters<typeof startSocketIoServer>[0] = {}): Promise<SocketIoServer> {
  const s = await startSocketIoServer({ pingInterval: 300, pingTimeout: 200, ...options });
  setup(s.io);
  defer(() => s.close());
  return s;
}

const transportsList: Array<[string, string[]]> = [
  ["polling then websocket", ["polling", "websocket"]],
  ["websocket", ["websocket"]],
  ["polling", ["polling"]],
];

describe.each(transportsList)("volley client vs socket.io 4.8 (%s)", (_, transports) => {
  it("connects, exchanges events and acks both ways", async () => {
    const s = await server((sio) => {
      sio.on("connection", (socket) => {
        socket.emit("welcome", "hi", 1);
        socket.on("hello", (name: string, ack: (reply: string) => void) => ack(`hello ${name}`));
        socket.on("ask", async () => {
          const answer: unknown = await socket.emitWithAck("question", "q?");
          socket.emit("answered", answer);
        });
      });
    });
    const socket = client(s.url, { transports });
    const welcome = new Promise<unknown[]>((resolve) => socket.on("welcome", (...args: unknown[]) => resolve(args)));
    await once(socket, "connect");
    expect(socket.connected).toBe(true);
    expect(typeof socket.id).toBe("string");
    expect(await welcome).toEqual(["hi", 1]);
    expect(await socket.emitWithAck("hello", "ada")).toBe("hello ada");
    socket.on("question", (q: string, ack: (a: string) => void) => ack(`${q} yes`));
    const answered = once(socket, "answered");
    socket.emit("ask");
    expect(await answered).toBe("q? yes");
  });

  it("sends and receives binary, nested, as Buffers in Node", async () => {
    const s = await server((sio) => {
      sio.on("connection", (socket) => {
        socket.on("upload", (doc: { file: Buffer; name: string }, extra: Buffer, ack: (n: number, back: Buffer) => void) =>
          ack(doc.file.length + extra.length, Buffer.from([0xca, 0xfe])),
        );
      });
    });
    const socket = client(s.url, { transports });
    await once(socket, "connect");
    const reply = await new Promise<unknown[]>((resolve) =>
      socket.emit("upload", { file: new Uint8Array([1, 2, 3]), name: "a" }, new Uint16Array([1]).buffer, (...args: unknown[]) => resolve(args)),
    );
    expect(reply[0]).toBe(5);
    expect(Buffer.isBuffer(reply[1])).toBe(true);
    expect([...(reply[1] as Buffer)]).toEqual([0xca, 0xfe]);
  });
});

describe("volley client vs socket.io 4.8", () => {
  it("shares one connection between namespaces, each with its own id", async () => {
    let engines = 0;
    const s = await server((sio) => {
      sio.engine.on("connection", () => engines++);
      sio.of("/admin").on("connection", (socket) => socket.emit("admin-hello", socket.nsp.name));
    });
    const root = io(s.url);
    defer(() => root.io.disconnect());
    await once(root, "connect");
    const admin = io(`${s.url}/admin`);
    expect(admin.io).toBe(root.io);
    const hello = once(admin, "admin-hello");
    await once(admin, "connect");
    expect(await hello).toBe("/admin");
    expect(admin.id).not.toBe(root.id);
    expect(engines).toBe(1);
  });

  it("reports a middleware refusal as connect_error with the server's data, and an unknown namespace", async () => {
    const s = await server((sio) => {
      sio.of("/private").use((_socket, next) => {
        const err = new Error("Not authorized") as Error & { data: unknown };
        err.data = { code: 42 };
        next(err);
      });
    });
    const root = client(s.url);
    await once(root, "connect");
    const priv = root.io.socket("/private");
    const err = await once<ConnectError>(priv, "connect_error");
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe("ERR_CONNECT_REFUSED");
    expect(err.message).toBe("Not authorized");
    expect(err.data).toEqual({ code: 42 });
    expect(priv.active).toBe(false);
    const unknown = root.io.socket("/nope");
    const err2 = await once<ConnectError>(unknown, "connect_error");
    expect(err2.message).toBe("Invalid namespace");
    expect(root.connected).toBe(true);
  });

  it("sends auth (object or function, re-evaluated on each connect)", async () => {
    const s = await server((sio) => sio.on("connection", (socket) => socket.emit("auth", socket.handshake.auth)));
    let n = 0;
    const socket = client(s.url, { auth: (cb) => cb({ token: `t${++n}` }), reconnectionDelay: 10, reconnectionDelayMax: 20 });
    expect(await once(socket, "auth")).toEqual({ token: "t1" });
    const again = once(socket, "auth");
    for (const x of s.io.of("/").sockets.values()) x.conn.close();
    expect(await again).toEqual({ token: "t2" });
  });

  it("times out acks with AckTimeoutError, and emitWithAck rejects the same way", async () => {
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("slow", () => {})));
    const socket = client(s.url);
    await once(socket, "connect");
    const err = await new Promise<Error | null>((resolve) => socket.timeout(50).emit("slow", (e: Error | null) => resolve(e)));
    expect(err).toBeInstanceOf(AckTimeoutError);
    await expect(socket.timeout(50).emitWithAck("slow")).rejects.toMatchObject({ code: "ERR_ACK_TIMEOUT" });
  });

  it("retries an emit until it is acknowledged (at-least-once), one in flight, in order", async () => {
    const seen: number[] = [];
    const s = await server((sio) =>
      sio.on("connection", (socket) =>
        socket.on("job", (n: number, ack: (r: string) => void) => {
          seen.push(n);
          // the first delivery of each job is "lost": no ack
          if (seen.filter((x) => x === n).length > 1) ack(`done ${n}`);
        }),
      ),
    );
    const socket = client(s.url, { retries: 3, ackTimeout: 100 });
    const results = await Promise.all([socket.emitWithAck("job", 1), socket.emitWithAck("job", 2)]);
    expect(results).toEqual(["done 1", "done 2"]);
    expect(seen).toEqual([1, 1, 2, 2]);
  });

  it("buffers emits while disconnected and sends them in order after reconnecting; volatile ones are dropped", async () => {
    const got: string[] = [];
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("msg", (m: string) => got.push(m))));
    const socket = client(s.url, { reconnectionDelay: 50, reconnectionDelayMax: 50 });
    await once(socket, "connect");
    const reason = once(socket, "disconnect");
    for (const x of s.io.of("/").sockets.values()) x.conn.close();
    expect(await reason).toBe("transport close");
    socket.emit("msg", "a");
    socket.volatile.emit("msg", "volatile");
    socket.emit("msg", "b");
    await once(socket, "connect");
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(["a", "b"]);
  });

  it("rejects pending acks with DisconnectedError when the connection drops", async () => {
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("never", () => socket.conn.close())));
    const socket = client(s.url, { reconnection: false });
    await once(socket, "connect");
    await expect(socket.emitWithAck("never")).rejects.toBeInstanceOf(DisconnectedError);
  });

  it("gives up after reconnectionAttempts with reconnect_failed", async () => {
    const s = await server(() => {});
    const manager = new Manager(s.url, { reconnectionAttempts: 2, reconnectionDelay: 10, reconnectionDelayMax: 20 });
    defer(() => manager.disconnect());
    const socket = manager.socket("/");
    await once(socket, "connect");
    const attempts: number[] = [];
    manager.on("reconnect_attempt", (n) => attempts.push(n));
    const failed = once(manager, "reconnect_failed");
    await s.close();
    await failed;
    expect(attempts).toEqual([1, 2]);
    expect(socket.connected).toBe(false);
  });

  it("reconnects after a server restart on the same port", async () => {
    const first = await startSocketIoServer();
    const port = first.port;
    const socket = client(first.url, { reconnectionDelay: 50, reconnectionDelayMax: 100 });
    await once(socket, "connect");
    const oldId = socket.id;
    const disconnected = once(socket, "disconnect");
    await first.close();
    await disconnected;
    const { createServer } = await import("node:http");
    const { Server: SioServer } = await import("socket.io");
    const http = createServer();
    const sio = new SioServer(http);
    await new Promise<void>((r) => http.listen(port, "127.0.0.1", r));
    defer(() => new Promise<void>((r) => { sio.close(() => r()); http.closeAllConnections(); }));
    const reconnected = once<number>(socket.io, "reconnect");
    await once(socket, "connect");
    expect(await reconnected).toBeGreaterThan(0);
    expect(socket.id).not.toBe(oldId);
  });

  it("emits the Manager events of a lost and regained connection, and pings", async () => {
    const s = await server(() => {});
    const socket = client(s.url, { reconnectionDelay: 20, reconnectionDelayMax: 20 });
    const manager = socket.io;
    const events: string[] = [];
    manager.on("open", () => events.push("open"));
    manager.on("close", (reason) => events.push(`close ${reason}`));
    manager.on("reconnect_attempt", (n) => events.push(`reconnect_attempt ${n}`));
    manager.on("reconnect", (n) => events.push(`reconnect ${n}`));
    const packets: number[] = [];
    manager.on("packet", (p) => packets.push(p.type));
    await once(socket, "connect");
    await once(manager, "ping");
    for (const x of s.io.of("/").sockets.values()) x.conn.close();
    await once(socket, "connect");
    expect(events).toEqual(["open", "close transport close", "reconnect_attempt 1", "open", "reconnect 1"]);
    expect(packets).toEqual([0, 0]); // the two CONNECT replies
  });

  it("reports both sides' disconnect reasons", async () => {
    const reasons: string[] = [];
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("disconnect", (r) => reasons.push(r))));
    const a = client(s.url);
    await once(a, "connect");
    const serverSide = await s.io.fetchSockets();
    const aReason = once(a, "disconnect");
    serverSide[0]?.disconnect();
    expect(await aReason).toBe("io server disconnect");
    expect(a.active).toBe(false);
    const b = client(s.url);
    await once(b, "connect");
    const bReason = once(b, "disconnect");
    b.disconnect();
    expect(await bReason).toBe("io client disconnect");
    await new Promise((r) => setTimeout(r, 100));
    expect(reasons).toEqual(["server namespace disconnect", "client namespace disconnect"]);
  });

  it("recovers the connection state: same id, missed events, recovered flag", async () => {
    const s = await server(
      (sio) => sio.on("connection", (socket) => socket.on("drop", () => socket.conn.close())),
      { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } },
    );
    const socket = client(s.url, { reconnectionDelay: 50, reconnectionDelayMax: 50 });
    const news: unknown[] = [];
    socket.on("news", (n: unknown) => news.push(n));
    await once(socket, "connect");
    expect(socket.recovered).toBe(false);
    const id = socket.id;
    s.io.emit("news", 1);
    await new Promise((r) => setTimeout(r, 50));
    const down = once(socket, "disconnect");
    socket.emit("drop");
    await down;
    s.io.emit("news", 2);
    await once(socket, "connect");
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(id);
    expect(news).toEqual([1, 2]);
  });
});

/** A custom codec (the whole packet as JSON bytes in one binary message), in both sides' shapes. */
const jsonBytes = {
  encode: (p: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(p)),
  decode: (d: ArrayBufferView | ArrayBuffer): unknown =>
    JSON.parse(new TextDecoder().decode(ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : d)),
};
const serverParser = {
  Encoder: class {
    encode(packet: unknown): Uint8Array[] {
      return [jsonBytes.encode(packet)];
    }
  },
  Decoder: class extends EventEmitter {
    add(chunk: ArrayBufferView): void {
      this.emit("decoded", jsonBytes.decode(chunk));
    }
    destroy(): void {}
  },
};
const clientParser: Parser = {
  encode: (packet) => [jsonBytes.encode(packet)],
  createDecoder: () => ({
    add: (data) => (typeof data === "string" || !("byteLength" in data) ? new Error("text frame") : (jsonBytes.decode(data) as SioPacket)),
  }),
};

describe("volley client vs socket.io 4.8 with a custom parser", () => {
  it("talks through the same custom codec as the server (as a msgpack parser would)", async () => {
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("sum", (a: number, b: number, ack: (n: number) => void) => ack(a + b))), {
      parser: serverParser,
    });
    const socket = client(s.url, { parser: clientParser, transports: ["websocket"] });
    await once(socket, "connect");
    expect(await socket.emitWithAck("sum", 2, 3)).toBe(5);
    // the same codec in socket.io-client's parser shape ({ Encoder, Decoder }) plugs in as is
    const legacy = client(s.url, { parser: serverParser, transports: ["polling"] });
    await once(legacy, "connect");
    expect(await legacy.emitWithAck("sum", 4, 5)).toBe(9);
  });

  it("accepts socket.io-client's own parser package (socket.io-parser) as the parser option", async () => {
    const s = await server((sio) => sio.on("connection", (socket) => socket.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v))));
    const socket = client(s.url, { parser: socketioParser });
    await once(socket, "connect");
    expect(await socket.emitWithAck("echo", { a: [1, "b"] })).toEqual({ a: [1, "b"] });
    const bytes = (await socket.emitWithAck("echo", new Uint8Array([1, 2]))) as Buffer;
    expect([...bytes]).toEqual([1, 2]);
  });
});
