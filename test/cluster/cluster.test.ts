/**
 * volley clients against a real scaled Socket.IO deployment: three socket.io 4.8 processes
 * sharing state through @socket.io/redis-adapter on a real redis-server, behind a sticky
 * load balancer. Run once per transport setup: polling only, websocket only, and the default
 * polling → websocket upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io } from "../reliability/support/client.js";
import { next, until } from "../reliability/support/wait.js";
import { startCluster, type Cluster } from "./cluster.js";

type ClientSocket = ReturnType<typeof io>;

interface Member {
  socket: ClientSocket;
  node: string;
  id: string;
  /** Events received, by name. */
  got: Record<string, unknown[]>;
  disconnects: string[];
}

const MODES = [
  { mode: "polling", transports: ["polling"] },
  { mode: "websocket", transports: ["websocket"] },
  { mode: "upgrade", transports: undefined },
] as const;

const CLIENTS = 6;
const EVENTS = ["shout", "room-msg", "direct"];

async function join(url: string, transports: readonly string[] | undefined): Promise<Member> {
  const socket = io(url, {
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 300,
    ...(transports ? { transports: [...transports] } : {}),
  });
  const got: Record<string, unknown[]> = {};
  for (const event of EVENTS) {
    got[event] = [];
    socket.on(event, (msg: unknown) => got[event]?.push(msg));
  }
  const disconnects: string[] = [];
  socket.on("disconnect", (reason: string) => disconnects.push(reason));
  await next(socket, "connect", 10_000);
  const me = (await socket.timeout(5000).emitWithAck("whoami")) as { node: string; id: string };
  return { socket, node: me.node, id: me.id, got, disconnects };
}

function received(m: Member, event: string): unknown[] {
  return m.got[event] ?? [];
}

for (const { mode, transports } of MODES) {
  describe(`cluster of 3 socket.io nodes + redis adapter, clients on ${mode}`, () => {
    let cluster: Cluster;
    const members: Member[] = [];

    beforeAll(async () => {
      cluster = await startCluster(3);
      // One at a time, so the balancer's rotation puts two clients on each node.
      for (let i = 0; i < CLIENTS; i++) members.push(await join(cluster.proxy.url, transports));
      if (mode === "upgrade") {
        await until(() => members.every((m) => m.socket.io.engine.transport.name === "websocket"), 10_000, "upgrade");
      }
    }, 60_000);

    afterAll(async () => {
      for (const m of members) m.socket.disconnect();
      await cluster?.stop();
    });

    const on = (node: string): Member[] => members.filter((m) => m.node === node);

    it("spreads clients over the three nodes; socket ids match the server's", () => {
      expect(on("A")).toHaveLength(2);
      expect(on("B")).toHaveLength(2);
      expect(on("C")).toHaveLength(2);
      for (const m of members) expect(m.socket.id).toBe(m.id);
    });

    it("a broadcast from a client on A reaches every client on A, B and C", async () => {
      on("A")[0]?.socket.emit("shout", `${mode}-1`);
      await until(() => members.every((m) => received(m, "shout").includes(`${mode}-1`)), 10_000, "broadcast");
    });

    it("rooms and io.to(socketId) work across nodes", async () => {
      const [a0, a1] = on("A");
      const [b0, b1] = on("B");
      const [c0, c1] = on("C");
      if (!a0 || !a1 || !b0 || !b1 || !c0 || !c1) throw new Error("cluster spread is wrong");
      const room = `room-${mode}`;
      const inRoom = [a1, b0, c1];
      for (const m of inRoom) await m.socket.timeout(5000).emitWithAck("join", room);
      b1.socket.emit("to-room", room, "r1");
      a0.socket.emit("to-id", c0.id, "d1");
      // A broadcast after them is a marker: per-node order is kept, so anyone who would have
      // received the room or direct message has it by the time the marker arrives.
      await until(() => inRoom.every((m) => received(m, "room-msg").includes("r1")), 10_000, "room message");
      await until(() => received(c0, "direct").includes("d1"), 10_000, "direct message");
      a0.socket.emit("shout", `${mode}-marker`);
      await until(() => members.every((m) => received(m, "shout").includes(`${mode}-marker`)), 10_000, "marker");
      for (const m of members) {
        expect(received(m, "room-msg")).toEqual(inRoom.includes(m) ? ["r1"] : []);
        expect(received(m, "direct")).toEqual(m === c0 ? ["d1"] : []);
      }
    });

    it("fetchSockets() on one node sees the sockets of every node", async () => {
      const asker = on("C")[0];
      const ids = (await asker?.socket.timeout(8000).emitWithAck("fetch")) as string[];
      expect([...ids].sort()).toEqual(members.map((m) => m.id).sort());
    });

    it("sessions stay on their node: every request lands where the session lives", async () => {
      for (let round = 0; round < 20; round++) {
        const replies = (await Promise.all(
          members.map((m) => m.socket.timeout(5000).emitWithAck("echo", round)),
        )) as { node: string; n: number }[];
        replies.forEach((r, i) => expect(r).toEqual({ node: members[i]?.node, n: round }));
      }
      const stats = await Promise.all(cluster.nodes.map((n) => n.stats()));
      expect(stats.flatMap((s) => s.connectionErrors)).toEqual([]);
      expect(cluster.proxy.stats.unknownSids).toBe(0);
      for (const m of members) expect(m.disconnects).toEqual([]);
      console.info(`[cluster ${mode}] handshakes per node`, cluster.proxy.stats.handshakes);
    });

    it("killing node C moves its clients to A or B, and nothing is lost afterwards", async () => {
      const moved = on("C");
      const stayed = members.filter((m) => m.node !== "C");
      const reconnected = moved.map((m) => next(m.socket, "connect", 20_000));
      const started = performance.now();
      await cluster.nodes[2]?.kill();
      await Promise.all(reconnected);
      const took = Math.round(performance.now() - started);
      for (const m of moved) {
        const me = (await m.socket.timeout(5000).emitWithAck("whoami")) as { node: string; id: string };
        expect(["A", "B"]).toContain(me.node);
        expect(m.disconnects.length).toBe(1);
        m.node = me.node;
        m.id = me.id;
      }
      for (const m of stayed) expect(m.disconnects).toEqual([]);
      const liveNodes = cluster.nodes.filter((n) => n.alive);
      const shoutsAt = async (): Promise<number> =>
        (await Promise.all(liveNodes.map((n) => n.stats()))).reduce((sum, s) => sum + (s.received["shout"] ?? 0), 0);
      const serverBefore = await shoutsAt();
      const before = members.map((m) => received(m, "shout").length);
      const burst = 25;
      for (let i = 0; i < burst; i++) members[i % CLIENTS]?.socket.emit("shout", `${mode}-after-${i}`);
      await until(
        () => members.every((m, i) => received(m, "shout").length === (before[i] ?? 0) + burst),
        15_000,
        "every client receives every broadcast after the kill",
      );
      expect((await shoutsAt()) - serverBefore).toBe(burst);
      console.info(
        `[cluster ${mode}] node C killed: ${moved.length} clients back on A/B after ${took} ms; ` +
          `${burst} broadcasts x ${CLIENTS} clients delivered exactly; proxy backend errors ${cluster.proxy.stats.backendErrors}`,
      );
    });
  });
}
