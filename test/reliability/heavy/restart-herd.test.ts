/**
 * Scenario 4 at full size: 500 clients reconnecting to a restarted server are spread over time
 * by backoff jitter: no 10% slice of the reconnect window holds more than 20% of the clients.
 */
import { describe, expect, it } from "vitest";
import { histogram, restartHerd } from "../support/restart.js";

describe("restart herd (heavy)", () => {
  for (const transport of ["websocket", "polling"]) {
    it(`500 ${transport} clients reconnect spread by jitter`, async () => {
      const f = await restartHerd(500, [transport]);
      const attempts = histogram(f.attempts);
      const arrivals = histogram(f.arrivals);
      console.info(
        `[herd ${transport}] ${f.reconnected}/${f.clients} back in ${f.ms} ms; first attempts ` +
          `${Math.round(Math.min(...f.attempts))}..${Math.round(Math.max(...f.attempts))} ms after the crash\n` +
          `  attempt histogram (10 slices): ${attempts.join(" ")}\n` +
          `  arrival histogram (10 slices, ${Math.round(Math.min(...f.arrivals))}..${Math.round(Math.max(...f.arrivals))} ms): ${arrivals.join(" ")}`,
      );
      expect(f.reconnected).toBe(500);
      expect(f.attempts).toHaveLength(500);
      expect(Math.max(...attempts)).toBeLessThanOrEqual(100);
    });
  }
});
