/** Disconnect reasons on both sides, reconnection, connectTimeout and session cleanup. */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { DisconnectReason, Server } from "../../src/server/index.js";
import { faultsOf, onEveryConnection } from "../../src/server/testing.js";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();

/** Records the server-side reason of every disconnect. */
function reasons(io: Server): DisconnectReason[] {
  const out: DisconnectReason[] = [];
  io.on("connection", (s) => s.on("disconnect", (r: DisconnectReason) => out.push(r)));
  return out;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

function rawWs(url: string): WebSocket {
  const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  ws.on("error", () => undefined);
  return ws;
}

describe.each([["websocket"], ["polling"]])("disconnects over %s", (transport) => {
  it("socket.disconnect(): io server disconnect / server namespace disconnect", async () => {
    let seen: DisconnectReason[] = [];
    const { io } = await h.start({}, (server) => {
      seen = reasons(server);
      server.on("connection", (s) => s.on("bye", () => s.disconnect()));
    });
    const c = h.client("/", { transports: [transport] });
    await connected(c);
    c.emit("bye");
    expect(await once(c, "disconnect")).toBe("io server disconnect");
    await until(() => seen.length === 1);
    expect(seen).toEqual(["server namespace disconnect"]);
    await until(() => io.engine.clientsCount === 0);
  });

  it("disconnect(true) sends the DISCONNECT before closing the connection", async () => {
    const { io } = await h.start({}, (server) => server.on("connection", (s) => s.on("bye", () => s.disconnect(true))));
    const c = h.client("/", { transports: [transport] });
    await connected(c);
    c.emit("bye");
    expect(await once(c, "disconnect")).toBe("io server disconnect");
    await until(() => io.engine.clientsCount === 0);
  });

  it("client disconnect: client namespace disconnect, then the session ends", async () => {
    let seen: DisconnectReason[] = [];
    const { io } = await h.start({}, (server) => (seen = reasons(server)));
    const c = h.client("/", { transports: [transport] });
    await connected(c);
    c.disconnect();
    await until(() => seen.length === 1 && io.engine.clientsCount === 0);
    expect(seen).toEqual(["client namespace disconnect"]);
  });

  it("a cut transport: transport close on the server, the client reconnects", async () => {
    let seen: DisconnectReason[] = [];
    const { io } = await h.start({}, (server) => (seen = reasons(server)));
    const c = h.client("/", { transports: [transport], reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 50 });
    await connected(c);
    const [socket] = await io.fetchSockets();
    const reason = once(c, "disconnect");
    faultsOf(socket!).cut();
    expect(["transport close", "transport error"]).toContain(await reason);
    await once(c, "connect");
    expect(seen).toEqual(["transport close"]);
    expect((await io.fetchSockets()).length).toBe(1);
  });
});

describe("server-side reasons", () => {
  it("ping timeout when the client stops answering", async () => {
    let seen: DisconnectReason[] = [];
    const { url, io } = await h.start({ pingInterval: 50, pingTimeout: 100 }, (server) => (seen = reasons(server)));
    const ws = rawWs(url);
    await once(ws, "open");
    ws.send("40");
    await until(() => seen.length === 1);
    expect(seen).toEqual(["ping timeout"]);
    expect(io.engine.clientsCount).toBe(0);
    ws.close();
  });

  it("forced close on an undecodable Socket.IO packet, as socket.io; other sessions are unaffected", async () => {
    let seen: DisconnectReason[] = [];
    const { url } = await h.start({}, (server) => (seen = reasons(server)));
    const good = h.client("/");
    await connected(good);
    const ws = rawWs(url);
    await once(ws, "open");
    ws.send("40");
    await until(() => seen.length === 0 && ws.readyState === ws.OPEN);
    await new Promise((r) => setTimeout(r, 50));
    ws.send("42abc");
    await once(ws, "close");
    await until(() => seen.length === 1);
    expect(seen).toEqual(["forced close"]);
    expect(good.connected).toBe(true);
  });

  it("a packet for a namespace not joined closes the connection", async () => {
    const { url } = await h.start();
    const ws = rawWs(url);
    await once(ws, "open");
    ws.send('42/other,["x"]');
    await once(ws, "close");
  });

  it("connectTimeout closes a connection that joins no namespace", async () => {
    const { url, io } = await h.start({ connectTimeout: 100 });
    const ws = rawWs(url);
    await once(ws, "open");
    await once(ws, "close");
    expect(io.engine.clientsCount).toBe(0);
  });

  it("io.close(): server shutting down, every session and the listener closed", async () => {
    let seen: DisconnectReason[] = [];
    const server = await h.start({}, (io) => (seen = reasons(io)));
    const a = h.client("/", { transports: ["websocket"] });
    const b = h.client("/", { transports: ["polling"] });
    await connected(a, b);
    const gone = Promise.all([once(a, "disconnect"), once(b, "disconnect")]);
    await server.io.close();
    const [wsReason, pollingReason] = await gone;
    expect(wsReason).toBe("transport close");
    // A poll in flight gets the `1`; one sent after the listener closed fails instead.
    expect(["transport close", "transport error"]).toContain(pollingReason);
    expect(seen).toEqual(["server shutting down", "server shutting down"]);
    expect(server.http.listening).toBe(false);
  });
});

describe("cleanup", () => {
  it("leaves no session, socket or room behind after clients come and go on every transport", async () => {
    const { io } = await h.start({}, (server) => {
      server.on("connection", (s) => s.join(["lobby", `r${s.handshake.query["n"]}`]));
      server.of("/chat").on("connection", (s) => s.join("chat-room"));
    });
    for (let n = 0; n < 6; n++) {
      const transports = [["polling", "websocket"], ["websocket"], ["polling"]][n % 3] ?? [];
      const c = h.client("/", { transports, query: { n: String(n) } });
      const chat = c.io.socket("/chat");
      chat.connect();
      await connected(c, chat);
      if (n % 2 === 0) {
        chat.disconnect();
        c.disconnect();
      } else {
        const [s] = await io.in(`r${n}`).fetchSockets();
        s?.disconnect(true);
        await once(c, "disconnect");
      }
    }
    await until(() => io.engine.clientsCount === 0);
    for (const nsp of [io.of("/"), io.of("/chat")]) {
      expect(nsp.sockets.size).toBe(0);
      expect(nsp.adapter.rooms.size).toBe(0);
      expect(nsp.adapter.sids.size).toBe(0);
    }
  });
});

describe("fault injection", () => {
  it("stopPings: the client times out with ping timeout", async () => {
    const { io } = await h.start({ pingInterval: 50, pingTimeout: 50 });
    onEveryConnection(io, (f) => f.stopPings());
    const c = h.client("/", { transports: ["websocket"] });
    await connected(c);
    expect(await once(c, "disconnect")).toBe("ping timeout");
  });

  it("refuseUpgrades keeps the session on polling; sendRaw reaches the client", async () => {
    const { io } = await h.start();
    const undo = onEveryConnection(io, (f) => f.refuseUpgrades());
    const c = h.client("/");
    await connected(c);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.io.engine.transport.name).toBe("polling");
    undo();
    const [socket] = await io.fetchSockets();
    faultsOf(socket!).sendRaw('42["raw",1]');
    expect(await once(c, "raw")).toBe(1);
  });

  it("dropOutgoing loses server messages until reset", async () => {
    const { io } = await h.start({}, (server) => server.on("connection", (s) => s.on("ping?", (cb: () => void) => cb())));
    const c = h.client("/", { transports: ["websocket"] });
    await connected(c);
    const [socket] = await io.fetchSockets();
    const faults = faultsOf(socket!);
    faults.dropOutgoing((p) => p.type === "message");
    await expect(c.timeout(100).emitWithAck("ping?")).rejects.toThrow();
    faults.reset();
    await expect(c.timeout(2000).emitWithAck("ping?")).resolves.toBeUndefined();
  });
});
