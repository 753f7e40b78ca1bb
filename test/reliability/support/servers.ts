/**
 * Servers for the reliability scenarios: the real socket.io 4.8 server on 127.0.0.1 port 0,
 * optionally behind a chaos proxy. close() ends every connection at once (no graceful wait),
 * so a test never hangs on a client that is being starved on purpose.
 */
import type net from "node:net";
import type { Server, ServerOptions } from "socket.io";
import { ChaosProxy } from "../../helpers/chaos-proxy.js";
import { startSocketIoServer } from "../../helpers/socketio-server.js";
import { startReferenceServer } from "../../helpers/reference-server.js";

export interface RunningServer {
  io: Server;
  port: number;
  /** Request URLs seen by the HTTP server (polling requests and WebSocket upgrades). */
  urls: string[];
  close(): Promise<void>;
}

export async function startSocketIo(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const { io, http: httpServer, port, close } = await startSocketIoServer(options);
  const sockets = new Set<net.Socket>();
  const urls: string[] = [];
  httpServer.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  httpServer.prependListener("request", (req) => urls.push(req.url ?? ""));
  httpServer.prependListener("upgrade", (req) => urls.push(req.url ?? ""));
  return {
    io,
    port,
    urls,
    async close() {
      for (const s of sockets) s.destroy();
      await close();
    },
  };
}

/** A socket.io server with a chaos proxy in front of it; close() stops both. */
export async function behindProxy(
  options: Partial<ServerOptions> = {},
  seed = 1,
): Promise<{ server: RunningServer; proxy: ChaosProxy; close: () => Promise<void> }> {
  const server = await startSocketIo(options);
  const proxy = await ChaosProxy.start({ target: server.port, seed });
  return {
    server,
    proxy,
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

/** True for a volley error: an Error with a stable `ERR_...` code. */
export function isTypedError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code: unknown = (err as Error & { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("ERR_");
}

/** The volley reference server with a chaos proxy in front of it; close() stops both. */
export async function referenceBehindProxy(
  options: { pingInterval?: number; pingTimeout?: number } = {},
  seed = 1,
): Promise<{ proxy: ChaosProxy; close: () => Promise<void> }> {
  const server = await startReferenceServer(options);
  const proxy = await ChaosProxy.start({ target: server.port, seed });
  return {
    proxy,
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}
