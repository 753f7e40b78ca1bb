/**
 * Runs only in the `platform-websocket` project (Node started with --experimental-websocket,
 * next to the Node client integration tests): the Node entry as published then opens its
 * WebSocket with Node's own global `WebSocket`, not `ws`, and works against socket.io 4.8.
 */
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";
import { distPath } from "./dist.js";

interface NodeSocket {
  once(event: string, listener: (...args: never[]) => void): unknown;
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  disconnect(): unknown;
}
type NodeIo = (uri: string, options?: object) => NodeSocket;

let server: SocketIoServer;

beforeAll(async () => {
  server = await startSocketIoServer();
  server.io.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (value: unknown) => void) => ack(value));
    socket.on("transport", (ack: (name: string) => void) => ack(socket.conn.transport.name));
  });
});

afterAll(() => server?.close());

describe("Node's platform WebSocket (--experimental-websocket)", () => {
  it("is there in this project", () => {
    expect(process.execArgv).toContain("--experimental-websocket");
    expect(typeof globalThis.WebSocket).toBe("function");
  });

  it("the Node entry connects with the global WebSocket and exchanges text and binary", async () => {
    const Platform = globalThis.WebSocket;
    const opened: string[] = [];
    globalThis.WebSocket = class extends Platform {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        opened.push(String(url));
      }
    };
    try {
      const { io } = (await import(pathToFileURL(distPath("volley.node.mjs")).href)) as { io: NodeIo };
      const socket = io(server.url, { transports: ["websocket"], forceNew: true, reconnection: false });
      await new Promise((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      expect(await socket.emitWithAck("transport")).toBe("websocket");
      expect(await socket.emitWithAck("echo", { text: "héllo" })).toEqual({ text: "héllo" });
      const bytes = (await socket.emitWithAck("echo", new Uint8Array([1, 2, 3]))) as Uint8Array;
      expect([...new Uint8Array(bytes)]).toEqual([1, 2, 3]);
      socket.disconnect();
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/\?EIO=4&transport=websocket/);
    } finally {
      globalThis.WebSocket = Platform;
    }
  });
});
