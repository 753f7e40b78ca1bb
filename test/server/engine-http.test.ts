/** Raw HTTP and WebSocket requests against the reference server: statuses, bodies, check order (PROTOCOL.md 1.5, 1.12). */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { ServerOptions } from "../../src/server/index.js";
import { startReferenceServer, type ReferenceServer } from "../helpers/reference-server.js";
import { startSocketIoServer } from "../helpers/socketio-server.js";

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ServerOptions = {}): Promise<ReferenceServer> {
  server = await startReferenceServer(options);
  return server;
}

const get = (query: string, init: RequestInit = {}) => fetch(`${server?.url}/socket.io/?${query}`, init);

async function handshake(query = "EIO=4&transport=polling"): Promise<{ sid: string; body: string }> {
  const res = await get(query);
  const body = await res.text();
  return { sid: (JSON.parse(body.slice(1)) as { sid: string }).sid, body };
}

const post = (sid: string, body: string, headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8" }) =>
  get(`EIO=4&transport=polling&sid=${sid}`, { method: "POST", body, headers });

describe("handshake and error bodies", () => {
  it("answers a polling handshake with the open packet and the reference headers", async () => {
    await start();
    const res = await get("EIO=4&transport=polling&t=abc");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.text();
    expect(body).toMatch(/^0\{"sid":"[\w-]{20}","upgrades":\["websocket"\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000\}$/);
  });

  it.each([
    ["EIO=4", 400, { code: 0, message: "Transport unknown" }],
    ["EIO=4&transport=__proto__", 400, { code: 0, message: "Transport unknown" }],
    ["EIO=4&transport=toString", 400, { code: 0, message: "Transport unknown" }],
    ["transport=polling", 400, { code: 5, message: "Unsupported protocol version" }],
    ["EIO=3&transport=polling", 400, { code: 5, message: "Unsupported protocol version" }],
    ["EIO=4&transport=polling&sid=nope", 400, { code: 1, message: "Session ID unknown" }],
    ["EIO=4&transport=websocket", 400, { code: 3, message: "Bad request" }],
  ])("GET ?%s -> %i %j", async (query, status, body) => {
    await start();
    const res = await get(query);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual(body);
  });

  it("refuses a handshake POST (code 2) and a disabled transport (code 0)", async () => {
    await start({ transports: ["websocket"] });
    const res = await get("EIO=4&transport=polling");
    expect(await res.json()).toEqual({ code: 0, message: "Transport unknown" });
    await server?.close();
    await start();
    const bad = await get("EIO=4&transport=polling", { method: "POST", body: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 2, message: "Bad handshake method" });
  });

  it("uses allowRequest's message with 403, checked before the protocol version", async () => {
    await start({ allowRequest: (_req, cb) => cb("denied by test", false) });
    const res = await get("EIO=3&transport=polling");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 4, message: "denied by test" });
  });

  it("answers 500 to another method with a valid sid", async () => {
    await start();
    const { sid } = await handshake();
    const res = await get(`EIO=4&transport=polling&sid=${sid}`, { method: "PUT", body: "x" });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("");
  });
});

