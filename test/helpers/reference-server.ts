/**
 * Starts the volley reference server on 127.0.0.1, port 0, for tests that need a server.
 * `close()` closes every session, every HTTP connection and the listener.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "../../src/server/index.js";
import { listenLocal } from "./listen.js";

export interface ReferenceServer {
  readonly io: Server;
  readonly http: HttpServer;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startReferenceServer(options: ServerOptions = {}, setup?: (io: Server) => void): Promise<ReferenceServer> {
  const http = createServer();
  const io = new Server(http, options);
  setup?.(io);
  const port = await listenLocal(http);
  return {
    io,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = io.close();
      http.closeAllConnections();
      await closed;
    },
  };
}
