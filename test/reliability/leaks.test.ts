/**
 * Scenario 5 (fast size): after connect/disconnect cycles and forced reconnect cycles, no
 * socket, timer or server is left active once everything is closed, and a pending ack is
 * settled (rejected with a typed error) by disconnect() instead of being left hanging. The
 * heavy suite runs 1,000 + 200 cycles and compares the heap.
 */
import { describe, expect, it } from "vitest";
import { activeResources, connectCycles, CountingClock, forcedReconnectCycles, leftover } from "./support/leaks.js";
import { scenarioScope } from "./support/scope.js";
import { behindProxy, isTypedError, startSocketIo } from "./support/servers.js";
import { next } from "./support/wait.js";

describe("no leaks (fast)", () => {
  const scope = scenarioScope();

  it("connect/disconnect and forced reconnect cycles leave no socket or timer behind", async () => {
    const baseline = activeResources();
    const { server, proxy, close } = await behindProxy();
    server.io.on("connection", (s) => {
      s.on("echo", (n: number, ack: (n: number) => void) => ack(n));
      s.on("kick", () => s.conn.close());
    });
    const url = `http://127.0.0.1:${server.port}`;
    // Every client timer goes through this clock: none may outlive disconnect().
    const clock = new CountingClock();
    await connectCycles(url, 30, ["websocket"], clock);
    await connectCycles(url, 30, ["polling"], clock);
    await connectCycles(url, 10, ["polling", "websocket"], clock);
    expect(await forcedReconnectCycles(proxy, 10, ["websocket"], clock)).toBe(10);
    expect(await forcedReconnectCycles(proxy, 10, ["polling"], clock)).toBe(10);
    await close();
    const extra = await leftover(baseline);
    console.info(
      `[leaks fast] clock timers scheduled ${clock.scheduled}, outstanding ${clock.outstanding}; ` +
        `active resources baseline ${JSON.stringify(baseline)}, left over ${JSON.stringify(extra)}`,
    );
    expect(clock.scheduled).toBeGreaterThan(0);
    expect(clock.outstanding).toBe(0);
    expect(extra).toEqual({});
  });

  it("disconnect() settles a pending ack with a typed error", async () => {
    const server = await startSocketIo();
    scope.defer(() => server.close());
    server.io.on("connection", (s) => s.on("never", () => {}));
    const client = scope.client(`http://127.0.0.1:${server.port}`, { transports: ["websocket"] });
    await next(client, "connect", 5000);
    const pending = client.emitWithAck("never");
    const viaCallback = new Promise<unknown>((resolve) => client.timeout(60_000).emit("never", (err: unknown) => resolve(err)));
    client.disconnect();
    const [promised, called] = await Promise.all([pending.then(() => "resolved", (e: unknown) => e), viaCallback]);
    expect(isTypedError(promised)).toBe(true);
    expect(isTypedError(called)).toBe(true);
  });
});
