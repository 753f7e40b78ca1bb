/**
 * The HTTP side of long-polling (PROTOCOL.md 1.5): writing a poll response (compressed when
 * large and accepted) and reading a POST body within `maxHttpBufferSize`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { deflateSync, gzipSync } from "node:zlib";
import { writeStatus } from "./http-errors.js";

const COMPRESSION_THRESHOLD = 1024;

const ENCODINGS = ["gzip", "deflate"] as const;
type Encoding = (typeof ENCODINGS)[number];

/**
 * The encoding engine.io picks (`accepts(req).encodings(["gzip", "deflate"])`): the highest
 * q, then an exact name over `*`, then the client's order, then gzip; none when q is 0.
 */
function pickEncoding(header: string): Encoding | undefined {
  const specs = header.split(",").map((part, order) => {
    const [name = "", ...params] = part.split(";").map((p) => p.trim());
    const q = params.find((p) => p.startsWith("q="));
    return { name: name.toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)), order };
  });
  let best: { encoding: Encoding; q: number; exact: number; order: number } | undefined;
  for (const encoding of ENCODINGS) {
    const spec = specs.find((s) => s.name === encoding) ?? specs.find((s) => s.name === "*");
    if (!spec || !(spec.q > 0)) continue;
    const exact = spec.name === encoding ? 1 : 0;
    if (!best || spec.q > best.q || (spec.q === best.q && (exact > best.exact || (exact === best.exact && spec.order < best.order)))) {
      best = { encoding, q: spec.q, exact, order: spec.order };
    }
  }
  return best?.encoding;
}

/** Answers a GET with a payload: `200 text/plain; charset=UTF-8`, never cached. */
export function writePayload(req: IncomingMessage, res: ServerResponse, body: string, compress: boolean): void {
  let data: Buffer = Buffer.from(body, "utf8");
  const headers: Record<string, string | number> = { "Content-Type": "text/plain; charset=UTF-8", "cache-control": "no-store" };
  const encoding = compress && data.length >= COMPRESSION_THRESHOLD ? pickEncoding(String(req.headers["accept-encoding"] ?? "")) : undefined;
  if (encoding) {
    data = encoding === "gzip" ? gzipSync(data) : deflateSync(data);
    headers["Content-Encoding"] = encoding;
  }
  headers["Content-Length"] = data.length;
  res.writeHead(200, headers).end(data);
}

/** Answers a POST that was accepted: `200 text/html`, body `ok`. */
export function writeOk(res: ServerResponse): void {
  res.writeHead(200, { "Content-Type": "text/html", "Content-Length": "2", "cache-control": "no-store" }).end("ok");
}

/**
 * Reads a POST body as UTF-8. A body over `limit` bytes is answered `413` and dropped
 * (`done` gets `undefined`); a request that ends before its body gets `undefined, true`.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, done: (body: string | undefined, aborted?: boolean) => void): void {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    writeStatus(res, 413);
    return done(undefined);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: string | undefined, aborted = false) => {
    if (finished) return;
    finished = true;
    done(body, aborted);
  };
  req.on("data", (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > limit) {
      writeStatus(res, 413);
      finish(undefined);
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => finish(Buffer.concat(chunks, size).toString("utf8")));
  req.on("close", () => finish(undefined, true));
  req.on("error", () => finish(undefined, true));
}
