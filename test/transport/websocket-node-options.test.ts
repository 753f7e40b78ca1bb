/**
 * Node-only WebSocket options reach `ws`: TLS (`ca`, `rejectUnauthorized`) against a wss server
 * with a self-signed test certificate (fixtures/, valid 100 years, for tests only), and `agent`.
 */
import { readFileSync } from "node:fs";
import { Agent, createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { TransportError, TransportOptions } from "../../src/transport/transport.js";
import { websocket } from "../../src/transport/websocket.js";
import { nodePlatform, until } from "./harness.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const cert = fixture("cert.pem");
const key = fixture("key.pem");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket) => socket.send("4hello"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function open(url: string, options: TransportOptions) {
  const seen: string[] = [];
  const errors: (TransportError | undefined)[] = [];
  const t = websocket.create({ url: () => url, options: { platform: nodePlatform, ...options } });
  t.open({
    onOpen: () => seen.push("open"),
    onFrame: (f) => seen.push(String(f)),
    onDrain: () => {},
    onClose: (reason, error) => {
      seen.push(reason);
      errors.push(error as TransportError | undefined);
    },
  });
  cleanups.push(() => t.close());
  return { seen, errors };
}

describe("websocket transport: Node options passed to ws", () => {
  it("rejects a self-signed certificate by default", async () => {
    const port = await listen(createHttpsServer({ cert, key }));
    const { seen } = open(`https://127.0.0.1:${port}/`, {});
    await until(() => seen.length > 0);
    expect(seen).toEqual(["transport error"]);
  });

  it("trusts it with the ca option", async () => {
    const port = await listen(createHttpsServer({ cert, key }));
    const { seen } = open(`https://127.0.0.1:${port}/`, { ca: cert });
    await until(() => seen.length === 2);
    expect(seen).toEqual(["open", "4hello"]);
  });

  it("accepts it with rejectUnauthorized: false", async () => {
    const port = await listen(createHttpsServer({ cert, key }));
    const { seen } = open(`https://127.0.0.1:${port}/`, { rejectUnauthorized: false });
    await until(() => seen.length === 2);
    expect(seen).toEqual(["open", "4hello"]);
  });

  it("connects through the given agent", async () => {
    const port = await listen(createHttpServer());
    let made = 0;
    class CountingAgent extends Agent {
      override createConnection(...args: Parameters<Agent["createConnection"]>): Duplex {
        made++;
        return super.createConnection(...args) as Duplex;
      }
    }
    const agent = new CountingAgent();
    cleanups.push(() => agent.destroy());
    const { seen } = open(`http://127.0.0.1:${port}/`, { agent });
    await until(() => seen.length === 2);
    expect(made).toBe(1);
  });
});
