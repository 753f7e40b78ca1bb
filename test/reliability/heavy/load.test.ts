/**
 * Scenario 6: 5,000 concurrent clients in this one process (and 1,000 on polling), each
 * sending messages and receiving a reply per message, against the real socket.io server (in a
 * child process, so the memory figures are the clients' own). Every message is accounted for
 * on both sides.
 */
import { describe, expect, it } from "vitest";
import { socketIoChild } from "../support/child.js";
import { describeLoad, loadRun } from "../support/load.js";
import { eventually } from "../support/wait.js";

const RUNS = [
  { clients: 5000, transport: "websocket" },
  { clients: 1000, transport: "polling" },
];

// Minutes only on a machine busy with other work; the bound just stops a hang.
const HEAVY_TIMEOUT = 300_000;

describe("load (heavy)", () => {
  for (const { clients, transport } of RUNS) {
    it(`${clients} ${transport} clients against the real socket.io server`, async () => {
      const server = await socketIoChild();
      try {
        const f = await loadRun({
          url: `http://127.0.0.1:${server.port}`,
          clients,
          perClient: 10,
          transports: [transport],
          serverReceived: async () => (await server.stats()).received,
        });
        console.info(describeLoad(`socket.io ${transport}`, f));
        expect(f.serverReceived).toBe(f.sent);
        expect(f.clientReceived).toBe(f.sent);
        expect(f.badClients).toBe(0);
        expect(f.disconnects).toBe(0);
        await eventually(async () => (await server.stats()).clients === 0, 20_000, "every session closed");
      } finally {
        await server.kill();
      }
    }, HEAVY_TIMEOUT);
  }
});
