/**
 * The Engine.IO v4 server: routes the polling requests and WebSocket upgrades under `path`,
 * checks them in the reference order (PROTOCOL.md 1.12), creates sessions and hands each one
 * to `onConnection`. Every raw socket gets an error handler from the first byte.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { sessionCookie } from "./cookie.js";
import { checkOrigin, corsHeaders, writeCors } from "./cors.js";
import { EngineConnection } from "./engine-connection.js";
import { ErrorCode, refuseUpgrade, writeError, type RequestError } from "./http-errors.js";
import type { ResolvedOptions, TransportName } from "./options.js";

const INVALID_HEADER = /[^\t\x20-\x7e\x80-\xff]/;
/** An unhandled upgrade on another path is destroyed after this long (CVE-2022-41940). */
const DESTROY_UPGRADE_AFTER = 1000;

function noop(): void {}

/** Session ids: 20 characters of `[A-Za-z0-9_-]`, as the reference makes them. */
export function newId(): string {
  return randomBytes(15).toString("base64url");
}

type Verified = { ok: true } | { ok: false; error: RequestError };

const FORBIDDEN_ORIGIN: RequestError = { code: ErrorCode.FORBIDDEN, message: "Origin not allowed" };
const BAD_REQUEST: RequestError = { code: ErrorCode.BAD_REQUEST };

