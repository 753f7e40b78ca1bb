/**
 * Starts a real socket.io 4.8 server on 127.0.0.1, port 0, for tests that need the reference
 * peer. `close()` disconnects every client and stops listening.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { listenLocal } from "./listen.js";

export interface SocketIoServer {
  readonly io: Server;
  readonly http: HttpServer;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startSocketIoServer(options: Partial<ServerOptions> = {}): Promise<SocketIoServer> {
  const http = createServer();
  const io = new Server(http, options);
  const port = await listenLocal(http);
  return {
    io,
    http,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
