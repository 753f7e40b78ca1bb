/**
 * Scenario 6 against the volley reference server: 5,000 concurrent volley clients in this
 * process exchanging messages (server in the same process, so memory figures are client plus
 * server), and 10,000 idle sessions held through several heartbeat rounds (clients in a child
 * process, so the heap figure is the server's).
 */
import { describe, expect, it } from "vitest";
import { startReferenceServer } from "../../helpers/reference-server.js";
import { idleClients } from "../support/child.js";
import { heapAfterGc } from "../support/leaks.js";
import { describeLoad, loadRun } from "../support/load.js";
import { eventually, sleep, until } from "../support/wait.js";

// Minutes only on a machine busy with other work; the bound just stops a hang.
const HEAVY_TIMEOUT = 300_000;

describe("reference server under load (heavy)", () => {
  it("5,000 websocket volley clients, every message accounted for", async () => {
    let received = 0;
    const server = await startReferenceServer({}, (io) =>
      io.on("connection", (socket) =>
        socket.on("m", (n: number) => {
          received++;
          socket.emit("r", n);
        }),
      ),
    );
    try {
      const f = await loadRun({
        url: server.url,
        clients: 5000,
        perClient: 10,
        transports: ["websocket"],
        serverReceived: () => Promise.resolve(received),
      });
      console.info(describeLoad("reference server websocket (client + server memory)", f));
      expect(f.serverReceived).toBe(f.sent);
      expect(f.clientReceived).toBe(f.sent);
      expect(f.badClients).toBe(0);
      expect(f.disconnects).toBe(0);
      await until(() => server.io.engine.clientsCount === 0, 20_000, "every session closed");
    } finally {
      await server.close();
    }
  }, HEAVY_TIMEOUT);

  it("holds 10,000 idle sessions through heartbeats without errors", async () => {
    const count = 10_000;
    let connections = 0;
    const disconnects: string[] = [];
    const server = await startReferenceServer({ pingInterval: 1000, pingTimeout: 20_000 }, (io) =>
      io.on("connection", (socket) => {
        connections++;
        socket.on("disconnect", (reason: string) => disconnects.push(reason));
      }),
    );
    const heap0 = await heapAfterGc();
    const started = performance.now();
    const clients = await idleClients(server.url, count);
    try {
      const connectMs = Math.round(performance.now() - started);
      await until(() => connections === count, 30_000, "every session on the server");
      const heap1 = await heapAfterGc();
      await sleep(3500); // three heartbeat rounds for every session
      const stats = await clients.stats();
      console.info(
        `[idle reference server] ${count} sessions open in ${connectMs} ms; server heap ` +
          `${((heap1 - heap0) / count / 1024).toFixed(1)} KiB per session; after 3.5 s: ` +
          `${stats.connected} connected, ${stats.pings} pings answered since connecting, ${stats.disconnects} disconnects, ${stats.errors} errors`,
      );
      expect(stats.connected).toBe(count);
      expect(stats.errors).toBe(0);
      expect(stats.disconnects).toBe(0);
      expect(stats.pings).toBeGreaterThanOrEqual(2 * count);
      expect(disconnects).toEqual([]);
      expect(server.io.engine.clientsCount).toBe(count);
    } finally {
      await clients.kill();
    }
    await eventually(async () => server.io.engine.clientsCount === 0, 30_000, "sessions closed after the clients died");
    await server.close();
  }, HEAVY_TIMEOUT);
});
