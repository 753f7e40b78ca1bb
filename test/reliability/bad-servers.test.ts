/**
 * Scenario 7: servers that misbehave. A scripted raw WebSocket server sends malformed packets,
 * an oversized frame, an ack for an id never used, a CONNECT_ERROR, reserved event names and an
 * event flood; the real socket.io server refuses an unknown namespace. The client must surface
 * a typed error or a disconnect reason, recover where it should, and never throw into app code
 * (vitest fails the run on any uncaught exception or unhandled rejection).
 */
import { describe, expect, it } from "vitest";
import { scenarioScope } from "./support/scope.js";
import { startScripted, type Script } from "./support/scripted-server.js";
import { startSocketIo } from "./support/servers.js";
import { next, until } from "./support/wait.js";

const WS = { transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 50 };

describe("bad servers", () => {
  const scope = scenarioScope();

  async function scripted(...scripts: Script[]): ReturnType<typeof startScripted> {
    const server = await startScripted(scripts);
    scope.defer(() => server.close());
    return server;
  }

  it("a malformed packet closes with 'parse error' and the client reconnects", async () => {
    const server = await scripted({ onConnected: (w) => w.send("42[oops") }, {});
    const client = scope.client(server.url, WS);
    const [reason] = await next<[string]>(client, "disconnect", 5000);
    expect(reason).toBe("parse error");
    await next(client, "connect", 5000);
    expect(await client.timeout(2000).emitWithAck("hello")).toBe("pong");
    expect(server.connections).toBe(2);
  });

  it("an oversized frame is delivered whole or ends the session with a reason; the client keeps working", async () => {
    const big = "x".repeat(3 * 1024 * 1024);
    const server = await scripted({ onConnected: (w) => w.send(`42["big","${big}"]`) }, {});
    const client = scope.client(server.url, WS);
    const outcome = await Promise.race([
      next<[string]>(client, "big", 10_000).then(([s]) => `delivered ${s.length}`),
      next<[string]>(client, "disconnect", 10_000).then(([reason]) => `disconnect ${reason}`),
    ]);
    expect(outcome === `delivered ${big.length}` || /^disconnect [a-z ]+$/.test(outcome)).toBe(true);
    await until(() => client.connected, 5000, "connected after the big frame");
    expect(await client.timeout(2000).emitWithAck("hello")).toBe("pong");
    console.info(`[bad server] 3 MiB frame: ${outcome.slice(0, 40)}`);
  });

  it("an ack for an unknown id is ignored", async () => {
    const server = await scripted({
      onConnected: (w) => {
        w.send('43999["stray"]');
        w.send('42["after"]');
      },
    });
    const client = scope.client(server.url, WS);
    let disconnects = 0;
    client.on("disconnect", () => disconnects++);
    await next(client, "after", 5000);
    expect(client.connected).toBe(true);
    expect(await client.timeout(2000).emitWithAck("hello")).toBe("pong");
    expect(disconnects).toBe(0);
  });

  it("a CONNECT_ERROR for a namespace reaches connect_error with message and data; '/' stays up", async () => {
    const server = await scripted({
      connect: (frame, index) =>
        frame.startsWith("40/admin,")
          ? '44/admin,{"message":"not allowed","data":{"why":"role"}}'
          : `40${JSON.stringify({ sid: `sio-${index}` })}`,
    });
    const main = scope.client(server.url, WS);
    await next(main, "connect", 5000);
    const admin = scope.client(`${server.url}/admin`, WS);
    const [err] = await next<[Error & { data?: unknown }]>(admin, "connect_error", 5000);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("not allowed");
    expect(err.data).toEqual({ why: "role" });
    expect(admin.connected).toBe(false);
    expect(main.connected).toBe(true);
  });

  it("the real socket.io server refuses an unknown namespace with connect_error", async () => {
    const server = await startSocketIo();
    scope.defer(() => server.close());
    const client = scope.client(`http://127.0.0.1:${server.port}/nope`, WS);
    const [err] = await next<[Error]>(client, "connect_error", 5000);
    expect(err.message).toBe("Invalid namespace");
    expect(client.connected).toBe(false);
  });

  it("an event flood is delivered in order and the client stays responsive", async () => {
    const count = 20_000;
    const server = await scripted({
      onConnected: (w) => {
        for (let i = 0; i < count; i++) w.send(`42["f",${i}]`);
      },
    });
    const client = scope.client(server.url, WS);
    const got: number[] = [];
    client.on("f", (i: number) => got.push(i));
    await until(() => got.length === count, 20_000, "the whole flood");
    expect(got.every((v, i) => v === i)).toBe(true);
    expect(await client.timeout(2000).emitWithAck("hello")).toBe("pong");
  });

  it("an event named 'error' with no listener does not throw; reserved names never reach app listeners", async () => {
    const server = await scripted({
      onConnected: (w) => {
        w.send('42["error","boom"]');
        w.send('42["disconnect","fake"]');
        w.send('42["after"]');
      },
    }, {
      onConnected: (w) => w.send('42["after"]'),
    });
    const client = scope.client(server.url, WS);
    const reasons: string[] = [];
    client.on("disconnect", (reason: string) => reasons.push(reason));
    await next(client, "after", 5000);
    await until(() => client.connected, 5000, "connected");
    // A reserved name from the server is a protocol violation (closed with "parse error") or
    // dropped; it must never look like a real disconnect to the app.
    expect(reasons.filter((r) => r !== "parse error")).toEqual([]);
  });
});
