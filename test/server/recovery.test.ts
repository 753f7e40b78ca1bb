/** Connection state recovery (PROTOCOL.md 2.13) with the real socket.io-client 4.8. */
import { describe, expect, it } from "vitest";
import { faultsOf } from "../../src/server/testing.js";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();

describe("connection state recovery", () => {
  it("restores id, rooms, data and the missed events after a cut", async () => {
    const { io } = await h.start({ connectionStateRecovery: {} }, (server) =>
      server.on("connection", (s) => {
        if (!s.recovered) {
          s.join("news");
          s.data["n"] = 1;
        }
        s.emit("state", { recovered: s.recovered, rooms: [...s.rooms].filter((r) => r !== s.id), data: s.data });
      }),
    );
    const c = h.client("/", { transports: ["websocket"], reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 40 });
    const got: unknown[][] = [];
    c.on("news", (...args: unknown[]) => got.push(args));
    expect(await once(c, "state")).toEqual({ recovered: false, rooms: ["news"], data: { n: 1 } });
    const id = c.id;
    io.to("news").emit("news", "n1");
    for (let i = 0; i < 100 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got[0]?.[0]).toBe("n1");
    expect(typeof got[0]?.[1]).toBe("string");

    const [socket] = await io.fetchSockets();
    const down = once(c, "disconnect");
    faultsOf(socket!).cut();
    await down;
    io.to("news").emit("news", "n2");
    io.except("news").emit("news", "not for you");
    expect(await once(c, "state")).toEqual({ recovered: true, rooms: ["news"], data: { n: 1 } });
    expect(c.recovered).toBe(true);
    expect(c.id).toBe(id);
    expect(got.map((a) => a[0])).toEqual(["n1", "n2"]);
  });

  it("an unknown pid gets a fresh session", async () => {
    const { url } = await h.start({ connectionStateRecovery: {} });
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    await once(ws, "message");
    ws.send('40{"pid":"nope","offset":"x"}');
    const reply = String(await once(ws, "message"));
    expect(reply).toMatch(/^40\{"sid":"[\w-]{20}","pid":"[\w-]{20}"\}$/);
    ws.close();
  });
});
