/**
 * Serves the client bundle from the package's dist/ at `{path}volley.min.js` and, for pages
 * written for Socket.IO, at `{path}socket.io.js` (plus the source maps), with an ETag.
 * dist/ is found by walking up from this module to the package root, so the same code works
 * from dist/server.mjs, dist/server.cjs and the sources.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES: Readonly<Record<string, string>> = {
  "volley.min.js": "volley.min.js",
  "volley.min.js.map": "volley.min.js.map",
  "socket.io.js": "volley.min.js",
  "socket.io.js.map": "volley.min.js.map",
};

interface Cached {
  readonly body: Buffer;
  readonly etag: string;
}

function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "volley") return dir;
      } catch {
        // Not a manifest we can read: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export class ClientFiles {
  private readonly cache = new Map<string, Cached>();
  private readonly dist: string | undefined;

  constructor(private readonly path: string) {
    const root = packageRoot();
    this.dist = root === undefined ? undefined : join(root, "dist");
  }

  /** Answers the request when it asks for a client file; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? "";
    if (!url.startsWith(this.path)) return false;
    const name = url.slice(this.path.length).split("?")[0] ?? "";
    const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
    if (file === undefined || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const cached = this.load(file);
    if (!cached) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("client bundle not built");
      return true;
    }
    const headers = { ETag: cached.etag, "Cache-Control": "public, max-age=0" };
    if (req.headers["if-none-match"] === cached.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    const type = file.endsWith(".map") ? "application/json" : "application/javascript; charset=utf-8";
    res.writeHead(200, { ...headers, "Content-Type": type, "Content-Length": cached.body.length });
    res.end(req.method === "HEAD" ? undefined : cached.body);
    return true;
  }

  private load(file: string): Cached | undefined {
    const hit = this.cache.get(file);
    if (hit) return hit;
    if (this.dist === undefined) return undefined;
    let body: Buffer;
    try {
      body = readFileSync(join(this.dist, file));
    } catch {
      return undefined;
    }
    const entry = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
    this.cache.set(file, entry);
    return entry;
  }
}