describe("polling sessions", () => {
  it("takes a POST with ok and closes on a client close packet", async () => {
    await start();
    const { sid } = await handshake();
    const res = await post(sid, "40");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("ok");
    const poll = await get(`EIO=4&transport=polling&sid=${sid}`);
    expect(await poll.text()).toMatch(/^40\{"sid":"[\w-]{20}"\}$/);
    const pending = get(`EIO=4&transport=polling&sid=${sid}`);
    await post(sid, "1");
    expect(await (await pending).text()).toBe("6");
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).json()).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("refuses a second GET with 400, answers the first with 1 and ends the session", async () => {
    await start();
    const { sid } = await handshake();
    const first = get(`EIO=4&transport=polling&sid=${sid}`);
    await new Promise((r) => setTimeout(r, 50));
    const second = await get(`EIO=4&transport=polling&sid=${sid}`);
    expect(second.status).toBe(400);
    expect(await (await first).text()).toBe("1");
    expect((await get(`EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
  });

  it("answers 413 to a body over maxHttpBufferSize and keeps the session", async () => {
    await start({ maxHttpBufferSize: 100 });
    const { sid } = await handshake();
    const big = await post(sid, "4" + "x".repeat(200));
    expect(big.status).toBe(413);
    const ok = await post(sid, "40");
    expect(ok.status).toBe(200);
  });

  it("answers 400 to an octet-stream POST and closes the session", async () => {
    await start();
    const { sid } = await handshake();
    const res = await post(sid, "abc", { "content-type": "application/octet-stream" });
    expect(res.status).toBe(400);
    expect((await get(`EIO=4&transport=polling&sid=${sid}`)).status).toBe(400);
  });

  it("closes the session on an invalid record after delivering the valid ones", async () => {
    await start();
    const { sid } = await handshake();
    expect(await (await post(sid, "40\x1ex")).text()).toBe("ok");
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).json()).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("pings in a poll response, takes the pong by POST, and ends a silent session with ping timeout", async () => {
    await start({ pingInterval: 50, pingTimeout: 100 });
    const { sid } = await handshake();
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).text()).toBe("2");
    await post(sid, "3");
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).text()).toBe("2");
    // Not answering the ping: the session ends and the held poll is released with the close.
    const last = await (await get(`EIO=4&transport=polling&sid=${sid}`)).text();
    expect(last).toBe("1");
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).json()).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("compresses large poll responses when the client accepts gzip", async () => {
    server = await startReferenceServer({}, (io) => io.on("connection", (s) => s.emit("big", "y".repeat(4000))));
    const { sid } = await handshake();
    await post(sid, "40");
    const res = await new Promise<{ encoding: string | undefined }>((resolve, reject) => {
      const req = request(`${server?.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { headers: { "accept-encoding": "gzip" } }, (r) => {
        r.resume();
        r.on("end", () => resolve({ encoding: r.headers["content-encoding"] }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(res.encoding).toBe("gzip");
  });
});

describe("CORS", () => {
  it("answers a preflight from an allowed origin with credentials, never a wildcard", async () => {
    await start({ cors: { origin: ["http://a.example", /\.b\.example$/], credentials: true } });
    const res = await get("EIO=4&transport=polling", {
      method: "OPTIONS",
      headers: { origin: "http://x.b.example", "access-control-request-headers": "x-token" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://x.b.example");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,HEAD,PUT,PATCH,POST,DELETE");
    expect(res.headers.get("access-control-allow-headers")).toBe("x-token");
    const other = await get("EIO=4&transport=polling", { headers: { origin: "http://evil.example" } });
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(await other.json()).toEqual({ code: 4, message: "Origin not allowed" });
  });

  it("reflects the origin instead of * when credentials are on", async () => {
    await start({ cors: { origin: "*", credentials: true } });
    const res = await get("EIO=4&transport=polling", { headers: { origin: "http://c.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://c.example");
    expect(res.headers.get("vary")).toBe("Origin");
    await res.text();
  });

  it("asks an origin function", async () => {
    await start({ cors: { origin: (origin, cb) => cb(null, origin === "http://ok.example") } });
    const ok = await get("EIO=4&transport=polling", { headers: { origin: "http://ok.example" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://ok.example");
    expect(await ok.text()).toMatch(/^0\{"sid":/);
    const no = await get("EIO=4&transport=polling", { headers: { origin: "http://no.example" } });
    expect(no.status).toBe(403);
    await no.text();
  });

  it("answers 400 Bad request and opens no session when the origin function fails", async () => {
    await start({ cors: { origin: (_origin, cb) => cb(new Error("lookup failed")) } });
    const res = await get("EIO=4&transport=polling", { headers: { origin: "http://ok.example" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3, message: "Bad request" });
    expect(server?.io.engine.clientsCount).toBe(0);
  });
});

function openWs(query: string): WebSocket {
  return new WebSocket(`${server?.url.replace("http", "ws")}/socket.io/?${query}`);
}

function nextMessage(ws: WebSocket): Promise<string | Buffer> {
  return new Promise((resolve) => ws.once("message", (data, isBinary) => resolve(isBinary ? (data as Buffer) : String(data))));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once("close", (code) => resolve(code)));
}

describe("WebSocket", () => {
  it("opens a WebSocket-only session with no upgrades", async () => {
    await start();
    const ws = openWs("EIO=4&transport=websocket");
    const open = String(await nextMessage(ws));
    expect(open).toMatch(/^0\{"sid":"[\w-]{20}","upgrades":\[\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000\}$/);
    ws.close();
    await closed(ws);
  });

  it.each([
    ["EIO=4&transport=__proto__", "Transport unknown"],
    ["EIO=4&transport=polling", "Bad request"],
    ["EIO=3&transport=websocket", "Unsupported protocol version"],
    ["EIO=4&transport=websocket&sid=nope", "Session ID unknown"],
  ])("refuses ?%s before the 101 with %s", async (query) => {
    await start();
    const ws = openWs(query);
    const status = await new Promise<number>((resolve) => ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(400);
    ws.on("error", () => {});
    ws.terminate();
  });

  it("closes with 1009 on a message over maxHttpBufferSize", async () => {
    await start({ maxHttpBufferSize: 50 });
    const ws = openWs("EIO=4&transport=websocket");
    await nextMessage(ws);
    ws.send("4" + "x".repeat(100));
    expect(await closed(ws)).toBe(1009);
  });

  it("upgrades a polling session: 3probe, a noop to the pending poll, then 5", async () => {
    await start();
    const { sid } = await handshake();
    const poll = get(`EIO=4&transport=polling&sid=${sid}`);
    const ws = openWs(`EIO=4&transport=websocket&sid=${sid}`);
    await new Promise((r) => ws.once("open", r));
    const second = openWs(`EIO=4&transport=websocket&sid=${sid}`);
    expect(await closed(second)).toBe(1005);
    ws.send("2probe");
    expect(await nextMessage(ws)).toBe("3probe");
    expect(await (await poll).text()).toBe("6");
    ws.send("5");
    ws.send("40");
    expect(String(await nextMessage(ws))).toMatch(/^40\{"sid":/);
    const late = await get(`EIO=4&transport=polling&sid=${sid}`);
    expect(await late.json()).toEqual({ code: 3, message: "Bad request" });
    ws.close();
    await closed(ws);
  });

  it("pings, takes pongs, and closes the socket when a pong is missing", async () => {
    await start({ pingInterval: 50, pingTimeout: 100 });
    const ws = openWs("EIO=4&transport=websocket");
    await nextMessage(ws);
    expect(await nextMessage(ws)).toBe("2");
    ws.send("3");
    expect(await nextMessage(ws)).toBe("2");
    expect(await closed(ws)).toBe(1005);
  });

  it("keeps the session on polling when the probe never sends 5 within upgradeTimeout", async () => {
    await start({ upgradeTimeout: 100 });
    const { sid } = await handshake();
    const ws = openWs(`EIO=4&transport=websocket&sid=${sid}`);
    await new Promise((r) => ws.once("open", r));
    ws.send("2probe");
    expect(await nextMessage(ws)).toBe("3probe");
    expect(await closed(ws)).toBe(1005);
    expect(await (await post(sid, "40")).text()).toBe("ok");
    expect(await (await get(`EIO=4&transport=polling&sid=${sid}`)).text()).toMatch(/^(6\x1e)*40\{"sid":/);
  });

  it("closes the session on a client ping", async () => {
    await start();
    const ws = openWs("EIO=4&transport=websocket");
    await nextMessage(ws);
    ws.send("2");
    expect(await closed(ws)).toBe(1005);
  });
});

describe("session cookie", () => {
  /** Set-Cookie of a polling and of a WebSocket handshake, with the session id replaced by SID. */
  async function cookies(url: string): Promise<{ polling: string | null; websocket: string | undefined }> {
    const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    const open = await res.text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    const [header, frame] = await Promise.all([
      new Promise<string | undefined>((resolve) => ws.once("upgrade", (r) => resolve(r.headers["set-cookie"]?.[0]))),
      new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data)))),
    ]);
    ws.close();
    const wsSid = (JSON.parse(frame.slice(1)) as { sid: string }).sid;
    return { polling: res.headers.get("set-cookie")?.replace(sid, "SID") ?? null, websocket: header?.replace(wsSid, "SID") };
  }

  const OPTIONS = [
    true,
    { name: "lb", path: "/app", sameSite: "strict", httpOnly: false, maxAge: 60 },
    { name: "io", domain: "127.0.0.1", sameSite: "none", secure: true },
  ] as const;
  it.each(OPTIONS.map((o) => [JSON.stringify(o), o]))("sets the same cookie as socket.io 4.8 for cookie: %s", async (_, option) => {
    const ours = await start({ cookie: option });
    const theirs = await startSocketIoServer({ cookie: option });
    try {
      const expected = await cookies(theirs.url);
      expect(expected.polling).toContain("SID");
      expect(await cookies(ours.url)).toEqual(expected);
    } finally {
      await theirs.close();
    }
  });

  it("sets no cookie by default, and rejects a cookie name that is not a token", async () => {
    const ours = await start();
    expect(await cookies(ours.url)).toEqual({ polling: null, websocket: undefined });
    await expect(startReferenceServer({ cookie: { name: "a;b" } })).rejects.toThrow(/cookie.name/);
  });
});
