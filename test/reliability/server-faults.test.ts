/**
 * Scenarios driven by the reference server's own fault hooks (`volley/server/testing`), where
 * the chaos proxy cannot reach: a server process that hangs while its TCP connections stay
 * healthy, and a server that loses some of its acknowledgements.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../helpers/random.js";
import { startReferenceServer } from "../helpers/reference-server.js";
import type { ServerOptions, Socket } from "../../src/server/index.js";
import { faultsOf } from "../../src/server/testing.js";
import { scenarioScope } from "./support/scope.js";
import { next, since, until } from "./support/wait.js";

const PING_INTERVAL = 200;
const PING_TIMEOUT = 200;
// As in dead-peer.test.ts: generous for a loaded 2-core machine, far below a TCP timeout.
const MARGIN = 2000;

describe("reference server faults", () => {
  const scope = scenarioScope();

  async function reference(options: ServerOptions, onSocket: (socket: Socket, nth: number) => void): Promise<string> {
    let count = 0;
    const server = await startReferenceServer(options, (io) => io.on("connection", (socket) => onSocket(socket, ++count)));
    scope.defer(() => server.close());
    return server.url;
  }

  for (const transport of ["websocket", "polling"]) {
    it(`detects a hung server on ${transport} by heartbeat, then reconnects to a healthy session`, async () => {
      const hung: Socket[] = [];
      const url = await reference({ pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT }, (socket, nth) => {
        socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
        if (nth === 1) hung.push(socket);
      });
      const client = scope.client(url, { transports: [transport], reconnectionDelay: 50, reconnectionDelayMax: 100 });
      await next(client, "connect", 10_000);
      await next(client.io, "ping", 5000);
      const started = performance.now();
      const disconnected = next<[string]>(client, "disconnect", PING_INTERVAL + PING_TIMEOUT + MARGIN);
      // The process keeps its sockets open but neither reads nor writes nor pings.
      faultsOf(hung[0]!).stopAnswering();
      const [reason] = await disconnected;
      const detectedMs = since(started);
      expect(reason).toBe("ping timeout");
      await next(client, "connect", 10_000);
      expect(await client.timeout(2000).emitWithAck("echo", "back")).toBe("back");
      console.info(`[hung reference ${transport}] detected after ${detectedMs} ms (bound ${PING_INTERVAL + PING_TIMEOUT} + ${MARGIN})`);
    });
  }

  for (const transport of ["websocket", "polling"]) {
    it(`settles every emit exactly once when the server loses a quarter of its acks (${transport})`, async () => {
      const EMITS = 120;
      const random = seededRandom(transport === "websocket" ? 41 : 42);
      const receipts: number[] = [];
      let dropped = 0;
      const url = await reference({}, (socket) => {
        // Socket.IO ACK packets are Engine.IO messages whose text starts with "3".
        faultsOf(socket).dropOutgoing((p) => {
          const lost = p.type === "message" && typeof p.data === "string" && p.data.startsWith("3") && random() < 0.25;
          if (lost) dropped++;
          return lost;
        });
        socket.on("m", (seq: number, ack: (v: number) => void) => {
          receipts.push(seq);
          ack(seq * 2);
        });
      });
      const client = scope.client(url, { transports: [transport], ackTimeout: 100, retries: 10 });
      await next(client, "connect", 10_000);
      const settled = new Array<number>(EMITS).fill(0);
      const values: number[] = [];
      const errors: Error[] = [];
      const started = performance.now();
      for (let i = 0; i < EMITS; i++) {
        client.emit("m", i, (error: Error | null, value: number) => {
          settled[i]!++;
          if (error) errors.push(error);
          else values[i] = value;
        });
      }
      await until(() => settled.every((n) => n > 0), 60_000, "every ack settled");
      expect(settled.every((n) => n === 1)).toBe(true);
      expect(errors).toEqual([]);
      expect(values).toEqual(Array.from({ length: EMITS }, (_, i) => i * 2));
      // First receipts keep the send order; retries only add duplicates.
      const firsts = receipts.filter((seq, i) => receipts.indexOf(seq) === i);
      expect(firsts).toEqual(Array.from({ length: EMITS }, (_, i) => i));
      expect(dropped).toBeGreaterThan(0);
      expect(receipts.length - EMITS).toBeGreaterThanOrEqual(dropped);
      console.info(`[lost acks ${transport}] emits ${EMITS}, acks dropped ${dropped}, receipts ${receipts.length}, duplicates ${receipts.length - EMITS}, ${since(started)} ms`);
    });
  }
});
