/**
 * The engine against a raw `engine.io` 6 server (no Socket.IO layer), where its options make a
 * difference: a small maxHttpBufferSize checks that polling payloads are batched to fit.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server as EngineServer, type Socket as EngineSocket } from "engine.io";
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/client/engine.js";
import { defaultKit } from "../../src/client/default-kit.js";
import { Recorder, nodePlatform, until } from "../transport/harness.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function engineServer(maxHttpBufferSize: number) {
  const http = createServer();
  const server = new EngineServer({ maxHttpBufferSize, pingInterval: 300, pingTimeout: 1000 });
  server.attach(http);
  const received: string[] = [];
  const bodies: number[] = [];
  http.prependListener("request", (req) => {
    if (req.method !== "POST") return;
    let size = 0;
    req.on("data", (chunk: Buffer) => (size += chunk.length));
    req.on("end", () => bodies.push(size));
  });
  server.on("connection", (socket: EngineSocket) => socket.on("message", (data) => received.push(String(data))));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  cleanups.push(() => {
    server.close();
    http.closeAllConnections();
    return new Promise((r) => http.close(r));
  });
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, received, bodies, server };
}

describe("engine against raw engine.io", () => {
  it("splits polling payloads to fit maxPayload, so nothing is refused", async () => {
    const s = await engineServer(100);
    const rec = new Recorder();
    const engine = new Engine(s.url, { kit: defaultKit, platform: nodePlatform, path: "/engine.io", upgrade: false }, rec);
    cleanups.push(() => engine.close());
    engine.open();
    expect((await rec.opened).maxPayload).toBe(100);
    const sent = Array.from({ length: 30 }, (_, i) => `message number ${String(i).padStart(2, "0")}`);
    for (const m of sent) engine.send(m);
    await until(() => s.received.length === 30);
    expect(s.received).toEqual(sent);
    expect(s.bodies.length).toBeGreaterThan(1);
    expect(Math.max(...s.bodies)).toBeLessThanOrEqual(100);
    expect(rec.log).toEqual(["open"]);
  });
});
