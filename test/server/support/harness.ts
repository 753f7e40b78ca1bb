/** A reference server plus real socket.io-client 4.8 clients, all closed after each test. */
import { afterEach } from "vitest";
import { io as connect, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";
import type { Server, ServerOptions } from "../../../src/server/index.js";
import { startReferenceServer, type ReferenceServer } from "../../helpers/reference-server.js";

export interface Harness {
  start(options?: ServerOptions, setup?: (io: Server) => void): Promise<ReferenceServer>;
  client(nsp?: string, options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
}

/** Registers the cleanup hook of the calling test file. */
export function useHarness(): Harness {
  let server: ReferenceServer | undefined;
  const clients: ClientSocket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.io.reconnection(false);
      c.disconnect();
    }
    await server?.close();
    server = undefined;
  });
  return {
    async start(options = {}, setup) {
      server = await startReferenceServer(options, setup);
      return server;
    },
    client(nsp = "/", options = {}) {
      if (!server) throw new Error("start the server first");
      const c = connect(server.url + nsp, { forceNew: true, reconnection: false, ...options });
      clients.push(c);
      return c;
    },
  };
}

/** Resolves with the arguments of the next `event` on `target`. */
export function once<T = unknown>(target: { once(event: string, fn: (...args: never[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => target.once(event, ((value: T) => resolve(value)) as (...args: never[]) => void));
}

/** Resolves once every client is connected. */
export function connected(...clients: ClientSocket[]): Promise<void> {
  return Promise.all(clients.map((c) => (c.connected ? undefined : once(c, "connect")))).then(() => undefined);
}
