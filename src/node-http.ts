/**
 * Polling requests for the Node client. The global `fetch` takes no agent and no TLS options,
 * so when any of them is set (`agent`, `ca`, `cert`, `key`, `pfx`, `passphrase`, `ciphers`,
 * `rejectUnauthorized`) the requests go through node:http or node:https with them, as they do
 * for the WebSocket request (through `ws`). Without them, `fetch` does the work.
 */
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { PollingResponse, TransportOptions } from "./transport/transport.js";

const NODE_KEYS = ["agent", "ca", "cert", "key", "pfx", "passphrase", "ciphers", "rejectUnauthorized"] as const;

/** One polling request: `fetch`, or node:http(s) when an agent or TLS option is set. */
export function nodeFetch(url: string, init: RequestInit, options: TransportOptions): Promise<PollingResponse> {
  const extra: Record<string, unknown> = {};
  for (const k of NODE_KEYS) if (options[k] !== undefined) extra[k] = options[k];
  return Object.keys(extra).length === 0 ? fetch(url, init) : requestWith(url, init, extra as RequestOptions);
}

function requestWith(url: string, init: RequestInit, extra: RequestOptions): Promise<PollingResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const headers = init.headers as Record<string, string> | undefined;
    const req = send(target, { ...extra, method: init.method ?? "GET", headers, signal: init.signal ?? undefined }, (res) => {
      res.setEncoding("utf8");
      let body = "";
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: () => Promise.resolve(body) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(typeof init.body === "string" ? init.body : undefined);
  });
}
