/**
 * Scenario 1 at full size: 10,000 emits with ackTimeout + retries over websocket (and 5,000
 * over polling, where each round trip is a POST and a GET) while the chaos proxy cuts the
 * connection at seeded points. Figures are printed for docs/reliability.md.
 */
import { describe, expect, it } from "vitest";
import { ackStorm, expectStormInvariants } from "../support/ack-storm.js";

const RUNS = [
  { transports: ["websocket"], emits: 10_000, cuts: 40, seed: 101 },
  { transports: ["polling"], emits: 5_000, cuts: 25, seed: 102 },
  { transports: ["websocket"], emits: 10_000, cuts: 40, seed: 103, server: "reference" as const },
];

describe("acks under connection cuts (heavy)", () => {
  for (const run of RUNS) {
    it(`${run.emits} emits over ${run.transports[0]} to ${run.server ?? "socket.io"} with ${run.cuts} seeded cuts`, async () => {
      expectStormInvariants("acks heavy", run, await ackStorm(run));
    });
  }
});
