/**
 * The engine in real Chromium against the real socket.io 4.8 server (cross-origin, CORS):
 * fetch polling, the browser WebSocket, the upgrade, websocket-first, Blob and ArrayBuffer
 * binary, and the `offline` event. The client sources are transpiled on request (no bundle).
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";

const root = new URL("../../", import.meta.url);
let files: Server;
let sio: SocketIoServer;
let browser: Browser;
let page: Page;

/** Serves src/**.ts as JavaScript modules at the same paths with .js. */
function sourceServer(): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>engine</title>");
      return;
    }
    if (!/^\/src\/[\w/-]+\.js$/.test(path)) {
      res.writeHead(404).end();
      return;
    }
    readFile(new URL(`.${path.replace(/\.js$/, ".ts")}`, root), "utf8").then(
      (source) => {
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
        });
        res.writeHead(200, { "content-type": "text/javascript" }).end(outputText);
      },
      () => res.writeHead(404).end(),
    );
  });
}

beforeAll(async () => {
  sio = await startSocketIoServer({ cors: { origin: "*" }, pingInterval: 300, pingTimeout: 1000 });
  sio.io.on("connection", (socket) => socket.on("echo", (...args: unknown[]) => socket.emit("echo", ...args)));
  files = sourceServer();
  await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(files.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  await browser?.close();
  await sio?.close();
  await new Promise((r) => files?.close(r));
});

interface Outcome {
  messages: string[];
  transport: string | undefined;
  upgraded: boolean;
  closed: string;
}

/** Runs in the page: joins "/", echoes one binary event (an ArrayBuffer or a Blob), then closes or goes offline. */
async function scenario(args: { url: string; options: Record<string, unknown>; blob: boolean; offline: boolean }): Promise<Outcome> {
  const { url, options, blob, offline } = args;
  // Built from a string so the test runner's transform leaves this import() alone.
  const load = new Function("path", "return import(path)") as (path: string) => Promise<unknown>;
  const { Engine } = (await load("/src/client/engine.js")) as typeof import("../../src/client/engine.js");
  const { defaultKit } = (await load("/src/client/default-kit.js")) as typeof import("../../src/client/default-kit.js");
  return new Promise((resolve, reject) => {
    const messages: string[] = [];
    let upgraded = false;
    const done = (closed: string): void => resolve({ messages, transport: engine.transport, upgraded, closed });
    const engine = new Engine(url, { kit: defaultKit, ...options }, {
      onOpen: () => engine.send("0"),
      onMessage: (m) => {
        messages.push(typeof m === "string" ? m : `${Object.prototype.toString.call(m)}:${new Uint8Array(m as ArrayBuffer).join(",")}`);
        if (messages.length === 1) {
          engine.send('51-["echo",{"_placeholder":true,"num":0}]');
          const bytes = new Uint8Array([1, 2, 255]);
          engine.send(blob ? new Blob([bytes]) : bytes.buffer);
        }
        if (messages.length === 3) {
          setTimeout(() => {
            if (offline) dispatchEvent(new Event("offline"));
            else engine.close();
          }, 400);
        }
      },
      onPing: () => {},
      onClose: (reason) => done(reason),
      onError: (error) => reject(error),
      onUpgrade: () => (upgraded = true),
    });
    engine.open();
  });
}

const ECHO = ['51-["echo",{"_placeholder":true,"num":0}]', "[object ArrayBuffer]:1,2,255"];

describe("engine in Chromium, real socket.io server", () => {
  it.each([
    ["polling", { transports: ["polling"] }, true, "polling", false],
    ["websocket", { transports: ["websocket"] }, false, "websocket", false],
    ["default with upgrade", {}, false, "websocket", true],
    ["websocket-first", { websocketFirst: true }, true, "websocket", false],
  ])("%s", async (_, options, blob, transport, upgraded) => {
    const outcome = await page.evaluate(scenario, { url: sio.url, options, blob, offline: false });
    expect(outcome.messages[0]).toMatch(/^0\{"sid":/);
    expect(outcome.messages.slice(1)).toEqual(ECHO);
    expect(outcome.transport).toBe(transport);
    expect(outcome.upgraded).toBe(upgraded);
    expect(outcome.closed).toBe("forced close");
  });

  it("going offline closes with transport close", async () => {
    const outcome = await page.evaluate(scenario, { url: sio.url, options: {}, blob: false, offline: true });
    expect(outcome.closed).toBe("transport close");
  });
});
