/**
 * The HTTP side of long-polling (PROTOCOL.md 1.5): writing a poll response (compressed when
 * large and accepted) and reading a POST body within `maxHttpBufferSize`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { deflateRawSync, gzipSync } from "node:zlib";
import { writeStatus } from "./http-errors.js";

const COMPRESSION_THRESHOLD = 1024;

/** Answers a GET with a payload: `200 text/plain; charset=UTF-8`, never cached. */
export function writePayload(req: IncomingMessage, res: ServerResponse, body: string, compress: boolean): void {
  let data: Buffer = Buffer.from(body, "utf8");
  const headers: Record<string, string | number> = { "Content-Type": "text/plain; charset=UTF-8", "cache-control": "no-store" };
  if (compress && data.length >= COMPRESSION_THRESHOLD) {
    const accepted = String(req.headers["accept-encoding"] ?? "");
    if (/\bgzip\b/.test(accepted)) {
      data = gzipSync(data);
      headers["Content-Encoding"] = "gzip";
    } else if (/\bdeflate\b/.test(accepted)) {
      data = deflateRawSync(data);
      headers["Content-Encoding"] = "deflate";
    }
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
 * (`done` gets `undefined`); an aborted request gives `undefined` too.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number, done: (body: string | undefined) => void): void {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    writeStatus(res, 413);
    return done(undefined);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: string | undefined) => {
    if (finished) return;
    finished = true;
    done(body);
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
  req.on("close", () => finish(undefined));
  req.on("error", () => finish(undefined));
}
