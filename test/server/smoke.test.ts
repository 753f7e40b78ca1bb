import { afterEach, describe, expect, it } from "vitest";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { startReferenceServer, type ReferenceServer } from "../helpers/reference-server.js";

let server: ReferenceServer | undefined;
const clients: ClientSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await server?.close();
  server = undefined;
});

describe("smoke", () => {
  for (const transports of [["polling", "websocket"], ["websocket"], ["polling"]]) {
    it(`echo over ${transports.join("+")}`, async () => {
      server = await startReferenceServer({}, (io) =>
        io.on("connection", (socket) => socket.on("echo", (x: unknown, cb: (y: unknown) => void) => cb(x))),
      );
      const c = connect(server.url, { transports, forceNew: true });
      clients.push(c);
      const reply = await c.timeout(3000).emitWithAck("echo", { a: 1 });
      expect(reply).toEqual({ a: 1 });
      if (transports.length === 2) {
        await new Promise<void>((r) => (c.io.engine.transport.name === "websocket" ? r() : c.io.engine.once("upgrade", () => r())));
        expect(await c.timeout(3000).emitWithAck("echo", "after")).toBe("after");
      }
    });
  }
});
