/**
 * Differential tests in Chromium: each scenario runs once on a page that loads socket.io-client's
 * browser bundle and once on a page that loads volley's dist/volley.min.js (both a plain script
 * tag defining `io`), each against its own fresh socket.io 4.8 server that also serves the page.
 * The page records what the app observes (events in order with their arguments and the socket's
 * flags, upgrades, the types of received binary), the server what it received; the two records
 * must be equal.
 */
import { EventEmitter, once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Server, type ServerOptions, type Socket as ServerSocket } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distPath } from "../dist/dist.js";
import { listenLocal } from "../helpers/listen.js";
import { launchChromium } from "./chromium.js";

const CLIENTS = {
  "socket.io-client": fileURLToPath(new URL("../../node_modules/socket.io-client/dist/socket.io.min.js", import.meta.url)),
  volley: distPath("volley.min.js"),
};
type ClientName = keyof typeof CLIENTS;

/**
 * Loaded by both pages after the client: `log()` appends to `trace` (values normalised so that
 * binary shows its type and bytes, errors their message), `watch()` records a socket's events
 * with its flags and its Manager's and engine's events, `next()` waits for one event.
 */
const HARNESS = `
window.trace = [];
const norm = (v) => {
  // a failed transport: volley's ConnectError words it its own way (README: typed errors)
  if (v?.type === "TransportError" || v?.code === "ERR_CONNECT_FAILED") return { error: "<transport error>" };
  if (v instanceof Error) return v.data === undefined ? { error: v.message } : { error: v.message, data: norm(v.data) };
  if (typeof v === "function") return "<function>";
  if (v instanceof ArrayBuffer) return { ArrayBuffer: [...new Uint8Array(v)] };
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] };
  if (v instanceof File) return { File: v.name, size: v.size };
  if (v instanceof Blob) return { Blob: v.size };
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
};
// kept in sessionStorage too, to read what a page logged while it unloaded
window.log = (...entry) => {
  trace.push(norm(entry));
  sessionStorage.setItem("trace", JSON.stringify(trace));
};
// what escapes from the app's listeners
window.addEventListener("error", (e) => log("window error", e.message.replace(/^Uncaught /, "")));
window.addEventListener("unhandledrejection", (e) => log("unhandled rejection", String(e.reason)));
window.addEventListener("beforeunload", () => log("beforeunload"));
window.addEventListener("pagehide", () => log("pagehide"));
const flags = (s) => [s.connected && "connected", s.active && "active", s.id !== undefined && "id"].filter(Boolean).join(",");
window.watch = (socket, name) => {
  let connected = false;
  for (const ev of ["connect", "connect_error", "disconnect"]) {
    socket.on(ev, (...args) => {
      // socket.io-client also emits disconnect on a socket that was not connected, volley does not (README)
      if (ev === "disconnect" && !connected) return;
      if (ev !== "connect_error") connected = ev === "connect";
      // the description of a lost connection is a transport detail in socket.io-client, an Error in volley: only its presence is compared
      log(name, ev, ...(ev === "disconnect" ? [args[0], args[1] === undefined ? undefined : "<description>"] : args), flags(socket));
    });
  }
  for (const ev of ["open", "error", "reconnect_attempt", "reconnect", "reconnect_error", "reconnect_failed"]) {
    socket.io.on(ev, (...args) => log(name + ".io", ev, ...args));
  }
  socket.io.on("close", (reason) => log(name + ".io", "close", reason));
  // only the opening transport: when the upgrade lands next to other events is timing, so scenarios wait for it with upgraded()
  socket.io.on("open", () => log(name + ".engine", socket.io.engine.transport.name));
  return socket;
};
window.upgraded = (s) => (s.io.engine.transport.name === "websocket" ? Promise.resolve() : next(s.io.engine, "upgrade"));
window.next = (target, ev) => new Promise((resolve) => target.once(ev, (...args) => resolve(args)));
window.FAST = { reconnectionDelay: 20, reconnectionDelayMax: 20, randomizationFactor: 0 };
// long enough for online() to take effect before the next attempt, so that the attempts are the same on both pages
window.SLOW = { reconnectionDelay: 1500, reconnectionDelayMax: 1500, randomizationFactor: 0 };
`;

