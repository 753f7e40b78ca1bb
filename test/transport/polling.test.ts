/** The polling transport against a real, scripted HTTP server on port 0. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Frame } from "../../src/protocol/binary.js";
import { polling } from "../../src/transport/polling.js";
import type { TransportError, TransportHandlers, TransportOptions } from "../../src/transport/transport.js";
import { nodePlatform, until } from "./harness.js";

interface Held {
  method: string;
  url: URL;
  body: string;
  headers: IncomingMessage["headers"];
  res: ServerResponse;
  aborted: boolean;
  reply(body: string, status?: number): void;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An HTTP server that holds every request until the test answers it. */
async function scripted() {
  const requests: Held[] = [];
  const http = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const held: Held = {
        method: req.method ?? "",
        url: new URL(req.url ?? "/", "http://x"),
        body,
        headers: req.headers,
        res,
        aborted: false,
        reply: (text, status = 200) => res.writeHead(status, { "Content-Type": "text/plain" }).end(text),
      };
      res.on("close", () => (held.aborted = !res.writableFinished));
      requests.push(held);
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  cleanups.push(() => {
    http.closeAllConnections();
    return new Promise((r) => http.close(r));
  });
  const { port } = http.address() as AddressInfo;
  const pending = (method: string) => requests.filter((r) => r.method === method && !r.res.writableEnded && !r.aborted);
  const next = async (method: string): Promise<Held> => {
    for (;;) {
      const found = pending(method)[0];
      if (found) return found;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { url: `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`, requests, pending, next };
}

function open(url: string | ((query?: string) => string), options: TransportOptions = {}) {
  const frames: Frame[] = [];
  const events: string[] = [];
  const errors: TransportError[] = [];
  const handlers: TransportHandlers = {
    onOpen: () => events.push("open"),
    onFrame: (f) => frames.push(f),
    onDrain: () => events.push("drain"),
    onClose: (reason, error) => {
      events.push(reason);
      errors.push(error as TransportError);
    },
  };
  const transport = polling.create({ url: typeof url === "string" ? (query = "") => url + query : url, options });
  transport.open(handlers);
  cleanups.push(() => transport.close());
  return { transport, frames, events, errors };
}


describe("polling transport (real HTTP server)", () => {
  it("keeps exactly one GET outstanding, adding a unique cache-buster to each", async () => {
    const s = await scripted();
    const { frames, events } = open(s.url, { extraHeaders: { "x-volley": "1" } });
    for (let i = 0; i < 4; i++) {
      const get = await s.next("GET");
      expect(s.pending("GET")).toHaveLength(1);
      get.reply(`4m${i}`);
    }
    await s.next("GET");
    expect(frames).toEqual(["4m0", "4m1", "4m2", "4m3"]);
    expect(events[0]).toBe("open");
    const ts = s.requests.map((r) => r.url.searchParams.get("t"));
    expect(new Set(ts).size).toBe(ts.length);
    expect(s.requests.every((r) => r.headers["x-volley"] === "1")).toBe(true);
  });

  it("honours timestampRequests: false and a custom timestampParam", async () => {
    const a = await scripted();
    open(a.url, { timestampRequests: false });
    expect((await a.next("GET")).url.search).toBe("?EIO=4&transport=polling");
    const b = await scripted();
    open(b.url, { timestampParam: "cb" });
    expect((await b.next("GET")).url.searchParams.has("cb")).toBe(true);
  });

  it("splits payload records and decodes b-records to Buffer (Node platform) or ArrayBuffer", async () => {
    const s = await scripted();
    const node = open(s.url, { platform: nodePlatform });
    (await s.next("GET")).reply("4hello\x1ebAQID\x1e2\x1eb");
    await until(() => node.frames.length === 4);
    expect(node.frames[0]).toBe("4hello");
    expect([...(node.frames[1] as Buffer)]).toEqual([1, 2, 3]);
    expect(Buffer.isBuffer(node.frames[1])).toBe(true);
    expect(node.frames[2]).toBe("2");
    expect((node.frames[3] as Buffer).length).toBe(0);
    const t = await scripted();
    const web = open(t.url);
    (await t.next("GET")).reply("b/w==");
    await until(() => web.frames.length === 1);
    expect(web.frames[0]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(web.frames[0] as ArrayBuffer)]).toEqual([255]);
  });

  it("posts one batch at a time; frames sent meanwhile go together next", async () => {
    const s = await scripted();
    const { transport, events } = open(s.url);
    (await s.next("GET")).reply("6");
    transport.send(["4a", new Uint8Array([1, 2, 3, 4])]);
    expect(transport.writable).toBe(false);
    const first = await s.next("POST");
    expect(first.body).toBe("4a\x1ebAQIDBA==");
    expect(first.headers["content-type"]).toBe("text/plain;charset=UTF-8");
    transport.send(["4b"]);
    transport.send(["4c", new Blob([new Uint8Array([255])])]);
    await new Promise((r) => setTimeout(r, 30));
    expect(s.pending("POST")).toHaveLength(1);
    first.reply("ok");
    const second = await s.next("POST");
    expect(second.body).toBe("4b\x1e4c\x1eb/w==");
    expect(events).not.toContain("drain");
    second.reply("ok");
    await until(() => events.includes("drain"));
    expect(transport.writable).toBe(true);
  });

  it("an HTTP error status is a transport error carrying status and body", async () => {
    const s = await scripted();
    const { events, errors } = open(s.url);
    (await s.next("GET")).reply('{"code":1,"message":"Session ID unknown"}', 400);
    await until(() => events.length > 0);
    expect(events).toEqual(["transport error"]);
    expect(errors[0]?.code).toBe("ERR_POLLING_STATUS");
    expect(errors[0]?.status).toBe(400);
    expect(errors[0]?.message).toContain("Session ID unknown");
  });

  it("a refused connection is a transport error", async () => {
    const s = await scripted();
    const url = s.url;
    await cleanups.pop()?.(); // stop the server: the port now refuses
    const { events, errors } = open(url);
    await until(() => events.length > 0);
    expect(events).toEqual(["transport error"]);
    expect(errors[0]?.code).toBe("ERR_POLLING_REQUEST");
  });

  it("close sends the close packet after the in-flight POST, and only then aborts the pending GET", async () => {
    const s = await scripted();
    const { transport, events } = open(s.url);
    (await s.next("GET")).reply("0{}");
    const get = await s.next("GET");
    transport.send(["441"]);
    const post = await s.next("POST");
    transport.close();
    expect(s.pending("POST")).toHaveLength(1);
    post.reply("ok");
    const bye = await s.next("POST");
    expect(bye.body).toBe("1");
    // the GET kept the session alive at the server until it had read the packets and the close packet
    expect(get.aborted).toBe(false);
    bye.reply("ok");
    await until(() => get.aborted);
    expect(events).toEqual(["open"]);
  });

  it("frames with a Blob sent just before close are posted, then the close packet", async () => {
    const s = await scripted();
    const { transport } = open(s.url);
    (await s.next("GET")).reply("0{}");
    await s.next("GET");
    transport.send(["4a", new Blob([new Uint8Array([1, 2])])]);
    transport.close();
    const post = await s.next("POST");
    expect(post.body).toBe("4a\x1ebAQI=");
    post.reply("ok");
    const bye = await s.next("POST");
    expect(bye.body).toBe("1");
    bye.reply("ok");
  });

  it("after the server's own close packet, close sends nothing more", async () => {
    const s = await scripted();
    const { transport, frames } = open(s.url);
    (await s.next("GET")).reply("0{}");
    (await s.next("GET")).reply("6\x1e1");
    await until(() => frames.length === 3);
    transport.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(frames).toEqual(["0{}", "6", "1"]);
    expect(s.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("close before the first response sends nothing", async () => {
    const s = await scripted();
    const { transport } = open(s.url);
    const get = await s.next("GET");
    transport.close();
    await until(() => get.aborted);
    await new Promise((r) => setTimeout(r, 30));
    expect(s.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  it("pause waits for the in-flight GET and POST, then stops polling", async () => {
    const s = await scripted();
    const { transport, frames } = open(s.url);
    (await s.next("GET")).reply("6");
    const get = await s.next("GET");
    transport.send(["4x"]);
    const post = await s.next("POST");
    let paused = false;
    transport.pause?.(() => (paused = true));
    get.reply("6");
    await until(() => frames.length === 2);
    expect(paused).toBe(false);
    post.reply("ok");
    await until(() => paused);
    await new Promise((r) => setTimeout(r, 30));
    expect(s.pending("GET")).toHaveLength(0);
    transport.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(s.requests.filter((r) => r.method === "POST")).toHaveLength(1); // no close packet after an upgrade
  });

  it("reads the URL per request, so the sid appears once known, after the cache-buster", async () => {
    const s = await scripted();
    let sid = "";
    open((query = "") => s.url + query + sid);
    (await s.next("GET")).reply("6");
    sid = "&sid=abc";
    const { url } = await s.next("GET");
    expect(url.searchParams.get("sid")).toBe("abc");
    expect([...url.searchParams.keys()]).toEqual(["EIO", "transport", "t", "sid"]);
  });
});
