/** The Socket.IO layer against the real socket.io-client 4.8: namespaces, middleware, acks, binary, handshake. */
import { describe, expect, it } from "vitest";
import type { Socket } from "../../src/server/index.js";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();
const TRANSPORTS = [["polling", "websocket"], ["websocket"], ["polling"]];

describe.each(TRANSPORTS)("over %s", (...transports) => {
  it("events both ways with any args, binary anywhere, acks both ways", async () => {
    await h.start({}, (io) =>
      io.on("connection", (socket) => {
        socket.on("echo", (...args: unknown[]) => {
          const cb = args.pop() as (...a: unknown[]) => void;
          cb(...args);
        });
        socket.on("ask", async () => {
          const reply = await socket.timeout(2000).emitWithAck("question", Buffer.from([1, 2]));
          socket.emit("answer", reply);
        });
      }),
    );
    const c = h.client("/", { transports });
    c.on("question", (bytes: Buffer, cb: (r: unknown) => void) => cb({ got: [...bytes], back: Buffer.from([9]) }));
    const reply = await c.timeout(2000).emitWithAck("echo", 1, "two", { three: [Buffer.from([3, 4])] }, null);
    expect(reply).toBe(1);
    const all = await new Promise<unknown[]>((resolve) => c.emit("echo", 1, "two", { b: Buffer.from([5]) }, (...a: unknown[]) => resolve(a)));
    expect(all).toEqual([1, "two", { b: Buffer.from([5]) }]);
    c.emit("ask");
    expect(await once(c, "answer")).toEqual({ got: [1, 2], back: Buffer.from([9]) });
  });
});

describe("upgrade", () => {
  it("keeps order both ways while the session moves from polling to WebSocket", async () => {
    const N = 300;
    await h.start({}, (io) =>
      io.on("connection", (socket) => {
        const got: number[] = [];
        socket.on("n", (i: number) => {
          got.push(i);
          if (got.length === N) socket.emit("server got", got);
        });
        for (let i = 0; i < N; i++) socket.emit("n", i);
      }),
    );
    const c = h.client("/");
    const got: number[] = [];
    const all = new Promise<void>((resolve) =>
      c.on("n", (i: number) => {
        got.push(i);
        if (got.length === N) resolve();
      }),
    );
    const upgraded = once(c.io.engine, "upgrade");
    await connected(c);
    for (let i = 0; i < N; i++) c.emit("n", i);
    const serverGot = await once<number[]>(c, "server got");
    await all;
    await upgraded;
    const expected = Array.from({ length: N }, (_, i) => i);
    expect(got).toEqual(expected);
    expect(serverGot).toEqual(expected);
    expect(c.io.engine.transport.name).toBe("websocket");
  });
});