const page = (client: ClientName): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${client}</title></head><body>` +
  `<script src="/client.js"></script><script src="/harness.js"></script></body></html>`;

/** The app side of a scenario: the page plus the server's record. */
interface Run {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Origin of the socket.io server, which also serves the page at `/`. */
  readonly origin: string;
  /** Origin of a second server on another port that serves the same page, for cross-origin scenarios. */
  readonly otherOrigin: string;
  /** Runs `body` (a function body, may `await`) in the page and returns its result. */
  page$(body: string): Promise<unknown>;
  /** Resolves when the page's trace has an entry whose JSON contains `text`. */
  traced(text: string): Promise<void>;
  /** Resolves when the server's record has an entry whose JSON contains `text`. */
  recorded(text: string): Promise<void>;
}

interface Scenario {
  server?: (pageOrigin: string) => Partial<ServerOptions>;
  setup?: (sio: Server, log: (...entry: unknown[]) => void) => void;
  run(run: Run): Promise<void>;
}

/** Server-side values as recorded: binary by type and bytes, functions by kind. */
function normalise(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { Buffer: [...value] };
  if (value instanceof Error) return { error: value.message };
  if (typeof value === "function") return "<function>";
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function servePage(client: ClientName, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(client));
  // a page whose CSP lets it fetch from its origin but open no WebSocket
  else if (path === "/no-websocket") res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "connect-src http:" }).end(page(client));
  else if (path === "/harness.js") res.writeHead(200, { "content-type": "text/javascript" }).end(HARNESS);
  else if (path === "/client.js") res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(CLIENTS[client]));
  else res.writeHead(404).end();
}

/** Runs the scenario on one client's page against a fresh socket.io server; returns both records. */
async function record(client: ClientName, scenario: Scenario): Promise<{ page: unknown; server: unknown[] }> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    servePage(client, req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  };
  const other = createServer(handler);
  const otherOrigin = `http://127.0.0.1:${await listenLocal(other)}`;
  const http = createServer(handler);
  const sio = new Server(http, { pingInterval: 1000, pingTimeout: 1000, ...scenario.server?.(otherOrigin) });
  const server: unknown[] = [];
  const waiters = new Set<{ text: string; resolve: () => void }>();
  const has = (text: string): boolean => server.some((entry) => JSON.stringify(entry).includes(text));
  const log = (...entry: unknown[]): void => {
    server.push(normalise(entry));
    for (const waiter of waiters) if (has(waiter.text)) waiter.resolve();
  };
  // every scenario ends with its page's connections closed; the record is complete once the server has seen them end
  const open = new Set<EventEmitter>();
  const drained = new EventEmitter();
  sio.engine.on("connection", (conn: EventEmitter) => {
    open.add(conn);
    conn.once("close", () => open.delete(conn) && open.size === 0 && drained.emit("drained"));
  });
  scenario.setup?.(sio, log);
  const origin = `http://127.0.0.1:${await listenLocal(http)}`;
  const context = await browser.newContext();
  const tab = await context.newPage();
  // ends an emulated offline from the page's own listener, before its next connection attempt
  await tab.exposeFunction("online", () => context.setOffline(false));
  const trace = (): Promise<unknown[]> => tab.evaluate(() => (globalThis as unknown as { trace: unknown[] }).trace);
  try {
    await tab.goto(`${origin}/`);
    await scenario.run({
      page: tab,
      context,
      origin,
      otherOrigin,
      page$: (body) => tab.evaluate(`(async () => { ${body} })()`),
      traced: (text) => tab.waitForFunction((t) => JSON.stringify((globalThis as unknown as { trace: unknown[] }).trace).includes(t), text).then(() => {}),
      recorded: (text) =>
        has(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.add({ text, resolve })),
    });
    if (open.size > 0) await once(drained, "drained");
    return { page: await trace(), server };
  } catch (error) {
    throw new Error(`${client}: ${String(error)}\npage: ${JSON.stringify(await trace().catch(() => "?"))}\nserver: ${JSON.stringify(server)}`);
  } finally {
    await context.close();
    await new Promise<void>((resolve) => sio.close(() => resolve()));
    http.closeAllConnections();
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
}

