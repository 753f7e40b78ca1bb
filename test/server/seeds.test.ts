/**
 * The seed examples (Socket.IO course notes and tutorials), with only the import changed,
 * driven by real socket.io-client 4.8 clients.
 */
import { describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { Server } from "../../src/server/index.js";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();

function quiet(c: ClientSocket, event: string, ms = 150): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    c.once(event, () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

describe("seed examples", () => {
  it("chat app: io.emit('chat message') reaches every client, sender included", async () => {
    await h.start({}, (io) => {
      io.on("connection", function (socket) {
        socket.on("chat message", function (msg: string) {
          io.emit("chat message", msg);
        });
      });
    });
    const a = h.client("/");
    const b = h.client("/", { transports: ["polling"] });
    await connected(a, b);
    const got = Promise.all([once(a, "chat message"), once(b, "chat message")]);
    a.emit("chat message", "hello");
    expect(await got).toEqual(["hello", "hello"]);
  });

  it("transmission types: socket.emit, io.sockets.emit, io.emit, socket.broadcast.emit, io.to(socketid)", async () => {
    await h.start({}, (io) => {
      io.on("connection", (socket) => {
        socket.on("go", (target: string) => {
          socket.emit("message", "hey there client");
          io.sockets.emit("message", "hello everyone!");
          io.emit("message", "hello everyone!");
          socket.broadcast.emit("message", "surprise party");
          io.to(target).emit("message", "your eyes only");
        });
        socket.on("whoami", (cb: (id: string) => void) => cb(socket.id));
      });
    });
    const a = h.client("/");
    const b = h.client("/");
    await connected(a, b);
    const bId = await b.emitWithAck("whoami");
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.on("message", (m: string) => seenA.push(m));
    b.on("message", (m: string) => seenB.push(m));
    a.emit("go", bId);
    for (let i = 0; i < 100 && seenB.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(seenA).toEqual(["hey there client", "hello everyone!", "hello everyone!"]);
    expect(seenB).toEqual(["hello everyone!", "hello everyone!", "surprise party", "your eyes only"]);
  });

  it("namespace /chat with rooms: ns.in('room1').emit and socket.broadcast.to('room1').emit", async () => {
    await h.start({}, (io) => {
      const ns = io.of("/chat");
      ns.on("connection", function (socket) {
        if (socket.handshake.query["room"] === "1") socket.join("room1");
        socket.on("chat message", function (msg: string) {
          ns.emit("chat message", msg);
        });
        socket.on("room message", function (msg: string) {
          ns.in("room1").emit("room message", msg);
        });
        socket.on("others", function (msg: string) {
          socket.broadcast.to("room1").emit("others", msg);
        });
      });
    });
    const a = h.client("/chat", { query: { room: "1" } });
    const b = h.client("/chat", { query: { room: "1" } });
    const c = h.client("/chat");
    await connected(a, b, c);
    const all = Promise.all([once(a, "chat message"), once(b, "chat message"), once(c, "chat message")]);
    a.emit("chat message", "m1");
    expect(await all).toEqual(["m1", "m1", "m1"]);
    const room = Promise.all([once(a, "room message"), once(b, "room message"), quiet(c, "room message")]);
    c.emit("room message", "m2");
    expect(await room).toEqual(["m2", "m2", true]);
    const others = Promise.all([quiet(a, "others"), once(b, "others"), quiet(c, "others")]);
    a.emit("others", "m3");
    expect(await others).toEqual([true, "m3", true]);
  });

  it("new Server(port) and io.listen(port) create their own http server", async () => {
    for (const io of [new Server(0), new Server({ pingInterval: 1000 }).listen(0)]) {
      const http = io.httpServer;
      if (!http?.listening) await once(http!, "listening");
      const { port } = http!.address() as AddressInfo;
      io.on("connection", (s) => s.emit("hi", port));
      const c = connect(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ["websocket"] });
      expect(await once(c, "hi")).toBe(port);
      const other = await fetch(`http://127.0.0.1:${port}/elsewhere`);
      expect(other.status).toBe(404);
      c.disconnect();
      await io.close();
      expect(http!.listening).toBe(false);
    }
  });
});