describe("namespaces and middleware", () => {
  it("multiplexes namespaces on one connection, with io.of and io.sockets", async () => {
    const seen: string[] = [];
    await h.start({}, (io) => {
      io.on("connection", (s) => seen.push(`/ ${s.nsp.name}`));
      io.of("/chat").on("connection", (s) => s.emit("hi", s.nsp.name));
      expect(io.sockets).toBe(io.of("/"));
    });
    const main = h.client("/");
    const chat = main.io.socket("/chat");
    chat.connect();
    expect(await once(chat, "hi")).toBe("/chat");
    await connected(main);
    expect(main.io.engine.id).toBe(chat.io.engine.id);
    expect(seen).toEqual(["/ /"]);
    chat.disconnect();
  });

  it("refuses an unknown namespace with Invalid namespace", async () => {
    await h.start();
    const c = h.client("/nowhere");
    const err = await once<Error>(c, "connect_error");
    expect(err.message).toBe("Invalid namespace");
  });

  it("middleware: next(err) with data reaches connect_error; handshake fields and socket.data", async () => {
    await h.start({}, (io) => {
      io.use((socket, next) => {
        if (socket.handshake.auth["token"] !== "ok") {
          const err = Object.assign(new Error("Not authorized"), { data: { code: 42 } });
          return next(err);
        }
        socket.data["user"] = "ada";
        next();
      });
      io.on("connection", (socket) => {
        const { handshake, data } = socket;
        socket.emit("me", {
          data,
          auth: handshake.auth,
          query: handshake.query["room"],
          address: handshake.address,
          issued: typeof handshake.issued,
          time: typeof handshake.time,
          url: handshake.url.startsWith("/socket.io/?"),
          header: handshake.headers["x-test"],
          xdomain: handshake.xdomain,
          secure: handshake.secure,
          conn: [socket.conn.id.length, socket.conn.transport.name],
          rooms: [...socket.rooms],
          self: socket.rooms.has(socket.id),
        });
      });
    });
    const refused = h.client("/", { auth: { token: "no" } });
    const err = await once<Error & { data: unknown }>(refused, "connect_error");
    expect(err.message).toBe("Not authorized");
    expect(err.data).toEqual({ code: 42 });
    const c = h.client("/", { auth: { token: "ok" }, query: { room: "r1" }, extraHeaders: { "x-test": "yes" }, transports: ["polling"] });
    const me = await once<Record<string, unknown>>(c, "me");
    expect(me).toMatchObject({
      data: { user: "ada" },
      auth: { token: "ok" },
      query: "r1",
      address: "127.0.0.1",
      issued: "number",
      time: "string",
      url: true,
      header: "yes",
      xdomain: false,
      secure: false,
      conn: [20, "polling"],
      self: true,
    });
  });

  it("per-namespace middleware runs only for its namespace", async () => {
    await h.start({}, (io) => {
      io.of("/admin").use((_s, next) => next(new Error("admins only")));
      io.of("/admin").on("connection", () => undefined);
    });
    const main = h.client("/");
    await connected(main);
    const admin = main.io.socket("/admin");
    admin.connect();
    expect((await once<Error>(admin, "connect_error")).message).toBe("admins only");
    expect(main.connected).toBe(true);
  });
});

describe("events", () => {
  it("onAny sees every event; reserved names throw on emit; an event named error is delivered", async () => {
    const any: unknown[] = [];
    let serverSocket: Socket | undefined;
    await h.start({}, (io) =>
      io.on("connection", (socket) => {
        serverSocket = socket;
        socket.onAny((event: string, ...args: unknown[]) => any.push([event, ...args]));
        socket.on("error", (x: unknown) => socket.emit("got-error", x));
      }),
    );
    const c = h.client("/");
    await connected(c);
    c.emit("a", 1);
    c.emit("error", "boom");
    expect(await once(c, "got-error")).toBe("boom");
    expect(any).toEqual([["a", 1], ["error", "boom"]]);
    expect(() => serverSocket?.emit("disconnect")).toThrow('"disconnect" is a reserved event name');
  });

  it("socket.use filters incoming events; next(err) reaches the socket's error listeners", async () => {
    await h.start({}, (io) =>
      io.on("connection", (socket) => {
        socket.use(([name], next) => (name === "forbidden" ? next(new Error("not allowed")) : next()));
        socket.use((event, next) => {
          event.push("tagged");
          next();
        });
        socket.on("error", (err: Error) => socket.emit("refused", err.message));
        socket.on("ok", (...args: unknown[]) => socket.emit("passed", args));
        socket.on("forbidden", () => socket.emit("passed", "forbidden"));
      }),
    );
    const c = h.client("/");
    await connected(c);
    c.emit("forbidden");
    expect(await once(c, "refused")).toBe("not allowed");
    c.emit("ok", 1);
    expect(await once(c, "passed")).toEqual([1, "tagged"]);
  });

  it("a server ack times out with AckTimeoutError when the client does not answer", async () => {
    await h.start({}, (io) =>
      io.on("connection", (socket) => {
        socket.timeout(100).emit("silent", (err: Error | null) => socket.emit("result", err && (err as Error & { code: string }).code));
      }),
    );
    const c = h.client("/");
    c.on("silent", () => undefined);
    expect(await once(c, "result")).toBe("ERR_ACK_TIMEOUT");
  });

  it("a client ack times out when the server does not answer", async () => {
    await h.start({}, (io) => io.on("connection", (socket) => socket.on("ignored", () => undefined)));
    const c = h.client("/");
    await connected(c);
    await expect(c.timeout(100).emitWithAck("ignored")).rejects.toThrow("operation has timed out");
  });
});
