/**
 * Client-side security checks: the auth payload travels only inside the Socket.IO CONNECT
 * packet (never in a URL, never in what the `logger` option receives), and `extraHeaders` and
 * cookies go only to the origin the client was configured for, never to another server (not
 * after a redirect, not through the manager cache).
 */
import http from "node:http";
import type net from "node:net";
import { describe, expect, it } from "vitest";
import { scenarioScope } from "./support/scope.js";
import { startSocketIo } from "./support/servers.js";
import { next } from "./support/wait.js";

const SECRET = "s3cret-token-7f1c";

/** A plain HTTP server that records every request's headers and answers `respond`. */
async function recorder(
  respond: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_q, res) => res.writeHead(404).end(),
): Promise<{ url: string; seen: http.IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    respond(req, res);
  });
  server.on("upgrade", (req, socket: net.Socket) => {
    seen.push(req.headers);
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("client security", () => {
  const scope = scenarioScope();

  for (const transport of ["polling", "websocket"]) {
    it(`auth goes in the CONNECT packet only: not in URLs, not in logs (${transport})`, async () => {
      const server = await startSocketIo();
      scope.defer(() => server.close());
      const auths: unknown[] = [];
      server.io.use((socket, nextFn) => {
        auths.push(socket.handshake.auth);
        nextFn();
      });
      server.io.on("connection", (s) => s.on("echo", (n: number, ack: (n: number) => void) => ack(n)));
      const logs: unknown[] = [];
      const client = scope.client(`http://127.0.0.1:${server.port}`, {
        transports: [transport],
        auth: { token: SECRET },
        logger: (event: unknown) => logs.push(event),
      });
      await next(client, "connect", 5000);
      expect(await client.timeout(2000).emitWithAck("echo", 1)).toBe(1);
      client.disconnect();
      expect(auths).toEqual([{ token: SECRET }]);
      expect(server.urls.length).toBeGreaterThan(0);
      expect(server.urls.filter((u) => u.includes(SECRET))).toEqual([]);
      const logged = JSON.stringify(logs, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
      expect(logged.includes(SECRET)).toBe(false);
    });
  }

  it("extraHeaders reach the configured origin and never another server's", async () => {
    const server = await startSocketIo();
    scope.defer(() => server.close());
    const headers: http.IncomingHttpHeaders[] = [];
    server.io.engine.on("initial_headers", (_h: unknown, req: http.IncomingMessage) => headers.push(req.headers));
    const other = await recorder();
    scope.defer(other.close);
    const withHeaders = scope.client(`http://127.0.0.1:${server.port}`, {
      transports: ["polling", "websocket"],
      extraHeaders: { "x-api-key": SECRET },
    });
    await next(withHeaders, "connect", 5000);
    // A second client for another origin, created from the same process and options cache.
    const plain = scope.client(other.url, { transports: ["polling"], reconnection: false, timeout: 1000 });
    await next(plain, "connect_error", 5000);
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((h) => h["x-api-key"] === SECRET)).toBe(true);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.filter((h) => JSON.stringify(h).includes(SECRET))).toEqual([]);
  });

  it("a redirect to another origin does not carry extraHeaders or credentials there", async () => {
    const elsewhere = await recorder();
    scope.defer(elsewhere.close);
    const redirecting = await recorder((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}${req.url ?? "/"}` }).end();
    });
    scope.defer(redirecting.close);
    const client = scope.client(redirecting.url, {
      transports: ["polling"],
      reconnection: false,
      timeout: 1500,
      withCredentials: true,
      extraHeaders: { authorization: `Bearer ${SECRET}`, "x-api-key": SECRET },
    });
    await next(client, "connect_error", 5000);
    expect(redirecting.seen.length).toBeGreaterThan(0);
    expect(redirecting.seen.every((h) => h["x-api-key"] === SECRET)).toBe(true);
    expect(elsewhere.seen.filter((h) => JSON.stringify(h).includes(SECRET))).toEqual([]);
  });
});
