/**
 * Dynamic namespaces (`io.of(regex)`, `io.of(fn)`), driven by the real socket.io-client 4.8
 * against the reference server; each case also runs against the real socket.io 4.8 server with
 * the same code, so the two behave alike.
 */
import { afterEach, describe, expect, it } from "vitest";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { startReferenceServer } from "../helpers/reference-server.js";
import { startSocketIoServer } from "../helpers/socketio-server.js";
import { once } from "./support/harness.js";

/** What both servers offer here (the reference server mirrors socket.io's API). */
interface DynamicServer {
  of(name: RegExp | ((name: string, auth: Record<string, unknown>, next: (error: Error | null, allow: boolean) => void) => void)): {
    name: string;
    use(fn: (socket: { handshake: { auth: Record<string, unknown> } }, next: (error?: Error & { data?: unknown }) => void) => void): unknown;
    on(event: "connection", fn: (socket: { nsp: { name: string }; emit(event: string, ...args: unknown[]): unknown }) => void): unknown;
    emit(event: string, ...args: unknown[]): unknown;
  };
  of(name: string): { name: string };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(kind: string): Promise<{ io: DynamicServer; url: string }> {
  const server = kind === "reference" ? await startReferenceServer() : await startSocketIoServer();
  cleanups.push(() => server.close());
  return { io: server.io as unknown as DynamicServer, url: server.url };
}

function client(url: string, auth: Record<string, unknown> = {}): ClientSocket {
  const c = connect(url, { forceNew: true, reconnection: false, auth });
  cleanups.push(() => c.disconnect());
  return c;
}

function outcome(c: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    c.once("connect", () => resolve("connect"));
    c.once("connect_error", (e: Error & { data?: unknown }) => resolve(`error ${e.message}${e.data === undefined ? "" : ` ${JSON.stringify(e.data)}`}`));
  });
}

describe.each([["reference"], ["socket.io"]])("dynamic namespaces on %s", (kind) => {
  it("creates children for names a RegExp accepts, with the parent's middleware, listeners and broadcasts", async () => {
    const { io, url } = await start(kind);
    const parent = io.of(/^\/team-\d+$/);
    parent.use((socket, next) => (socket.handshake.auth["token"] === "ok" ? next() : next(Object.assign(new Error("no token"), { data: { retry: false } }))));
    parent.on("connection", (socket) => socket.emit("welcome", socket.nsp.name));
    const a = client(`${url}/team-1`, { token: "ok" });
    const b = client(`${url}/team-2`, { token: "ok" });
    const welcomes = [once<string>(a, "welcome"), once<string>(b, "welcome")];
    expect(await Promise.all([outcome(a), outcome(b)])).toEqual(["connect", "connect"]);
    expect(await Promise.all(welcomes)).toEqual(["/team-1", "/team-2"]);
    expect(io.of("/team-1").name).toBe("/team-1");

    const news = [once<string>(a, "news"), once<string>(b, "news")];
    parent.emit("news", "for every team");
    expect(await Promise.all(news)).toEqual(["for every team", "for every team"]);

    expect(await outcome(client(`${url}/team-3`))).toBe('error no token {"retry":false}');
    expect(await outcome(client(`${url}/teams`, { token: "ok" }))).toBe("error Invalid namespace");
  });

  it("asks a function, which may decide on the auth and answer later", async () => {
    const { io, url } = await start(kind);
    const parent = io.of((name, auth, next) => setTimeout(() => next(null, name.startsWith("/room-") && auth["member"] === true), 10));
    parent.on("connection", (socket) => socket.emit("in", socket.nsp.name));
    const member = client(`${url}/room-7`, { member: true });
    const welcome = once<string>(member, "in");
    expect(await outcome(member)).toBe("connect");
    expect(await welcome).toBe("/room-7");
    expect(await outcome(client(`${url}/room-8`, { member: false }))).toBe("error Invalid namespace");
  });
});
