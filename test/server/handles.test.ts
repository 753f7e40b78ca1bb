/**
 * After io.close(), no timer, socket or listener of the server is left (counted, not assumed).
 * Handles are tracked from their creation, so the test runner's own timers (its RPC with the
 * main process, busy under load) never count as ours.
 */
import { createHook } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { startReferenceServer } from "../helpers/reference-server.js";

const TRACKED = new Set(["Timeout", "TCPWRAP", "TCPSERVERWRAP"]);
const RUNNER = /[\\/]node_modules[\\/](vitest|@vitest|tinypool|birpc)[\\/]/;

function trackHandles() {
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (!TRACKED.has(type)) return;
      const stack = new Error().stack ?? "";
      if (!RUNNER.test(stack)) live.set(id, `${type}\n${stack}`);
    },
    destroy(id) {
      live.delete(id);
    },
  });
  hook.enable();
  return { live: () => [...live.values()], stop: () => hook.disable() };
}

describe("handles", () => {
  it("closing the server releases every timer and socket it created", async () => {
    const handles = trackHandles();
    try {
      const server = await startReferenceServer({ pingInterval: 200, pingTimeout: 200, connectionStateRecovery: {} }, (io) =>
        io.on("connection", (s) => {
          s.join("room");
          s.timeout(10_000).emit("pending", () => undefined);
        }),
      );
      const clients = [["polling", "websocket"], ["websocket"], ["polling"]].map((transports) =>
        connect(server.url, { forceNew: true, reconnection: false, transports }),
      );
      await Promise.all(clients.map((c) => new Promise<void>((r) => c.once("connect", () => r()))));
      expect(handles.live().some((h) => h.startsWith("Timeout"))).toBe(true);
      const listeners = server.http.listenerCount("request") + server.http.listenerCount("upgrade");
      for (const c of clients) c.disconnect();
      await server.close();
      expect(server.http.listenerCount("request") + server.http.listenerCount("upgrade")).toBeLessThan(listeners);
      // Sockets and timers go away a few turns after close; a leaked ping or ack timer never does.
      const until = Date.now() + 2_000;
      while (handles.live().length > 0 && Date.now() < until) await new Promise((r) => setImmediate(r));
      expect(handles.live()).toEqual([]);
    } finally {
      handles.stop();
    }
  });
});
