/**
 * The client session wired to the server session in memory (h11-style connection pair): no
 * sockets, time is a number the test moves. Frames cross in WebSocket form, or as polling
 * payloads through the codec, exactly as the transports would carry them.
 */
import { describe, expect, it } from "vitest";
import type { Frame } from "../../src/protocol/binary.js";
import {
  ClientSession,
  PROBE_PING,
  type SessionEvent,
} from "../../src/protocol/engine/client-session.js";
import { decodePacket, decodePayload, encodePacket, encodePayload, payloadPrefix } from "../../src/protocol/engine/codec.js";
import type { EnginePacket } from "../../src/protocol/engine/packet.js";
import { ServerSession, type ServerSessionEvent } from "../../src/protocol/engine/server-session.js";

const CONFIG = { sid: "pair", upgrades: [] as string[], pingInterval: 1000, pingTimeout: 500, maxPayload: 60, upgradeTimeout: 1000 };

class Pair {
  now = 0;
  readonly client = new ClientSession();
  readonly server: ServerSession;
  readonly toClient: unknown[] = [];
  readonly toServer: unknown[] = [];
  readonly clientEvents: SessionEvent[] = [];
  readonly serverEvents: ServerSessionEvent[] = [];
  /** Payload sizes of client→server polling bodies. */
  readonly bodies: number[] = [];

  constructor(
    private readonly polling: boolean,
    upgrades: string[] = [],
  ) {
    this.server = new ServerSession({ ...CONFIG, upgrades }, this.now);
  }

  /** Moves every waiting frame both ways until nothing is left. */
  pump(dropClientToServer = false): void {
    for (let rounds = 0; rounds < 50; rounds++) {
      let moved = false;
      if (this.server.hasPackets) {
        moved = true;
        this.deliverToClient(this.server.takePackets());
      }
      const frames = this.client.takeFrames(this.polling ? payloadPrefix : undefined);
      if (frames.length > 0) {
        moved = true;
        if (!dropClientToServer) this.deliverToServer(frames);
      }
      this.drainEvents();
      if (!moved) return;
    }
    throw new Error("the pair does not settle");
  }

  /** Advances time to `to`, waking each side at its own deadlines, pumping in between. */
  advance(to: number, dropClientToServer = false): void {
    while (this.now < to) {
      const next = Math.min(to, this.server.nextDeadline(), this.client.nextDeadline() ?? Infinity);
      this.now = Math.max(this.now, next);
      this.server.handleTimeout(this.now);
      this.client.handleTimeout(this.now);
      this.pump(dropClientToServer);
      if (this.client.isClosed || this.server.isClosed) return;
      if (next === to) break;
    }
  }

  private deliverToClient(packets: EnginePacket[]): void {
    const frames: Frame[] = this.polling
      ? decodePayload(encodePayload(packets)).packets.map(encodePacket)
      : packets.map(encodePacket);
    for (const f of frames) {
      const message = this.client.receive(f, this.now);
      if (message !== undefined) this.toClient.push(message);
    }
  }

  private deliverToServer(frames: Frame[]): void {
    let packets: EnginePacket[];
    if (this.polling) {
      const body = frames.map((f) => (typeof f === "string" ? f : "")).join("\x1e");
      this.bodies.push(new TextEncoder().encode(body).length);
      packets = decodePayload(body).packets;
    } else {
      packets = frames.map((f) => decodePacket(f) as EnginePacket);
    }
    for (const p of packets) this.server.receive(p, this.now);
  }

  private drainEvents(): void {
    for (let e = this.client.pollOutput(); e; e = this.client.pollOutput()) this.clientEvents.push(e);
    for (let e = this.server.pollOutput(); e; e = this.server.pollOutput()) {
      this.serverEvents.push(e);
      if (e.type === "message") this.toServer.push(e.data);
    }
  }
}

describe.each([
  ["websocket", false],
  ["polling", true],
])("client session paired with the server session over %s", (_, polling) => {
  it("opens and carries messages both ways", () => {
    const pair = new Pair(polling);
    pair.pump();
    expect(pair.clientEvents[0]).toMatchObject({ type: "open", handshake: { sid: "pair", maxPayload: 60 } });
    pair.client.send('0{"token":"x"}', pair.now);
    pair.server.send('0{"sid":"abc"}');
    pair.pump();
    expect(pair.toServer).toEqual(['0{"token":"x"}']);
    expect(pair.toClient).toEqual(['0{"sid":"abc"}']);
  });

  it("keeps the heartbeat alive over many intervals", () => {
    const pair = new Pair(polling);
    pair.pump();
    pair.advance(20_000);
    expect(pair.client.isOpen).toBe(true);
    expect(pair.server.isClosed).toBe(false);
    expect(pair.clientEvents.filter((e) => e.type === "ping").length).toBeGreaterThanOrEqual(19);
  });

  it("the server times out a client whose pongs are lost; the client times out a silent server", () => {
    const lost = new Pair(polling);
    lost.pump();
    lost.advance(5000, true);
    expect(lost.serverEvents.at(-1)).toEqual({ type: "close", reason: "ping timeout" });

    const silent = new Pair(polling);
    silent.pump();
    silent.client.handleTimeout(silent.now + 1499);
    expect(silent.client.isOpen).toBe(true);
    silent.client.handleTimeout(silent.now + 1500);
    expect(silent.client.pollOutput()).toEqual({ type: "close", reason: "ping timeout", opened: true });
  });

  it("batches client payloads within the server's maxPayload; every message arrives", () => {
    const pair = new Pair(polling);
    pair.pump();
    const sent = Array.from({ length: 12 }, (_, i) => `2["e",${i}]`);
    for (const m of sent) pair.client.send(m, pair.now);
    pair.pump();
    expect(pair.toServer).toEqual(sent);
    if (polling) {
      expect(pair.bodies.length).toBeGreaterThan(1);
      expect(Math.max(...pair.bodies)).toBeLessThanOrEqual(60);
    }
  });
});

describe("client and server sessions: upgrade in memory", () => {
  it("probe, pause with noops, upgrade, then messages on the new transport", () => {
    const pair = new Pair(true, ["websocket"]);
    pair.pump();
    expect(pair.server.startProbe(pair.now)).toBe(true);
    pair.server.receive(decodePacket(PROBE_PING) as EnginePacket, pair.now, true);
    const probe = pair.server.pollOutput();
    expect(probe).toEqual({ type: "probe", frame: "3probe" });
    pair.client.paused = true;
    pair.client.send("held", pair.now);
    pair.pump(); // the pending poll is released by a noop; the held message stays
    expect(pair.toServer).toEqual([]);
    for (const f of pair.client.completeUpgrade()) pair.server.receive(decodePacket(f) as EnginePacket, pair.now, true);
    expect(pair.server.pollOutput()).toEqual({ type: "upgrade" });
    pair.pump();
    expect(pair.toServer).toEqual(["held"]);
    pair.advance(5000);
    expect(pair.client.isOpen).toBe(true);
  });
});
