/**
 * CORS for the reference server (PROTOCOL.md 1.13), shaped like the `cors` middleware the
 * reference server uses, with one addition: when `cors` is configured, a browser request from
 * an origin it does not allow is refused (403), on polling and on WebSocket, so that such a
 * page never gets a session. Same-origin pages and clients that send no `Origin` (Node) pass.
 * A wildcard origin is never sent together with credentials.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsOptions, CorsOrigin } from "./options.js";

const DEFAULT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

/** What the options say about one request's origin. */
export interface OriginVerdict {
  /** The `Access-Control-Allow-Origin` value, or `undefined` to send none. */
  readonly allowed: string | undefined;
  /** The answer depends on the request's origin (`Vary: Origin`): any rule but `false` and `"*"` without credentials. */
  readonly vary: boolean;
  /** A browser on another, not allowed origin sent the request. */
  readonly refused: boolean;
  /**
   * The rule is `false`, or the function answered no: as with the `cors` middleware, no CORS
   * headers, and a preflight is not answered but checked as any Engine.IO request.
   */
  readonly declined: boolean;
}

function matches(allowed: string | RegExp, origin: string): boolean {
  return typeof allowed === "string" ? allowed === origin : allowed.test(origin);
}

function allowOrigin(rule: Exclude<CorsOrigin, Function | false>, origin: string | undefined, credentials: boolean): string | undefined {
  if (rule === true) return origin;
  if (typeof rule === "string") return rule === "*" && credentials ? origin : rule;
  if (origin === undefined) return undefined;
  const list = rule instanceof RegExp ? [rule] : rule;
  return list.some((r) => matches(r, origin)) ? origin : undefined;
}

/** True when `origin` names the host the request was sent to (a page of this server). */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function verdict(allowed: string | undefined, vary: boolean, req: IncomingMessage, declined = false): OriginVerdict {
  const origin = req.headers.origin;
  const ok = origin === undefined || allowed === "*" || allowed === origin || sameOrigin(origin, req);
  return { allowed, vary, refused: !ok, declined };
}

/** Decides on the request's origin; `done` gets an error when the origin function failed. */
export function checkOrigin(options: CorsOptions, req: IncomingMessage, done: (error: Error | null, verdict: OriginVerdict) => void): void {
  const origin = req.headers.origin;
  const credentials = options.credentials === true;
  // The `cors` middleware's default.
  const rule = options.origin ?? "*";
  const decline = (error: Error | null) => done(error, verdict(undefined, false, req, true));
  if (!rule) return decline(null);
  if (typeof rule !== "function") return done(null, verdict(allowOrigin(rule, origin, credentials), rule !== "*" || credentials, req));
  rule(origin, (error, allow) => {
    if (error || !allow) return decline(error);
    done(null, verdict(allow === true ? origin : allow, allow !== "*", req));
  });
}

/** The CORS headers of a request that is not a preflight (a poll, a POST, a WebSocket's 101). */
export function corsHeaders(options: CorsOptions, { allowed, vary }: OriginVerdict): [string, string][] {
  const headers: [string, string][] = [];
  if (allowed !== undefined) headers.push(["Access-Control-Allow-Origin", allowed]);
  if (vary) headers.push(["Vary", "Origin"]);
  if (options.credentials === true && (vary || allowed !== undefined)) headers.push(["Access-Control-Allow-Credentials", "true"]);
  return headers;
}

/**
 * Sets the CORS headers of the verdict on `res` and answers a preflight (204). Returns true when
 * the request was a preflight and has been answered.
 */
export function writeCors(options: CorsOptions, verdict: OriginVerdict, req: IncomingMessage, res: ServerResponse): boolean {
  for (const [name, value] of corsHeaders(options, verdict)) res.setHeader(name, value);
  if (req.method !== "OPTIONS" || verdict.declined) return false;
  res.setHeader("Access-Control-Allow-Methods", (options.methods ?? []).join(",") || DEFAULT_METHODS);
  const requested = req.headers["access-control-request-headers"];
  const headers = options.allowedHeaders?.join(",") ?? requested;
  if (headers) res.setHeader("Access-Control-Allow-Headers", headers);
  if (options.allowedHeaders === undefined) res.setHeader("Vary", verdict.vary ? "Origin, Access-Control-Request-Headers" : "Access-Control-Request-Headers");
  if (options.maxAge !== undefined) res.setHeader("Access-Control-Max-Age", String(options.maxAge));
  res.setHeader("Content-Length", "0");
  res.writeHead(204).end();
  return true;
}