async function same(scenario: Scenario): Promise<void> {
  const expected = await record("socket.io-client", scenario);
  const actual = await record("volley", scenario);
  expect(actual).toEqual(expected);
}

/** The server side most scenarios use: records connections, events and disconnections, echoes. */
function standard(sio: Server, log: (...entry: unknown[]) => void): void {
  sio.on("connection", (socket: ServerSocket) => {
    log("connection", socket.conn.transport.name);
    socket.conn.on("upgrade", (transport: { name: string }) => log("upgrade", transport.name));
    socket.on("disconnect", (reason) => log("disconnect", reason));
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      log("received", event, ...args);
      if (typeof ack === "function" && event !== "never") (ack as (...a: unknown[]) => void)(...args.slice(0, -1));
    });
  });
}

describe("socket.io-client and volley in Chromium, against socket.io 4.8", () => {
  it("default connect, then upgrade to WebSocket", () =>
    same({
      setup: standard,
      run: async ({ page$, origin }) => {
        await page$(`
          const s = watch(io(${JSON.stringify(origin)}, FAST), "s");
          log("flags", s.connected, s.active);
          await next(s, "connect");
          await upgraded(s);
          log("echo", await s.emitWithAck("echo", "hi", { n: 1 }));
          log("transport", s.io.engine.transport.name);
          s.disconnect();
          log("after", s.connected, s.active);`);
      },
    }));

  it("io() with no URL connects to the page origin", () =>
    same({
      setup: standard,
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io(), "s");
          await next(s, "connect");
          await upgraded(s);
          log("echo", await s.emitWithAck("echo", location.origin === window.origin));
          s.disconnect();`);
      },
    }));

  const binary = (transports: string[]): Scenario => ({
    setup: (sio, log) => {
      standard(sio, log);
      sio.on("connection", (socket) => socket.on("send me binary", () => socket.emit("binary", Buffer.from([1, 2]), { nested: [Buffer.from([3])] })));
    },
    run: async ({ page$ }) => {
      await page$(`
        const s = watch(io({ ...FAST, transports: ${JSON.stringify(transports)} }), "s");
        s.on("binary", (...args) => log("binary", ...args));
        await next(s, "connect");
        const payload = {
          ab: new Uint8Array([1, 2, 250]).buffer,
          u8: new Uint8Array([4, 5]),
          i16: new Int16Array([-1, 2]),
          view: new Uint8Array([9, 9, 6, 7, 9]).subarray(2, 4),
          blob: new Blob([new Uint8Array([7, 8])]),
          nested: { list: [new File([new Uint8Array([10, 11, 12])], "f.bin"), "text"] },
        };
        log("ack", await s.emitWithAck("echo", payload));
        const got = next(s, "binary");
        s.emit("send me binary");
        await got;
        s.disconnect();`);
    },
  });

  it("binary over polling: ArrayBuffer, typed arrays, Blob, File nested, both ways", () => same(binary(["polling"])));
  it("binary over WebSocket: ArrayBuffer, typed arrays, Blob, File nested, both ways", () => same(binary(["websocket"])));

  it("acks: timeout, emitWithAck, and the server's acks with a timeout", () =>
    same({
      setup: (sio, log) => {
        standard(sio, log);
        sio.on("connection", (socket) =>
          // one after the other: a round trip under load can outlast the short timeout
          socket.on("ask me", () =>
            socket.timeout(5000).emit("question", 1, (err: Error | null, answer: unknown) => {
              log("answered", err, answer);
              socket.timeout(50).emit("ignored", (err: Error | null) => log("ignored", err));
            }),
          ),
        );
      },
      run: async ({ page$, recorded, traced }) => {
        await page$(`
          const s = (window.s = watch(io(FAST), "s"));
          s.on("question", (n, ack) => ack(n + 1));
          s.on("ignored", () => log("ignored"));
          await next(s, "connect");
          await upgraded(s);
          await new Promise((resolve) => s.timeout(50).emit("never", 1, (...args) => resolve(log("timeout cb", ...args))));
          await new Promise((resolve) => s.timeout(5000).emit("echo", 2, (...args) => resolve(log("in-time cb", ...args))));
          log("withAck", await s.emitWithAck("echo", 3));
          log("timeout withAck", await s.timeout(5000).emitWithAck("echo", 4));
          await s.timeout(50).emitWithAck("never", 5).catch((err) => log("rejected", err));
          s.emit("ask me");`);
        await recorded('"ignored"');
        await traced('"ignored"');
        await page$("s.disconnect();");
      },
    }));

  it("offline, then online: disconnect reason and reconnection", () =>
    same({
      setup: standard,
      run: async ({ page$, context, traced }) => {
        await page$(`
          const s = (window.s = watch(io(SLOW), "s"));
          s.io.once("reconnect_error", () => online());
          await next(s, "connect");
          await upgraded(s);`);
        await context.setOffline(true);
        await traced('"reconnect"');
        await page$(`await upgraded(s); log("echo", await s.emitWithAck("echo", "back")); s.disconnect();`);
      },
    }));

  const unload = (transports: string[], closeOnBeforeunload: boolean): Scenario => ({
    setup: standard,
    run: async ({ page, page$, recorded }) => {
      await page$(`
        const s = watch(io({ transports: ${JSON.stringify(transports)}, closeOnBeforeunload: ${closeOnBeforeunload} }), "s");
        await next(s, "connect");
        log("echo", await s.emitWithAck("echo", 1));`);
      await page.reload();
      await recorded('"disconnect"');
      await page$(`log("before reload", JSON.parse(sessionStorage.getItem("trace")));`);
    },
  });

  it.each([
    [["polling"], true],
    [["polling"], false],
    [["websocket"], true],
    [["websocket"], false],
  ])("page reload with transports %j, closeOnBeforeunload %s: what the server sees", (transports, close) => same(unload(transports, close)));

  it.each([true, false])("withCredentials %s from another origin: does the server's cookie come back on later polls", (withCredentials) =>
    same({
      server: (pageOrigin) => ({ cookie: true, cors: { origin: pageOrigin, credentials: true } }),
      setup: (sio, log) => {
        standard(sio, log);
        const seen = new Set<string>();
        sio.engine.on("headers", (_: unknown, req: IncomingMessage) => {
          const cookie = req.headers.cookie?.replace(/=.*/, "=<sid>") ?? "none";
          if (new URL(req.url ?? "/", "http://x").searchParams.has("sid") && !seen.has(cookie)) log("poll cookie", seen.add(cookie) && cookie);
        });
      },
      run: async ({ page, origin, otherOrigin, page$ }) => {
        await page.goto(`${otherOrigin}/`);
        await page$(`
          const s = watch(io(${JSON.stringify(origin)}, { transports: ["polling"], withCredentials: ${withCredentials} }), "s");
          await next(s, "connect");
          log("echo", await s.emitWithAck("echo", 1));
          log("echo", await s.emitWithAck("echo", 2));
          s.disconnect();`);
      },
    }));

  it("polling only: what the server sees of each request", () =>
    same({
      setup: (sio, log) => {
        standard(sio, log);
        const seen = new Set<string>();
        sio.engine.on("headers", (_: unknown, req: IncomingMessage) => {
          const h = req.headers;
          const params = [...new URL(req.url ?? "/", "http://x").searchParams.keys()].sort().join("&");
          const shape = [req.method, params, h["content-type"], h["sec-fetch-mode"], h["sec-fetch-dest"], h["x-requested-with"], h["cache-control"], h.pragma].join(" ");
          if (!seen.has(shape)) log("request", seen.add(shape) && shape);
        });
      },
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io({ transports: ["polling"] }), "s");
          await next(s, "connect");
          log("echo", await s.emitWithAck("echo", "text"));
          log("echo", await s.emitWithAck("echo", new Uint8Array([1, 2]).buffer));
          s.disconnect();`);
      },
    }));

  it.each([
    [["polling"], true],
    [["polling"], false],
    [["websocket"], true],
    [["websocket"], false],
  ])("the server disconnects the socket (transports %j, close %s)", (transports, close) =>
    same({
      setup: (sio, log) => {
        standard(sio, log);
        sio.on("connection", (socket) => socket.on("kick me", () => socket.disconnect(close)));
      },
      run: async ({ page$, recorded }) => {
        await page$(`
          const s = watch(io({ ...FAST, transports: ${JSON.stringify(transports)} }), "s");
          await next(s, "connect");
          const gone = next(s, "disconnect");
          s.emit("kick me");
          await gone;
          log("after", s.connected, s.active, s.disconnected);`);
        await recorded('"disconnect"');
      },
    }));

  it("tryAllTransports: a refused WebSocket falls back to polling", () =>
    same({
      server: () => ({ transports: ["polling"] }),
      setup: standard,
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io({ ...FAST, transports: ["websocket", "polling"], tryAllTransports: true }), "s");
          await next(s, "connect");
          log("echo", await s.emitWithAck("echo", s.io.engine.transport.name));
          s.disconnect();`);
      },
    }));

  it.each([
    ["a path (namespace on the page origin)", "'/admin'"],
    ["a protocol-relative URL", "'//' + location.host + '/admin'"],
    ["host and port without a scheme", "location.host + '/admin'"],
    ["the page origin with a trailing slash", "location.origin + '/'"],
  ])("io() with %s", (_, url) =>
    same({
      setup: (sio, log) => {
        standard(sio, log);
        sio.of("/admin").on("connection", (socket) => log("admin connection", socket.conn.transport.name));
      },
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io(${url}, { transports: ["polling"] }), "s");
          await next(s, "connect");
          log("nsp", s.nsp);
          s.disconnect();`);
      },
    }));

  it("rememberUpgrade: the next connection opens on WebSocket directly", () =>
    same({
      setup: standard,
      run: async ({ page$ }) => {
        await page$(`
          const a = watch(io({ rememberUpgrade: true, forceNew: true }), "a");
          await next(a, "connect");
          await upgraded(a);
          a.disconnect();
          const b = watch(io({ rememberUpgrade: true, forceNew: true }), "b");
          await next(b, "connect");
          log("b transport", b.io.engine.transport.name);
          b.disconnect();`);
      },
    }));

  it("offline while polling: disconnect reason and reconnection", () =>
    same({
      setup: (sio, log) => {
        // Not the old session's end: after its close packet failed, volley aborts the GET in flight and
        // the server (which Chromium's emulated offline does not cut off) ends it at once; socket.io-client
        // leaves the GET open and the server ends the session at the ping timeout.
        sio.on("connection", (socket) => {
          log("connection", socket.conn.transport.name);
          socket.on("echo", (value: unknown, ack: (v: unknown) => void) => {
            log("received", "echo", value);
            ack(value);
          });
        });
      },
      run: async ({ page$, context, traced }) => {
        await page$(`
          const s = (window.s = watch(io({ ...SLOW, transports: ["polling"] }), "s"));
          s.io.once("reconnect_error", () => online());
          await next(s, "connect");`);
        await context.setOffline(true);
        await traced('"reconnect"');
        await page$(`log("echo", await s.emitWithAck("echo", "back")); s.disconnect();`);
      },
    }));

  it("extraHeaders on cross-origin polling: on every request", () =>
    same({
      server: (pageOrigin) => ({ cors: { origin: pageOrigin, allowedHeaders: ["x-token"] } }),
      setup: (sio, log) => {
        standard(sio, log);
        const seen = new Set<string>();
        sio.engine.on("headers", (_: unknown, req: IncomingMessage) => {
          const token = `${req.method} ${req.headers["x-token"] ?? "none"}`;
          if (!seen.has(token)) log("x-token", seen.add(token) && token);
        });
      },
      run: async ({ page, origin, otherOrigin, page$ }) => {
        await page.goto(`${otherOrigin}/`);
        await page$(`
          const s = watch(io(${JSON.stringify(origin)}, { transports: ["polling"], extraHeaders: { "x-token": "abc" } }), "s");
          await next(s, "connect");
          log("echo", await s.emitWithAck("echo", 1));
          s.disconnect();`);
      },
    }));

  it.each([["polling"], ["websocket"]])("a message above the server's maxHttpBufferSize over %s", (transport) =>
    same({
      server: () => ({ maxHttpBufferSize: 1000 }),
      setup: standard,
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io({ transports: [${JSON.stringify(transport)}], reconnection: false }), "s");
          await next(s, "connect");
          const gone = next(s, "disconnect");
          s.emit("echo", "x".repeat(5000));
          await gone;`);
      },
    }));

  it.each([
    ["default transports", '["polling", "websocket"]'],
    ["websocket only", '["websocket"]'],
    ["websocket first with tryAllTransports", '["websocket", "polling"], tryAllTransports: true'],
  ])("a CSP that forbids WebSocket, %s", (_, transports) =>
    same({
      setup: standard,
      run: async ({ page, origin, page$ }) => {
        await page.goto(`${origin}/no-websocket`);
        await page$(`
          const s = watch(io({ transports: ${transports}, reconnectionAttempts: 1, reconnectionDelay: 20, randomizationFactor: 0 }), "s");
          const settled = Promise.race([next(s, "connect"), next(s.io, "reconnect_failed")]);
          await settled;
          if (s.connected) {
            log("echo", await s.emitWithAck("echo", "on " + s.io.engine.transport.name));
            log("transport", s.io.engine.transport.name);
          }
          s.disconnect();`);
      },
    }));

  it.each([["polling"], ["websocket"]])("Blobs, buffers and text emitted in one tick arrive in order over %s", (transport) =>
    same({
      setup: standard,
      run: async ({ page$, recorded }) => {
        await page$(`
          const s = watch(io({ transports: [${JSON.stringify(transport)}] }), "s");
          await next(s, "connect");
          s.emit("a", new Blob([new Uint8Array(100000).fill(1)]).slice(0, 3));
          s.emit("b", "text \u{1F600} \ud800 \x1e end");
          s.emit("c", new Uint8Array([2, 3]));
          s.emit("d", { file: new File(["xyz"], "x.txt") }, new Blob([]));
          log("last", await s.emitWithAck("echo", "done"));
          s.disconnect();`);
        await recorded('"client namespace disconnect"');
      },
    }));

  it("offline before the first connection: connect_error, then connects when online", () =>
    same({
      setup: standard,
      run: async ({ page$, context, traced }) => {
        await context.setOffline(true);
        await page$(`
          window.s = watch(io(SLOW), "s");
          s.once("connect_error", () => online());`);
        await traced('"connect"');
        await page$(`log("echo", await s.emitWithAck("echo", 1)); s.disconnect();`);
      },
    }));

  // Over WebSocket the error reaches volley's page as a window `error`, socket.io-client's as an
  // unhandled rejection (it delivers packets in a microtask); the connection goes on in both.
  it.each([["polling"]])("a listener that throws, over %s: where the error goes, and the connection goes on", (transport) =>
    same({
      setup: (sio, log) => {
        standard(sio, log);
        sio.on("connection", (socket) => socket.on("throw", () => socket.emit("boom", 1) && socket.emit("after", 2)));
      },
      run: async ({ page$ }) => {
        await page$(`
          const s = watch(io({ transports: [${JSON.stringify(transport)}] }), "s");
          s.on("boom", () => { throw new Error("app bug"); });
          await next(s, "connect");
          const after = next(s, "after");
          s.emit("throw");
          const got = await after;
          // logged after a round trip: whether "boom" and "after" share a poll decides whether the rejection is reported before "after" arrives
          log("echo", await s.emitWithAck("echo", "still connected"));
          log("after", got);
          s.disconnect();`);
      },
    }));
});
