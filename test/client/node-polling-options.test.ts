/**
 * The Node client's agent and TLS options reach the polling requests too (not only the
 * WebSocket): a reference server on https with the self-signed test certificate of
 * test/transport/fixtures, and a plain one reached through a counting agent.
 */
import { readFileSync } from "node:fs";
import { Agent, createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { io, type Socket } from "../../src/node.js";
import { Server } from "../../src/server/index.js";
import { listenLocal } from "../helpers/listen.js";

const fixture = (name: string): string => readFileSync(new URL(`../transport/fixtures/${name}`, import.meta.url), "utf8");
const cert = fixture("cert.pem");
const key = fixture("key.pem");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(http: ReturnType<typeof createHttpServer>): Promise<number> {
  const server = new Server(http);
  server.on("connection", (s) => s.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v)));
  const port = await listenLocal(http);
  cleanups.push(async () => {
    await server.close();
    http.closeAllConnections();
  });
  return port;
}

function connect(url: string, options: Parameters<typeof io>[1]): Socket {
  const socket = io(url, { forceNew: true, reconnection: false, transports: ["polling"], ...options });
  cleanups.push(() => socket.disconnect());
  return socket;
}

function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connect"));
    socket.once("connect_error", (e) => resolve(`connect_error ${(e as { code?: string }).code ?? e.message}`));
  });
}

describe("Node polling with agent and TLS options", () => {
  it("refuses the self-signed certificate by default, accepts it with ca or rejectUnauthorized: false", async () => {
    const port = await serve(createHttpsServer({ cert, key }));
    const url = `https://127.0.0.1:${port}`;
    expect(await outcome(connect(url, {}))).toMatch(/^connect_error /);
    const trusted = connect(url, { ca: cert });
    expect(await outcome(trusted)).toBe("connect");
    expect(await trusted.timeout(2000).emitWithAck("echo", "over tls")).toBe("over tls");
    expect(trusted.io.engine.transport.name).toBe("polling");
    expect(await outcome(connect(url, { rejectUnauthorized: false }))).toBe("connect");
  });

  it("sends every polling request through the given agent", async () => {
    const port = await serve(createHttpServer());
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    let requests = 0;
    // addRequest is how every request reaches an agent (not in @types/node).
    const counted = agent as unknown as { addRequest: (...args: unknown[]) => void };
    const addRequest = counted.addRequest.bind(agent);
    counted.addRequest = (...args) => {
      requests++;
      addRequest(...args);
    };
    const socket = connect(`http://127.0.0.1:${port}`, { agent });
    expect(await outcome(socket)).toBe("connect");
    expect(await socket.timeout(2000).emitWithAck("echo", 1)).toBe(1);
    // The handshake GET, the CONNECT POST, the held GET, the event POST at least.
    expect(requests).toBeGreaterThanOrEqual(4);
  });
});
