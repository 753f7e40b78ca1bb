/**
 * A sticky load balancer for the test cluster: plain HTTP and WebSocket upgrades on loopback.
 *
 * Routing is by the Engine.IO `sid`: a request without `sid` (a handshake) goes to the next
 * live backend in turn, and the `sid` in its answer is remembered for that backend; every
 * later request carrying the `sid` (polling GET/POST, the upgrade) goes to the same backend.
 * This is what cookie stickiness achieves in a browser, without needing a cookie jar in a Node
 * client. A backend that refuses a connection is marked down and gets no new handshakes.
 */
import http from "node:http";
import net from "node:net";

export interface Backend {
  name: string;
  port: number;
}

export interface StickyStats {
  /** Handshakes routed to each backend, by name. */
  handshakes: Record<string, number>;
  /** Requests carrying a sid this proxy never mapped (would be "Session ID unknown"). */
  unknownSids: number;
  /** Requests that could not reach their backend. */
  backendErrors: number;
}

const SID_IN_BODY = /"sid":"([^"]+)"/;

export class StickyProxy {
  readonly stats: StickyStats = { handshakes: {}, unknownSids: 0, backendErrors: 0 };
  private readonly sids = new Map<string, Backend>();
  private readonly down = new Set<string>();
  private readonly sockets = new Set<net.Socket>();
  private next = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly backends: readonly Backend[],
  ) {
    server.on("request", (req, res) => this.onRequest(req, res));
    server.on("upgrade", (req, socket: net.Socket, head) => this.onUpgrade(req, socket, head));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  static async start(backends: readonly Backend[]): Promise<StickyProxy> {
    const server = http.createServer();
    server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return new StickyProxy(server, backends);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Takes a backend out of rotation, as a health check would after it died. */
  markDown(name: string): void {
    this.down.add(name);
    for (const [sid, b] of this.sids) if (b.name === name) this.sids.delete(sid);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private pick(sid: string | null): Backend | undefined {
    if (sid !== null) {
      const known = this.sids.get(sid);
      if (!known) this.stats.unknownSids++;
      return known;
    }
    const live = this.backends.filter((b) => !this.down.has(b.name));
    const chosen = live[this.next++ % Math.max(1, live.length)];
    if (chosen) this.stats.handshakes[chosen.name] = (this.stats.handshakes[chosen.name] ?? 0) + 1;
    return chosen;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sid = new URL(req.url ?? "/", "http://x").searchParams.get("sid");
    const backend = this.pick(sid);
    if (!backend) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: 1, message: "Session ID unknown" }));
      return;
    }
    const headers = { ...req.headers };
    // The handshake answer is read for its sid, so it must come back uncompressed.
    if (sid === null) delete headers["accept-encoding"];
    const upstream = http.request(
      { host: "127.0.0.1", port: backend.port, method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        if (sid !== null) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          const body = Buffer.concat(chunks);
          const found = SID_IN_BODY.exec(body.toString("utf8"));
          if (found?.[1]) this.sids.set(found[1], backend);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
      },
    );
    upstream.on("error", (err: NodeJS.ErrnoException) => this.backendFailed(backend, err, () => res.destroy()));
    req.pipe(upstream);
  }

  private onUpgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    socket.on("error", () => {});
    const sid = new URL(req.url ?? "/", "http://x").searchParams.get("sid");
    const backend = this.pick(sid);
    if (!backend) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return;
    }
    const upstream = net.connect({ host: "127.0.0.1", port: backend.port });
    this.sockets.add(upstream);
    upstream.on("close", () => {
      this.sockets.delete(upstream);
      socket.destroy();
    });
    socket.on("close", () => upstream.destroy());
    upstream.on("error", (err: NodeJS.ErrnoException) => this.backendFailed(backend, err, () => socket.destroy()));
    upstream.on("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  }

  private backendFailed(backend: Backend, err: NodeJS.ErrnoException, end: () => void): void {
    this.stats.backendErrors++;
    if (err.code === "ECONNREFUSED") this.markDown(backend.name);
    end();
  }
}
