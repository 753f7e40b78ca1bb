/**
 * Scenario 2: emits made while the server refuses connections (five failed reconnect attempts)
 * are buffered and delivered in order once it is back; volatile emits made meanwhile are not.
 */
import { describe, expect, it } from "vitest";
import { scenarioScope } from "./support/scope.js";
import { next, until } from "./support/wait.js";

describe("buffered while offline", () => {
  const scope = scenarioScope();

  for (const transport of ["websocket", "polling"]) {
    it(`delivers buffered emits in order after 5 refused reconnects, drops volatile ones (${transport})`, async () => {
      const { server, proxy } = await scope.proxied();
      const got: string[] = [];
      server.io.on("connection", (s) => s.on("m", (x: string) => got.push(x)));
      const client = scope.client(proxy.url, {
        transports: [transport],
        reconnectionDelay: 30,
        reconnectionDelayMax: 60,
      });
      await next(client, "connect", 10_000);
      client.emit("m", "before");
      await until(() => got.length === 1, 5000, "first message");

      proxy.refuse(true);
      const disconnected = next(client, "disconnect", 5000);
      proxy.cutAll();
      await disconnected;
      let failures = 0;
      let sent = 0;
      const expected = ["before"];
      const sendSome = (): void => {
        for (let i = 0; i < 5; i++, sent++) {
          client.emit("m", `offline-${sent}`);
          expected.push(`offline-${sent}`);
          client.volatile.emit("m", `volatile-${sent}`);
        }
      };
      sendSome();
      client.io.on("reconnect_error", () => {
        failures++;
        if (failures <= 5) sendSome();
      });
      await until(() => failures >= 5, 10_000, "five failed reconnect attempts");
      expect(got).toEqual(["before"]);

      const reconnected = next(client.io, "reconnect", 10_000);
      proxy.refuse(false);
      await reconnected;
      client.emit("m", "after");
      expected.push("after");
      await until(() => got.includes("after"), 5000, "messages after reconnection");
      expect(got).toEqual(expected);
      console.info(`[offline ${transport}] ${failures} refused attempts, ${sent} buffered emits delivered in order, ${sent} volatile dropped`);
    });
  }
});
