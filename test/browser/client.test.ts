/**
 * The built client in real Chromium against the volley reference server: the CDN script from
 * the server's own /socket.io/volley.min.js with `io()` and no URL, the ESM build imported by a
 * module script, polling only, a page under a CSP without 'unsafe-eval', and offline/online.
 * Each page connects, upgrades, exchanges text and binary (ArrayBuffer, Blob), uses acks both
 * ways, joins a namespace, and reconnects after the server drops its transport.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { clientScenario, type ScenarioRecord } from "./scenario.js";
import { html, startSite, type Site } from "./site.js";

const CDN = `<script src="/socket.io/volley.min.js"></script>`;
const ESM = `<script type="module">import { io } from "/dist/volley.mjs"; window.io = io;</script>`;
const CSP = { "content-security-policy": "default-src 'self'; script-src 'self'; connect-src 'self'" };
const WATCH_CSP = `
  window.violations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective));`;

let site: Site;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  site = await startSite(
    {
      "/cdn.html": html("cdn", CDN),
      "/esm.html": html("esm", ESM),
      "/csp.html": { ...html("csp", `<script src="/watch-csp.js"></script>${CDN}`), headers: CSP },
      "/watch-csp.js": { body: WATCH_CSP, type: "text/javascript" },
    },
    (io) => {
      io.on("connection", (socket) => {
        socket.on("transport", (ack: (name: string) => void) => ack(socket.conn.transport.name));
        socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
        socket.on("bytes", (value: Uint8Array, ack: (bytes: number[]) => void) => ack([...value]));
        socket.on("ask me", () => socket.emit("question", 2, (answer: unknown) => socket.emit("answer", answer)));
        socket.on("drop transport", () => socket.conn.cut());
      });
      io.of("/admin").on("connection", (socket) => {
        socket.on("hello", (name: string, ack: (reply: string) => void) => ack(`admin says hello to ${name}`));
      });
    },
  );
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(path: string): Promise<void> {
  site.requests.length = 0;
  await page.goto(`${site.origin}${path}`);
  await page.waitForFunction(() => typeof (globalThis as { io?: unknown }).io === "function");
}

/** The session opened with a polling handshake, then upgraded (or not) to a WebSocket with the same sid. */
function expectTransports(upgraded: boolean): void {
  // Requests of the previous page's session may still arrive after navigating away.
  const opened = site.requests.filter((request) => !request.endsWith(" sid"));
  expect(opened[0]).toBe("GET transport=polling");
  expect(opened.every((request) => request === "GET transport=polling")).toBe(true);
  expect(site.requests.includes("UPGRADE transport=websocket sid")).toBe(upgraded);
}

function expectFullSession(record: ScenarioRecord, finalTransport: string): void {
  expect(record.finalTransport).toBe(finalTransport);
  expect(record.text).toEqual({ text: "héllo wörld ✓", n: [1, 2, 3] });
  expect(record.arrayBuffer).toEqual({ isArrayBuffer: true, bytes: [1, 2, 250] });
  expect(record.blobBytes).toEqual([7, 8, 9]);
  expect(record.serverAck).toBe(42);
  expect(record.namespace).toBe("admin says hello to page");
  expect(record.afterReconnect).toBe("again");
  expect(record.sameIdAfterReconnect).toBe(false);
}

describe("the built client in Chromium", () => {
  it.each([
    ["CDN script from the server, io() with no URL", "/cdn.html"],
    ["ESM build imported by a module script", "/esm.html"],
  ])("%s: polling, upgrade, binary, acks both ways, namespace, reconnect", async (_, path) => {
    await open(path);
    const record = await page.evaluate(clientScenario, { options: undefined, finalTransport: "websocket" as const });
    expectFullSession(record, "websocket");
    expectTransports(true);
    expect(record.disconnectReason).toBe("transport close");
  });

  it("polling only: never upgrades, everything else the same", async () => {
    await open("/cdn.html");
    const record = await page.evaluate(clientScenario, { options: { transports: ["polling"] }, finalTransport: "polling" as const });
    expectFullSession(record, "polling");
    expectTransports(false);
  });

  it("under a CSP without 'unsafe-eval': works and violates nothing", async () => {
    await open("/csp.html");
    const record = await page.evaluate(clientScenario, { options: undefined, finalTransport: "websocket" as const });
    expectFullSession(record, "websocket");
    expectTransports(true);
    expect(await page.evaluate(() => (globalThis as unknown as { violations: string[] }).violations)).toEqual([]);
  });

  it("going offline disconnects, coming back online reconnects", async () => {
    await open("/cdn.html");
    await page.evaluate(() => {
      const w = globalThis as unknown as { io: (o: object) => { on(e: string, f: (...a: never[]) => void): void }; log: string[] };
      w.log = [];
      const socket = w.io({ reconnectionDelay: 100, reconnectionDelayMax: 500 });
      socket.on("connect", () => w.log.push("connect"));
      socket.on("disconnect", (reason: string) => w.log.push(`disconnect: ${reason}`));
    });
    const log = (): Promise<string[]> => page.evaluate(() => (globalThis as unknown as { log: string[] }).log);
    await page.waitForFunction(() => (globalThis as unknown as { log: string[] }).log.includes("connect"));
    await context.setOffline(true);
    await page.waitForFunction(() => (globalThis as unknown as { log: string[] }).log.length >= 2);
    await context.setOffline(false);
    await page.waitForFunction(() => (globalThis as unknown as { log: string[] }).log.length >= 3);
    expect(await log()).toEqual(["connect", "disconnect: transport close", "connect"]);
  });
});
