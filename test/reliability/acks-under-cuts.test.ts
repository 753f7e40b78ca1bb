/**
 * Scenario 1 (fast size): emits with ackTimeout + retries survive seeded connection cuts on
 * both transports against the real socket.io server. The heavy suite runs 10,000 emits.
 */
import { describe, expect, it } from "vitest";
import { ackStorm, expectStormInvariants } from "./support/ack-storm.js";

const RUNS = [
  { transports: ["websocket"], emits: 2000, cuts: 20, seed: 11 },
  { transports: ["polling"], emits: 600, cuts: 20, seed: 12 },
  { transports: ["websocket"], emits: 1000, cuts: 20, seed: 13, server: "reference" as const },
];

describe("acks under connection cuts (fast)", () => {
  for (const run of RUNS) {
    it(`${run.emits} emits over ${run.transports[0]} to ${run.server ?? "socket.io"} with ${run.cuts} seeded cuts: nothing lost, settled once, in order`, async () => {
      expectStormInvariants("acks", run, await ackStorm(run));
    });
  }
});