/** Emits `connection` with each new `EngineConnection`, as engine.io's server does. */
export class EngineServer extends EventEmitter {
  readonly clients = new Map<string, EngineConnection>();
  private readonly wss: WebSocketServer;
  private readonly transports: Record<string, true>;
  /** Extra headers of an accepted upgrade's 101. */
  private readonly upgradeHeaders = new WeakMap<IncomingMessage, [string, string][]>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly onConnection: (conn: EngineConnection) => void,
  ) {
    super();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxHttpBufferSize, perMessageDeflate: false, clientTracking: false });
    this.wss.on("headers", (lines: string[], req: IncomingMessage) => {
      for (const [name, value] of this.upgradeHeaders.get(req) ?? []) lines.push(`${name}: ${value}`);
    });
    // An own-property map: `__proto__` or `toString` are unknown transports (CVE-2023-31125).
    this.transports = Object.create(null) as Record<string, true>;
    for (const t of options.transports) this.transports[t] = true;
  }

  /** True when `url` is an Engine.IO request under the configured path. */
  matches(url: string | undefined): boolean {
    return url !== undefined && url.startsWith(this.options.path);
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    req.socket.on("error", noop);
    const run = () => this.verify(req, false, (v) => (v.ok ? this.route(req, res) : writeError(res, v.error)));
    const cors = this.options.cors;
    if (!cors) return run();
    checkOrigin(cors, req, (error, verdict) => {
      // engine.io's answer to a middleware that failed
      if (error) return writeError(res, BAD_REQUEST);
      if (writeCors(cors, verdict, req, res)) return;
      // A declined preflight is checked as engine.io checks it; an OPTIONS never opens a session.
      if (verdict.refused && req.method !== "OPTIONS") return writeError(res, FORBIDDEN_ORIGIN);
      run();
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", noop);
    const run = () =>
      this.verify(req, true, (v) => {
        // engine.io takes no upgrades without the websocket transport: Node answers them as requests.
        if (!v.ok) return refuseUpgrade(socket, v.error, { json: this.transports["websocket"] !== true });
        this.wss.handleUpgrade(req, socket, head, (ws) => this.onWebSocket(req, ws));
      });
    const cors = this.options.cors;
    if (!cors) return run();
    // WebSocket is outside CORS: browsers connect from any page, so the server checks Origin.
    checkOrigin(cors, req, (error, verdict) => {
      if (error) return refuseUpgrade(socket, BAD_REQUEST);
      if (verdict.refused) return refuseUpgrade(socket, FORBIDDEN_ORIGIN, { status: 403 });
      // engine.io runs its cors middleware on upgrades too: the 101 carries the same headers as a poll.
      this.upgradeHeaders.set(req, corsHeaders(cors, verdict));
      run();
    });
  }

  /** Destroys an upgrade no other listener answered (another path, `h2c`), without crashing on a reset. */
  abandonUpgrade(socket: Duplex): void {
    socket.on("error", noop);
    const timer = setTimeout(() => {
      if (!socket.destroyed && socket.writable && (socket as { bytesWritten?: number }).bytesWritten === 0) socket.destroy();
    }, DESTROY_UPGRADE_AFTER);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  }

  /** Open sessions (closing ones excluded). */
  get clientsCount(): number {
    let n = 0;
    for (const c of this.clients.values()) if (!c.closed) n++;
    return n;
  }

  /** Closes every session with `reason`; polling ones may still wait for a poll to carry the `1`. */
  closeAll(reason: "server shutting down" | "forced close"): void {
    for (const conn of [...this.clients.values()]) conn.close(reason);
  }

  /** Releases every session now, including those waiting to deliver their `1`. */
  disposeAll(): void {
    for (const conn of [...this.clients.values()]) conn.dispose();
    this.clients.clear();
  }

  /** The query as engine.io reads it: the last of repeated parameters wins. */
  private query(req: IncomingMessage): Partial<Record<string, string>> {
    return Object.fromEntries(new URL(req.url ?? "/", "http://localhost").searchParams);
  }

  private verify(req: IncomingMessage, upgrade: boolean, done: (v: Verified) => void): void {
    const q = this.query(req);
    const fail = (code: ErrorCode, message?: string) => done({ ok: false, error: message === undefined ? { code } : { code, message } });
    const transport = q["transport"];
    if (transport === undefined || this.transports[transport] !== true) return fail(ErrorCode.UNKNOWN_TRANSPORT);
    const origin = req.headers.origin;
    if (origin !== undefined && INVALID_HEADER.test(origin)) return fail(ErrorCode.BAD_REQUEST);
    if (upgrade && transport !== "websocket") return fail(ErrorCode.BAD_REQUEST);
    // An empty sid is no sid: a handshake, as in engine.io.
    const sid = q["sid"];
    if (sid) {
      const conn = this.clients.get(sid);
      if (!conn) return fail(ErrorCode.UNKNOWN_SID);
      if (!upgrade && conn.transport.name !== transport) return fail(ErrorCode.BAD_REQUEST);
      // Every session speaks v4: a request of another revision for it is refused.
      return q["EIO"] === "4" ? done({ ok: true }) : fail(ErrorCode.BAD_REQUEST);
    }
    if (req.method !== "GET") return fail(ErrorCode.BAD_HANDSHAKE_METHOD);
    if (transport === "websocket" && !upgrade) return fail(ErrorCode.BAD_REQUEST);
    const allow = this.options.allowRequest;
    const version = () => (q["EIO"] === "4" ? done({ ok: true }) : fail(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION));
    if (!allow) return version();
    let answered = false;
    allow(req, (message, success) => {
      if (answered) return;
      answered = true;
      if (!success) return fail(ErrorCode.FORBIDDEN, message ?? undefined);
      version();
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const sid = this.query(req)["sid"];
    if (!sid) {
      const conn = this.handshake(req, "polling");
      if (this.options.cookie) res.setHeader("Set-Cookie", sessionCookie(this.options.cookie, conn.id));
      return conn.onPollingRequest(req, res);
    }
    this.clients.get(sid)?.onPollingRequest(req, res);
  }

  private onWebSocket(req: IncomingMessage, ws: WebSocket): void {
    ws.on("error", () => ws.terminate());
    const sid = this.query(req)["sid"];
    if (!sid) return this.handshake(req, "websocket").attachWebSocket(ws);
    const conn = this.clients.get(sid);
    if (!conn || !this.options.allowUpgrades) return ws.close();
    conn.attachProbe(ws);
  }

  private handshake(req: IncomingMessage, transport: TransportName): EngineConnection {
    const o = this.options;
    const canUpgrade = transport === "polling" && o.allowUpgrades && this.transports["websocket"] === true;
    const config = {
      sid: newId(),
      upgrades: canUpgrade ? ["websocket"] : [],
      pingInterval: o.pingInterval,
      pingTimeout: o.pingTimeout,
      maxPayload: o.maxHttpBufferSize,
      upgradeTimeout: o.upgradeTimeout,
    };
    const conn = new EngineConnection(config, req, transport, o, (c) => {
      if (this.clients.get(c.id) === c) this.clients.delete(c.id);
    });
    this.clients.set(conn.id, conn);
    this.onConnection(conn);
    this.emit("connection", conn);
    return conn;
  }
}
