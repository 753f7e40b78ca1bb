/**
 * CORS headers for polling requests (PROTOCOL.md 1.13), shaped like the `cors` middleware the
 * reference server uses. A wildcard origin is never sent together with credentials.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsOptions, CorsOrigin } from "./options.js";

const DEFAULT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

function matches(allowed: string | RegExp, origin: string): boolean {
  return typeof allowed === "string" ? allowed === origin : allowed.test(origin);
}

/** The `Access-Control-Allow-Origin` value for `origin`, or `undefined` to send none. */
function allowOrigin(rule: Exclude<CorsOrigin, Function>, origin: string | undefined, credentials: boolean): string | undefined {
  if (rule === false) return undefined;
  if (rule === true) return origin ?? (credentials ? undefined : "*");
  if (typeof rule === "string") return rule === "*" && credentials ? origin : rule;
  if (origin === undefined) return undefined;
  const list = rule instanceof RegExp ? [rule] : rule;
  return list.some((r) => matches(r, origin)) ? origin : undefined;
}

/**
 * Sets the CORS headers on `res`; answers a preflight itself (204). Calls `next` for every
 * other request, or with an error when the origin function failed.
 */
export function applyCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const origin = req.headers.origin;
  const credentials = options.credentials === true;
  const rule = options.origin ?? true;
  if (typeof rule === "function") {
    rule(origin, (error, allow) => {
      if (error) {
        res.writeHead(500).end();
        return;
      }
      const resolved = typeof allow === "string" ? allow : allow === true && origin !== undefined ? origin : false;
      finish(options, resolved === false ? undefined : resolved, credentials, req, res, next);
    });
    return;
  }
  finish(options, allowOrigin(rule, origin, credentials), credentials, req, res, next);
}

function finish(
  options: CorsOptions,
  allowed: string | undefined,
  credentials: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  if (allowed !== undefined) res.setHeader("Access-Control-Allow-Origin", allowed);
  if (allowed !== undefined && allowed !== "*") res.setHeader("Vary", "Origin");
  if (credentials && allowed !== undefined) res.setHeader("Access-Control-Allow-Credentials", "true");
  if (req.method !== "OPTIONS") {
    next();
    return;
  }
  res.setHeader("Access-Control-Allow-Methods", (options.methods ?? []).join(",") || DEFAULT_METHODS);
  const requested = req.headers["access-control-request-headers"];
  const headers = options.allowedHeaders?.join(",") ?? requested;
  if (headers) res.setHeader("Access-Control-Allow-Headers", headers);
  if (options.allowedHeaders === undefined) res.setHeader("Vary", allowed !== undefined && allowed !== "*" ? "Origin, Access-Control-Request-Headers" : "Access-Control-Request-Headers");
  if (options.maxAge !== undefined) res.setHeader("Access-Control-Max-Age", String(options.maxAge));
  res.setHeader("Content-Length", "0");
  res.writeHead(204).end();
}
