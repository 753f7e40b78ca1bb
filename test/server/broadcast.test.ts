/** Rooms and every broadcast operator, observed by real socket.io-client 4.8 clients. */
import { describe, expect, it } from "vitest";
import type { Socket as ClientSocket } from "socket.io-client";
import type { Server, Socket } from "../../src/server/index.js";
import { connected, useHarness } from "./support/harness.js";

const h = useHarness();

/** Three clients a, b, c; a and b in room r1, c in r2. Returns the server sockets by name. */
async function setup(): Promise<{ io: Server; clients: Record<string, ClientSocket>; sockets: Record<string, Socket>; inbox: Record<string, unknown[]> }> {
  const sockets: Record<string, Socket> = {};
  const { io } = await h.start({}, (server) =>
    server.on("connection", (s) => {
      const name = String(s.handshake.auth["name"]);
      sockets[name] = s;
      s.join(name === "c" ? "r2" : ["r1", "all"]);
      if (name === "c") s.join("all");
    }),
  );
  const clients: Record<string, ClientSocket> = {};
  const inbox: Record<string, unknown[]> = {};
  for (const name of ["a", "b", "c"]) {
    const c = h.client("/", { auth: { name }, transports: name === "b" ? ["polling"] : ["websocket"] });
    clients[name] = c;
    inbox[name] = [];
    c.onAny((event: string, ...args: unknown[]) => inbox[name]?.push([event, ...args]));
  }
  await connected(...Object.values(clients));
  await waitFor(() => Object.keys(sockets).length === 3);
  return { io, clients, sockets, inbox };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** Sends a marker to everyone after the broadcast under test, so "did not get it" is observable. */
async function settle(io: Server, inbox: Record<string, unknown[]>): Promise<Record<string, string[]>> {
  io.emit("end");
  await waitFor(() => Object.values(inbox).every((m) => m.some((x) => (x as unknown[])[0] === "end")));
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(inbox)) out[k] = v.filter((x) => (x as unknown[])[0] !== "end").map((x) => (x as unknown[]).join(":"));
  for (const v of Object.values(inbox)) v.length = 0;
  return out;
}

describe("rooms and broadcasts", () => {
  it("io.emit, to/in/except chains, io.to(socketId), namespace emit", async () => {
    const { io, sockets, inbox } = await setup();
    io.emit("x", 1);
    expect(await settle(io, inbox)).toEqual({ a: ["x:1"], b: ["x:1"], c: ["x:1"] });
    io.to("r1").emit("x", 2);
    expect(await settle(io, inbox)).toEqual({ a: ["x:2"], b: ["x:2"], c: [] });
    io.in("r1").to("r2").except("r2").emit("x", 3);
    expect(await settle(io, inbox)).toEqual({ a: ["x:3"], b: ["x:3"], c: [] });
    io.except("r1").emit("x", 4);
    expect(await settle(io, inbox)).toEqual({ a: [], b: [], c: ["x:4"] });
    io.to(sockets["b"]?.id ?? "").emit("x", 5);
    expect(await settle(io, inbox)).toEqual({ a: [], b: ["x:5"], c: [] });
    io.of("/").to(["r2"]).emit("x", 6);
    expect(await settle(io, inbox)).toEqual({ a: [], b: [], c: ["x:6"] });
  });

  it("socket.broadcast and socket.to exclude the sender", async () => {
    const { io, sockets, inbox } = await setup();
    sockets["a"]?.broadcast.emit("y", 1);
    expect(await settle(io, inbox)).toEqual({ a: [], b: ["y:1"], c: ["y:1"] });
    sockets["a"]?.to("r1").emit("y", 2);
    expect(await settle(io, inbox)).toEqual({ a: [], b: ["y:2"], c: [] });
    sockets["a"]?.broadcast.to("all").except("r2").emit("y", 3);
    expect(await settle(io, inbox)).toEqual({ a: [], b: ["y:3"], c: [] });
  });

  it("join/leave, socket.rooms, socketsJoin/socketsLeave, fetchSockets", async () => {
    const { io, sockets } = await setup();
    const a = sockets["a"] as Socket;
    expect([...a.rooms].sort()).toEqual([a.id, "all", "r1"].sort());
    a.leave("r1");
    expect(a.rooms.has("r1")).toBe(false);
    expect((await io.in("r1").fetchSockets()).map((s) => s.handshake.auth["name"])).toEqual(["b"]);
    io.in("r2").socketsJoin(["r3"]);
    expect((await io.in("r3").fetchSockets()).map((s) => s.id)).toEqual([sockets["c"]?.id]);
    io.socketsLeave("r3");
    expect(await io.in("r3").fetchSockets()).toEqual([]);
    expect((await io.fetchSockets()).length).toBe(3);
  });

  it("timeout(ms).emit collects acks from every target, and reports the missing ones", async () => {
    const { io, clients } = await setup();
    for (const [name, c] of Object.entries(clients)) c.on("q", (cb: (x: string) => void) => name !== "c" && cb(name));
    const replies = await io.to("r1").timeout(2000).emitWithAck("q");
    expect((replies as string[]).sort()).toEqual(["a", "b"]);
    const late = await new Promise<[Error | null, unknown[]]>((resolve) => io.timeout(150).emit("q", (err: Error | null, r: unknown[]) => resolve([err, r])));
    expect(late[0]?.message).toBe("operation has timed out");
    expect((late[1] as string[]).sort()).toEqual(["a", "b"]);
  });

  it("volatile skips a polling client whose poll is not held, delivers on WebSocket", async () => {
    const { io, clients, inbox } = await setup();
    clients["b"]?.io.engine.close();
    await waitFor(() => clients["b"]?.connected === false);
    io.volatile.emit("v", 1);
    io.emit("end");
    await waitFor(() => (inbox["a"] ?? []).length === 2 && (inbox["c"] ?? []).length === 2);
    expect(inbox["a"]?.[0]).toEqual(["v", 1]);
  });

  it("disconnectSockets disconnects the targets with io server disconnect", async () => {
    const { io, clients } = await setup();
    const reason = new Promise((resolve) => clients["c"]?.once("disconnect", resolve));
    io.in("r2").disconnectSockets();
    expect(await reason).toBe("io server disconnect");
    expect(clients["a"]?.connected).toBe(true);
  });
});
