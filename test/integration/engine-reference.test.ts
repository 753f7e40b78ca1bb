/**
 * The engine against the volley reference server: the shared scenarios, plus a ping timeout
 * when the network path goes silent (a proxy that stops forwarding).
 */
import { describe, expect, it } from "vitest";
import { ChaosProxy } from "../helpers/chaos-proxy.js";
import { startReferenceServer } from "../helpers/reference-server.js";
import { cleanupList, connect, engineScenarios, type Peer } from "../transport/engine-scenarios.js";
import { firstPing } from "../transport/harness.js";

engineScenarios({
  name: "volley reference server",
  start: (options) => startReferenceServer(options) as unknown as Promise<Peer>,
  pollingServerClose: "forced server close",
});

const cleanups = cleanupList();

describe.each([["polling"], ["websocket"]])("ping timeout over %s, volley reference server", (name) => {
  it("closes with ping timeout when the path to the server goes silent", async () => {
    const s = await startReferenceServer({ pingInterval: 300, pingTimeout: 1000 });
    cleanups.push(() => s.close());
    const proxy = await ChaosProxy.start({ target: s.port });
    cleanups.push(() => proxy.close());
    const { rec } = connect(cleanups, proxy.url, { transports: [name] });
    await rec.opened;
    await firstPing(rec);
    proxy.blackhole(true);
    const { reason } = await rec.closed;
    expect(reason).toBe("ping timeout");
  });
});
