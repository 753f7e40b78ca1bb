/**
 * Scenario 3: a blackholed connection (TCP open, nothing forwarded) is detected by the
 * heartbeat within pingInterval + pingTimeout plus a margin, on both transports, and
 * reconnection starts; a server that never answers the handshake yields a typed connect_error
 * once the client `timeout` has passed.
 */
import { describe, expect, it } from "vitest";
import { scenarioScope } from "./support/scope.js";
import { isTypedError } from "./support/servers.js";
import { next } from "./support/wait.js";

const PING_INTERVAL = 200;
const PING_TIMEOUT = 200;
// Generous on purpose: a shared 2-core CI machine delays timers; the bound still proves the
// heartbeat (not a TCP timeout, which takes minutes) found the dead peer.
const MARGIN = 2000;

describe("dead peer detection", () => {
  const scope = scenarioScope();

  const cases = ["socket.io", "reference"].flatMap((server) => ["websocket", "polling"].map((transport) => ({ server, transport })));
  for (const { server, transport } of cases) {
    it(`detects a blackholed ${transport} connection to the ${server} server by heartbeat and starts reconnecting`, async () => {
      const heartbeat = { pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT };
      const { proxy } = server === "reference" ? await scope.proxiedReference(heartbeat) : await scope.proxied(heartbeat);
      const client = scope.client(proxy.url, {
        transports: [transport],
        reconnectionDelay: 50,
        reconnectionDelayMax: 100,
        timeout: 500,
      });
      await next(client, "connect", 10_000);
      // Let one heartbeat round pass so the client's deadline is armed from a real ping.
      await next(client.io, "ping", 5000);
      const started = performance.now();
      const disconnected = next<[string]>(client, "disconnect", PING_INTERVAL + PING_TIMEOUT + MARGIN);
      const attempt = next(client.io, "reconnect_attempt", PING_INTERVAL + PING_TIMEOUT + MARGIN + 1000);
      proxy.blackhole(true);
      const [reason] = await disconnected;
      const detectedMs = Math.round(performance.now() - started);
      expect(reason).toBe("ping timeout");
      await attempt;
      proxy.blackhole(false);
      await next(client, "connect", 10_000);
      console.info(`[dead peer ${server} ${transport}] detected after ${detectedMs} ms (bound ${PING_INTERVAL + PING_TIMEOUT} + ${MARGIN})`);
    });
  }

  it("a server that never answers the handshake gives a typed connect_error after `timeout`", async () => {
    const { proxy } = await scope.proxied();
    proxy.blackhole(true);
    const timeout = 300;
    const client = scope.client(proxy.url, { reconnection: false, timeout });
    const started = performance.now();
    const [err] = await next<[unknown]>(client, "connect_error", timeout + MARGIN + 1000);
    const elapsed = Math.round(performance.now() - started);
    expect(isTypedError(err)).toBe(true);
    // Measured from after io() returned, so a little under the real wait.
    expect(elapsed).toBeGreaterThanOrEqual(timeout - 20);
    expect(client.connected).toBe(false);
    console.info(`[handshake timeout] connect_error ${(err as { code?: string }).code} after ${elapsed} ms (timeout ${timeout})`);
  });
});
