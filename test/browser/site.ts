/**
 * A test site for the browser tests: the volley reference server attached to an HTTP server on
 * 127.0.0.1 (port 0) whose own handler serves the test pages and the built dist/ files.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Server } from "../../src/server/index.js";
import { distPath } from "../dist/dist.js";
import { listenLocal } from "../helpers/listen.js";

export interface Page {
  body: string;
  type?: string;
  headers?: Record<string, string>;
}

export interface Site {
  readonly io: Server;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Engine.IO requests seen, as `GET transport=polling` / `UPGRADE transport=websocket sid` (cleared by the tests). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves /dist/<file> from the build, else the given pages. */
async function serve(pages: Record<string, Page>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const page = pages[path];
  if (page) {
    res.writeHead(200, { "content-type": page.type ?? "text/html; charset=utf-8", ...page.headers }).end(page.body);
  } else if (/^\/dist\/[\w.-]+\.m?js$/.test(path)) {
    res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(distPath(path.slice("/dist/".length))));
  } else {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}

export async function startSite(pages: Record<string, Page>, setup: (io: Server) => void): Promise<Site> {
  const http = createServer((req, res) => {
    serve(pages, req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  const io = new Server(http, { pingInterval: 300, pingTimeout: 300 });
  setup(io);
  const requests: string[] = [];
  const record = (kind: string) => (req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith("/socket.io/") || !url.searchParams.has("EIO")) return;
    const sid = url.searchParams.has("sid") ? " sid" : "";
    requests.push(`${kind === "upgrade" ? "UPGRADE" : req.method} transport=${url.searchParams.get("transport")}${sid}`);
  };
  http.prependListener("request", record("request"));
  http.prependListener("upgrade", record("upgrade"));
  const port = await listenLocal(http);
  return {
    io,
    requests,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      await io.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** An HTML page that runs the given scripts in order. */
export function html(title: string, scripts: string): Page {
  return { body: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${scripts}</body></html>` };
}
