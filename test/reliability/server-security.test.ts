/**
 * Security checks of the volley reference server, on the wire: the CORS allow-list on polling
 * and WebSocket (a disallowed origin gets no session), maxHttpBufferSize on both transports,
 * allowRequest refusing, no prototype pollution from any packet, and a handshake flood from
 * one client not starving another.
 */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Server, ServerOptions } from "../../src/server/index.js";
import { startReferenceServer } from "../helpers/reference-server.js";
import { scenarioScope } from "./support/scope.js";
import { isTypedError } from "./support/servers.js";
import { next } from "./support/wait.js";

const GOOD = "http://good.example";
const EVIL = "http://evil.example";

describe("reference server security", () => {
  const scope = scenarioScope();

  async function reference(options: ServerOptions = {}): Promise<{ io: Server; base: string; port: number }> {
    const server = await startReferenceServer(options);
    scope.defer(() => server.close());
    return { io: server.io, port: server.port, base: `${server.url}/socket.io/?EIO=4` };
  }

  /** Opens a raw WebSocket; resolves with the first frame, or the failure. */
  function wsFirstFrame(url: string, options: { origin?: string } = {}): Promise<{ frame?: string; failed?: string; ws: WebSocket }> {
    const ws = new WebSocket(url, options);
    scope.defer(() => ws.terminate());
    return new Promise((resolve) => {
      ws.once("message", (data) => resolve({ frame: String(data), ws }));
      ws.once("unexpected-response", (_req, res) => resolve({ failed: `status ${res.statusCode}`, ws }));
      ws.once("error", (err) => resolve({ failed: err.message, ws }));
      ws.once("close", (code) => resolve({ failed: `closed ${code}`, ws }));
    });
  }

  it("the CORS allow-list gives no session to a disallowed origin, on polling and on websocket", async () => {
    const { io, base, port } = await reference({ cors: { origin: [GOOD], credentials: true } });
    const wsUrl = `${base.replace("http", "ws")}&transport=websocket`;
    const good = await fetch(`${base}&transport=polling`, { headers: { origin: GOOD } });
    expect(good.status).toBe(200);
    expect(good.headers.get("access-control-allow-origin")).toBe(GOOD);
    expect(await good.text()).toMatch(/^0\{"sid":/);
    expect((await wsFirstFrame(wsUrl, { origin: GOOD })).frame).toMatch(/^0\{"sid":/);
    // A page of the server itself, and a Node client that sends no Origin.
    expect((await wsFirstFrame(wsUrl, { origin: `http://127.0.0.1:${port}` })).frame).toMatch(/^0\{"sid":/);
    expect((await wsFirstFrame(wsUrl)).frame).toMatch(/^0\{"sid":/);
    expect(io.engine.clientsCount).toBe(4);

    const evil = await fetch(`${base}&transport=polling`, { headers: { origin: EVIL } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toEqual({ code: 4, message: "Origin not allowed" });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const evilWs = await wsFirstFrame(wsUrl, { origin: EVIL });
    expect(evilWs.frame).toBeUndefined();
    expect(evilWs.failed).toBe("status 403");
    expect(io.engine.clientsCount).toBe(4);
  });

  it("allowRequest can refuse a handshake on polling and websocket", async () => {
    const { base } = await reference({
      allowRequest: (req, callback) => callback("origin not allowed", req.headers.origin === GOOD),
    });
    const wsUrl = `${base.replace("http", "ws")}&transport=websocket`;
    expect((await wsFirstFrame(wsUrl, { origin: GOOD })).frame).toMatch(/^0\{"sid":/);
    const refusedWs = await wsFirstFrame(wsUrl, { origin: EVIL });
    expect(refusedWs.frame).toBeUndefined();
    const refused = await fetch(`${base}&transport=polling`, { headers: { origin: EVIL } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('"sid"');
  });

  it("maxHttpBufferSize is enforced on a polling POST and on a WebSocket message", async () => {
    const { base } = await reference({ maxHttpBufferSize: 1000 });
    const open = await (await fetch(`${base}&transport=polling`)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const post = await fetch(`${base}&transport=polling&sid=${sid}`, { method: "POST", body: `4${"x".repeat(2000)}` });
    await post.text();
    expect(post.status).toBe(413);

    const { frame, ws } = await wsFirstFrame(`${base.replace("http", "ws")}&transport=websocket`);
    expect(frame).toMatch(/^0\{/);
    const closed = new Promise<number>((r) => ws.once("close", (code) => r(code)));
    ws.send(`4${"x".repeat(2000)}`);
    expect(await closed).toBeGreaterThan(0);
  });

  it("allowRequest can refuse: 403 on the wire, a typed connect_error in the client", async () => {
    const { base, port } = await reference({ allowRequest: (_req, callback) => callback("denied by test", false) });
    const refused = await fetch(`${base}&transport=polling`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ code: 4, message: "denied by test" });
    const client = scope.client(`http://127.0.0.1:${port}`, { transports: ["polling"], reconnection: false });
    const [err] = await next<[unknown]>(client, "connect_error", 5000);
    expect(isTypedError(err)).toBe(true);
  });

  it("no packet pollutes Object.prototype, and the server keeps serving", async () => {
    const { io, base, port } = await reference();
    const got: unknown[] = [];
    io.on("connection", (socket) => {
      socket.on("x", (arg: unknown) => got.push(arg));
      socket.on("echo", (n: number, ack: (n: number) => void) => ack(n));
    });
    const { ws } = await wsFirstFrame(`${base.replace("http", "ws")}&transport=websocket`);
    const hostile = [
      '40{"__proto__":{"polluted":"auth"}}',
      '42["x",{"__proto__":{"polluted":"arg"},"constructor":{"prototype":{"polluted":"ctor"}}}]',
      '42["__proto__",{"polluted":"name"}]',
      '42["constructor"]',
      '42["toString"]',
      '42["hasOwnProperty","x"]',
    ];
    for (const frame of hostile) ws.send(frame);
    const client = scope.client(`http://127.0.0.1:${port}`, { transports: ["websocket"] });
    await next(client, "connect", 5000);
    expect(await client.timeout(2000).emitWithAck("echo", 7)).toBe(7);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    for (const arg of got) expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
  });

  it("a handshake flood from one client does not starve another", async () => {
    const { base, port } = await reference();
    const flood = Array.from({ length: 300 }, () => fetch(`${base}&transport=polling`).then((r) => r.text(), () => ""));
    const started = performance.now();
    const client = scope.client(`http://127.0.0.1:${port}`, { transports: ["websocket"] });
    await next(client, "connect", 10_000);
    const ms = Math.round(performance.now() - started);
    const answered = (await Promise.all(flood)).filter((b) => b.startsWith("0{")).length;
    console.info(`[security] a client connected in ${ms} ms during a flood of 300 handshakes (${answered} answered)`);
    expect(client.connected).toBe(true);
  });
});
