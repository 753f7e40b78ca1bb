/**
 * Scenario 4 (fast size): a server restart brings every client back with backoff; connection
 * state recovery against the real socket.io server restores the events missed while away.
 * The heavy suite runs the 500-client herd and asserts the jitter spread.
 */
import { describe, expect, it } from "vitest";
import { histogram, restartHerd } from "./support/restart.js";
import { scenarioScope } from "./support/scope.js";
import { next, until } from "./support/wait.js";

describe("server restart", () => {
  const scope = scenarioScope();

  it("20 clients per transport all reconnect to a restarted server, once each", async () => {
    for (const transports of [["websocket"], ["polling"]]) {
      const f = await restartHerd(20, transports);
      console.info(
        `[restart ${transports[0]}] ${f.reconnected}/${f.clients} back in ${f.ms} ms; ` +
          `first attempts ${Math.round(Math.min(...f.attempts))}..${Math.round(Math.max(...f.attempts))} ms, histogram ${histogram(f.attempts).join(" ")}`,
      );
      expect(f.reconnected).toBe(f.clients);
      expect(f.attempts).toHaveLength(f.clients);
      expect(f.reconnectsPerClient).toEqual(new Array(f.clients).fill(1));
      // Backoff, not a tight loop: nobody retries before the crash is even noticed.
      expect(Math.min(...f.attempts)).toBeGreaterThan(0);
    }
  });

  for (const transport of ["websocket", "polling"]) {
    it(`connection state recovery restores missed events from the real socket.io server (${transport})`, async () => {
      // A cut between two polls leaves the server no request to lose: only its heartbeat can
      // notice, so the heartbeat is short enough to notice within the wait below.
      const { server, proxy } = await scope.proxied({
        connectionStateRecovery: { maxDisconnectionDuration: 10_000, skipMiddlewares: true },
        pingInterval: 1000,
        pingTimeout: 1000,
      });
      const serverDisconnects: string[] = [];
      server.io.on("connection", (s) => s.on("disconnect", (reason: string) => serverDisconnects.push(reason)));
      const client = scope.client(proxy.url, { transports: [transport], reconnectionDelay: 50, reconnectionDelayMax: 100 });
      const news: string[] = [];
      client.on("news", (item: string) => news.push(item));
      await next(client, "connect", 5000);
      expect(client.recovered).toBe(false);
      const firstId = client.id;
      server.io.emit("news", "n1");
      await until(() => news.length === 1, 5000, "n1");

      proxy.refuse(true);
      proxy.cutAll();
      await until(() => serverDisconnects.length === 1 && !client.connected, 5000, "both sides see the cut");
      server.io.emit("news", "n2");
      server.io.emit("news", "n3");
      proxy.refuse(false);
      await next(client, "connect", 10_000);
      expect(client.recovered).toBe(true);
      expect(client.id).toBe(firstId);
      await until(() => news.length >= 3, 5000, "missed events");
      server.io.emit("news", "n4");
      await until(() => news.includes("n4"), 5000, "n4");
      expect(news).toEqual(["n1", "n2", "n3", "n4"]);
    });
  }
});
