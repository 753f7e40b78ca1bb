/**
 * The chat demo as `npm start` runs it (demo/server.mjs on the built package), driven in
 * Chromium by two people: nicknames, a lobby message with its delivery tick, "is typing",
 * a room joined by both, join/leave notices, and the connection status. Screenshots of both
 * pages go to test/artifacts/ to look at.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distPath, ROOT } from "../dist/dist.js";
import { launchChromium } from "./chromium.js";

const ARTIFACTS = join(ROOT, "test", "artifacts");

/** Waits for a page to show something; reconnecting takes the client's backoff delay (about 1 s). */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });

let demo: ChildProcess;
let origin = "";
let browser: Browser;
let ada: Page;
let bob: Page;

/** Starts the demo on a free port and resolves with the URL it prints. */
function startDemo(): Promise<string> {
  distPath("server.mjs");
  demo = spawn(process.execPath, ["demo/server.mjs"], { cwd: ROOT, env: { ...process.env, PORT: "0", HOST: "127.0.0.1" } });
  return new Promise((resolve, reject) => {
    let output = "";
    demo.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /https?:\/\/[\d.]+:\d+/.exec(output);
      if (url) resolve(url[0]);
    });
    demo.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    demo.once("exit", (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
  });
}

async function person(nickname: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 560 } });
  await page.goto(origin);
  await page.waitForSelector("#status.connected");
  await page.fill("#nickname", nickname);
  await page.click("#nickname-form button");
  await page.waitForSelector(`#messages li.notice:has-text("is now ${nickname}")`);
  return page;
}

const texts = (page: Page, selector: string): Promise<string[]> =>
  page.$$eval(selector, (elements) => elements.filter((e) => !(e as HTMLElement).hidden).map((e) => e.textContent ?? ""));

beforeAll(async () => {
  origin = await startDemo();
  browser = await launchChromium();
  ada = await person("ada");
  bob = await person("bob");
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once("exit", resolve));
    demo.kill("SIGTERM");
    await exited;
  }
});

describe("chat demo", () => {
  it("serves the page and the client script with a CSP that forbids eval", async () => {
    const page = await fetch(origin);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain(`<script src="/socket.io/socket.io.js"></script>`);
    const script = await fetch(`${origin}/socket.io/socket.io.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
  });

  it("a message from one page reaches the other, with a delivery tick for the sender", async () => {
    await ada.fill("#message", "hello bob");
    await poll(() => typingLine(bob)).toBe("ada is typing…");
    await ada.press("#message", "Enter");
    await poll(() => texts(bob, "#messages li.message")).toContain("adahello bob");
    await poll(() => texts(ada, "#messages li.mine .tick")).toEqual(["✓"]);
    await poll(() => typingLine(bob)).toBe("");
    await poll(() => texts(ada, "#messages li.notice")).toContain("guest-2 is now bob");
    mkdirSync(ARTIFACTS, { recursive: true });
    await ada.screenshot({ path: join(ARTIFACTS, "demo-lobby.png") });
  });

  it("rooms: joined by both, messages stay in the room, leaving is announced", async () => {
    for (const page of [ada, bob]) {
      await page.fill("#room", "volleyball");
      await page.click("#join-form button");
      await poll(() => texts(page, "#rooms li.current")).toEqual(["#volleyball×"]);
    }
    await poll(() => texts(ada, "#messages li.notice")).toContain("bob joined #volleyball");
    await bob.fill("#message", "serve!");
    await bob.press("#message", "Enter");
    await poll(() => texts(ada, "#messages li.message")).toEqual(["bobserve!"]);
    await poll(() => texts(bob, "#messages li.mine .tick")).toEqual(["✓"]);

    await ada.screenshot({ path: join(ARTIFACTS, "demo-ada.png") });
    await bob.screenshot({ path: join(ARTIFACTS, "demo-bob.png") });

    await bob.click("#rooms button.leave");
    await poll(() => texts(ada, "#messages li.notice")).toContain("bob left #volleyball");
    await poll(() => texts(bob, "#rooms li.current")).toEqual(["#lobby"]);
  });

  it("the status shows reconnecting while offline, then connected again", async () => {
    await ada.context().setOffline(true);
    await poll(() => ada.getAttribute("#status", "class")).toBe("status reconnecting");
    await ada.context().setOffline(false);
    await poll(() => ada.getAttribute("#status", "class")).toBe("status connected");
    await poll(() => ada.textContent("#online")).toBe("2 online");
  });

  it("shows who is online and announces a person leaving", async () => {
    await poll(() => ada.textContent("#online")).toBe("2 online");
    await bob.close();
    await poll(() => ada.textContent("#online")).toBe("1 online");
    await ada.click("#rooms button.room");
    await poll(() => texts(ada, "#messages li.notice")).toContain("bob left");
  });
});

function typingLine(page: Page): Promise<string> {
  return page.textContent("#typing").then((text) => text ?? "");
}
