/**
 * The entry points: default and named `io`, the CDN global's attached members, and the
 * WebSocket-only entry, which knows no polling and connects over WebSocket to socket.io 4.8.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import type { WebSocketConstructor } from "../../src/index.js";
import browserIo from "../../src/browser.js";
import io, { Manager, Socket, connect, io as namedIo, protocol } from "../../src/index.js";
import * as nodeEntry from "../../src/node.js";
import * as wsEntry from "../../src/websocket.js";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";

let server: SocketIoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("entry points", () => {
  it("exports io as default, named and connect", () => {
    expect(io).toBe(namedIo);
    expect(connect).toBe(namedIo);
    expect(protocol).toBe(5);
    expect(nodeEntry.default).toBe(nodeEntry.io);
    expect(wsEntry.default).toBe(wsEntry.io);
  });

  it("gives the CDN global io.Manager, io.Socket, io.protocol and io.connect", () => {
    expect(typeof browserIo).toBe("function");
    expect(browserIo.Manager).toBe(Manager);
    expect(browserIo.Socket).toBe(Socket);
    expect(browserIo.protocol).toBe(5);
    expect(browserIo.connect).toBe(browserIo);
  });

  it("the WebSocket-only entry refuses polling and connects over WebSocket", async () => {
    expect(() => new wsEntry.Manager("http://127.0.0.1:1", { transports: ["polling"] })).toThrow(/unknown transport "polling"/);
    server = await startSocketIoServer();
    server.io.on("connection", (s) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
    const socket = wsEntry.io(server.url, { forceNew: true, WebSocket: WebSocket as unknown as WebSocketConstructor });
    try {
      await new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(undefined));
        socket.once("connect_error", reject);
      });
      expect(socket.io.engine.transport.name).toBe("websocket");
      expect(await socket.emitWithAck("echo", "hi")).toBe("hi");
    } finally {
      socket.disconnect();
    }
  });

  it("socket.io-client's transport names by value: polling, then the upgrade to WebSocket", async () => {
    for (const alias of [nodeEntry.XHR, nodeEntry.Fetch, nodeEntry.NodeXHR]) expect(alias).toBe(nodeEntry.polling);
    for (const alias of [nodeEntry.WebSocket, nodeEntry.NodeWebSocket, wsEntry.WebSocket, wsEntry.NodeWebSocket]) expect(alias).toBe(nodeEntry.websocket);
    server = await startSocketIoServer();
    const seen = new Promise<string>((resolve) =>
      server?.io.on("connection", (s) => {
        const first = s.conn.transport.name;
        s.conn.once("upgrade", (t: { name: string }) => resolve(`${first}, then ${t.name}`));
      }),
    );
    const socket = nodeEntry.io(server.url, { forceNew: true, transports: [nodeEntry.NodeXHR, nodeEntry.NodeWebSocket] });
    try {
      await new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(undefined));
        socket.once("connect_error", reject);
      });
      expect(await seen).toBe("polling, then websocket");
    } finally {
      socket.disconnect();
    }
  });

  it("the Node entry carries polling binary through Buffer's native base64, both ways", async () => {
    server = await startSocketIoServer();
    const blob = Buffer.alloc(16 * 1024, 7);
    server.io.on("connection", (s) => s.on("echo", (v: Buffer, ack: (v: Buffer) => void) => ack(v)));
    // The server runs in this process too: count only calls made from the client's codec.
    const callers: string[] = [];
    const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
    const toString = Buffer.prototype.toString;
    const decodes = vi.spyOn(Buffer, "from").mockImplementation(((...args: unknown[]) => {
      if (args[1] === "base64") callers.push(`decode ${new Error().stack ?? ""}`);
      return from(...args);
    }) as typeof Buffer.from);
    const encodes = vi.spyOn(Buffer.prototype, "toString").mockImplementation(function (this: Buffer, ...args: unknown[]) {
      if (args[0] === "base64") callers.push(`encode ${new Error().stack ?? ""}`);
      return toString.apply(this, args as Parameters<typeof toString>);
    });
    const socket = nodeEntry.io(server.url, { forceNew: true, transports: ["polling"] });
    try {
      await new Promise((resolve, reject) => {
        socket.once("connect", () => resolve(undefined));
        socket.once("connect_error", reject);
      });
      const back = (await socket.timeout(5000).emitWithAck("echo", blob)) as unknown;
      expect(Buffer.isBuffer(back) && back.equals(blob)).toBe(true);
      const client = callers.filter((c) => c.includes("node-base64"));
      expect(client.some((c) => c.startsWith("encode"))).toBe(true);
      expect(client.some((c) => c.startsWith("decode"))).toBe(true);
    } finally {
      decodes.mockRestore();
      encodes.mockRestore();
      socket.disconnect();
    }
  });
});
