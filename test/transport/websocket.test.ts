/** The websocket transport against a real `ws` server on port 0 (Node). */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, WebSocket as WS, type RawData } from "ws";
import type { Frame } from "../../src/protocol/binary.js";
import type { TransportError, TransportHandlers, TransportOptions, WebSocketConstructor } from "../../src/transport/transport.js";
import { websocket } from "../../src/transport/websocket.js";
import { nodePlatform, until } from "./harness.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function wsServer() {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, handleProtocols: (set) => [...set][0] ?? false });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const { port } = http.address() as AddressInfo;
  const connections: { socket: WS; request: IncomingMessage }[] = [];
  const waiters: (() => void)[] = [];
  wss.on("connection", (socket, request) => {
    connections.push({ socket, request });
    waiters.splice(0).forEach((w) => w());
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  );
  const next = async () => {
    while (connections.length === 0) await new Promise<void>((r) => waiters.push(r));
    return connections.shift() as { socket: WS; request: IncomingMessage };
  };
  return { url: `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, next, http };
}

function open(url: string, options: TransportOptions) {
  const frames: Frame[] = [];
  const closes: string[] = [];
  let opened!: () => void;
  const isOpen = new Promise<void>((r) => (opened = r));
  const handlers: TransportHandlers = {
    onOpen: () => opened(),
    onFrame: (f) => frames.push(f),
    onDrain: () => {},
    onClose: (reason) => closes.push(reason),
  };
  const transport = websocket.create({ url: () => url, options });
  transport.open(handlers);
  cleanups.push(() => transport.close());
  return { transport, frames, closes, isOpen };
}


describe("websocket transport with ws (Node)", () => {
  it("uses the ws scheme, passes extraHeaders and protocols, and moves text and binary", async () => {
    const s = await wsServer();
    const { transport, frames, isOpen } = open(s.url, {
      platform: nodePlatform,
      extraHeaders: { "x-volley": "yes" },
      protocols: ["p1"],
    });
    const { socket, request } = await s.next();
    await isOpen;
    expect(request.url).toBe("/socket.io/?EIO=4&transport=websocket");
    expect(request.headers["x-volley"]).toBe("yes");
    expect(socket.protocol).toBe("p1");
    const got: RawData[] = [];
    socket.on("message", (data) => got.push(data));
    transport.send(["4text", new Uint8Array([1, 2]), new Uint8Array([9, 8, 7]).subarray(1)]);
    socket.send("4back");
    socket.send(Buffer.from([5, 6]));
    await until(() => got.length === 3 && frames.length === 2);
    expect(got.map((d) => [...(d as Buffer)])).toEqual([[...Buffer.from("4text")], [1, 2], [8, 7]]);
    expect(frames[0]).toBe("4back");
    expect(Buffer.isBuffer(frames[1])).toBe(true);
    expect([...(frames[1] as Buffer)]).toEqual([5, 6]);
  });

  it("without the Node platform, binary arrives as ArrayBuffer", async () => {
    const s = await wsServer();
    const { frames, isOpen } = open(s.url, { WebSocket: WS as unknown as WebSocketConstructor });
    const { socket } = await s.next();
    await isOpen;
    socket.send(new Uint8Array([3]));
    await until(() => frames.length === 1);
    expect(frames[0]).toBeInstanceOf(ArrayBuffer);
  });

  it("applies the platform's hooks only to the platform's own WebSocket, not to one passed in options", async () => {
    const s = await wsServer();
    class Other extends WS {}
    const { frames, isOpen } = open(s.url, { platform: nodePlatform, WebSocket: Other as unknown as WebSocketConstructor });
    const { socket } = await s.next();
    await isOpen;
    socket.send(new Uint8Array([4]));
    socket.send("4text");
    await until(() => frames.length === 2);
    expect(frames[0]).toBeInstanceOf(ArrayBuffer);
    expect(frames[1]).toBe("4text");
  });

  it("corks a batch through the platform hook so it leaves in one write", async () => {
    const s = await wsServer();
    const calls: string[] = [];
    const platform = {
      ...nodePlatform,
      cork: () => {
        calls.push("cork");
        return () => calls.push("uncork");
      },
    };
    const { transport, isOpen } = open(s.url, { platform });
    const { socket } = await s.next();
    await isOpen;
    const got: string[] = [];
    socket.on("message", (d) => got.push(String(d)));
    transport.send(["4one"]);
    transport.send(["4a", "4b", "4c"]);
    await until(() => got.length === 4);
    expect(calls).toEqual(["cork", "uncork"]);
    expect(got).toEqual(["4one", "4a", "4b", "4c"]);
  });

  it("closing while still connecting neither throws nor reports", async () => {
    const s = await wsServer();
    const { transport, closes } = open(s.url, { platform: nodePlatform });
    transport.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).toEqual([]);
  });

  it("a refused upgrade (HTTP 400) is a transport error", async () => {
    const http = createServer((_, res) => res.writeHead(400).end("Transport unknown"));
    http.on("upgrade", (_req, socket) => socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => http.close(r)));
    const { port } = http.address() as AddressInfo;
    const { closes } = open(`http://127.0.0.1:${port}/`, { platform: nodePlatform });
    await until(() => closes.length > 0);
    expect(closes).toEqual(["transport error"]);
  });

  it("with no WebSocket anywhere, fails with ERR_WEBSOCKET_UNAVAILABLE", () => {
    const seen: string[] = [];
    const t = websocket.create({ url: () => "http://127.0.0.1:1/", options: {} });
    t.open({ onOpen: () => {}, onFrame: () => {}, onDrain: () => {}, onClose: (_r, e) => seen.push((e as TransportError).code) });
    expect(seen).toEqual(["ERR_WEBSOCKET_UNAVAILABLE"]);
  });
});
