/**
 * The Socket.IO server: attaches the Engine.IO server to a `node:http` server, serves the
 * client bundle, owns the namespaces and forwards the main namespace's API (as socket.io's
 * `Server` does), so `io.emit`, `io.to(room)` and `io.use` work on "/".
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { InvalidArgumentError } from "../errors.js";
import { BroadcastOperator } from "./broadcast.js";
import { ConnectionEmitter } from "./connection-emitter.js";
import { Client } from "./client.js";
import { EngineServer } from "./engine-server.js";
import { Namespace, type Middleware } from "./namespace.js";
import { ParentNamespace, type NamespaceMatcher } from "./parent-namespace.js";
import { resolveOptions, type ResolvedOptions, type ServerOptions } from "./options.js";
import type { Socket } from "./socket.js";
import { RecoveryStore } from "./recovery.js";
import { ClientFiles } from "./static.js";

type Rooms = string | readonly string[];

function isOptions(value: unknown): value is ServerOptions {
  return typeof value === "object" && value !== null && !(value instanceof EventEmitter);
}

export class Server extends ConnectionEmitter {
  /** The main namespace "/". */
  readonly sockets: Namespace;
  /** The Engine.IO layer (`engine.clientsCount`). */
  readonly engine: EngineServer;
  private readonly opts: ResolvedOptions;
  private readonly nsps = new Map<string, Namespace>();
  private readonly parents: ParentNamespace[] = [];
  private readonly files: ClientFiles;
  /** The http server the Socket.IO server is attached to. */
  httpServer: HttpServer | HttpsServer | undefined;
  private detach: (() => void) | undefined;

  /**
   * @example
   * const io = new Server(httpServer, { cors: { origin: "https://example.com" } });
   * io.on("connection", (socket) => socket.on("chat message", (msg) => io.emit("chat message", msg)));
   */
  constructor(srv?: HttpServer | HttpsServer | number | ServerOptions, options: ServerOptions = {}) {
    super();
    const opts = isOptions(srv) ? srv : options;
    this.opts = resolveOptions(opts);
    this.files = new ClientFiles(this.opts.path);
    this.engine = new EngineServer(this.opts, (conn) => new Client(conn, (name, auth, done) => this.lookup(name, auth, done), this.opts.connectTimeout));
    this.sockets = this.of("/");
    if (srv !== undefined && !isOptions(srv)) this.attach(srv);
  }

  /** The configured path, always with one trailing slash. */
  path(): string {
    return this.opts.path;
  }

  /** Attaches to an http server, or creates one listening on `port`. */
  attach(srv: HttpServer | HttpsServer | number): this {
    if (this.httpServer) throw new InvalidArgumentError("the server is already attached to an http server");
    const http: HttpServer | HttpsServer =
      typeof srv === "number"
        ? createServer((_req, res) => {
            res.writeHead(404).end();
          }).listen(srv)
        : srv;
    this.httpServer = http;
    const previous = http.listeners("request").slice() as ((req: IncomingMessage, res: ServerResponse) => void)[];
    http.removeAllListeners("request");
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (this.opts.serveClient && this.files.handle(req, res)) return;
      if (this.engine.matches(req.url)) return this.engine.handleRequest(req, res);
      for (const l of previous) l.call(http, req, res);
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.engine.matches(req.url)) return this.engine.handleUpgrade(req, socket, head);
      if (http.listenerCount("upgrade") === 1) this.engine.abandonUpgrade(socket);
    };
    http.on("request", onRequest);
    http.on("upgrade", onUpgrade);
    this.detach = () => {
      http.off("request", onRequest);
      http.off("upgrade", onUpgrade);
      for (const l of previous) http.on("request", l);
    };
    return this;
  }

  /** Creates an http server listening on `port` and attaches to it. */
  listen(port: number): this {
    return this.attach(port);
  }

  /**
   * The namespace `name`, created on first use; or, for a RegExp or a function, a dynamic
   * namespace whose children are created when a client connects to a name it accepts.
   * @example io.of("/chat").on("connection", (socket) => socket.join("room1"));
   * @example io.of(/^\/team-\d+$/).on("connection", (socket) => socket.emit("hi", socket.nsp.name));
   */
  of(name: string): Namespace;
  of(matcher: NamespaceMatcher): ParentNamespace;
  of(name: string | NamespaceMatcher): Namespace {
    if (typeof name !== "string") {
      const parent = new ParentNamespace(`/_${this.parents.length + 1}`, name);
      this.parents.push(parent);
      return parent;
    }
    const key = name.startsWith("/") ? name : "/" + name;
    let nsp = this.nsps.get(key);
    if (!nsp) {
      const recovery = this.opts.connectionStateRecovery;
      nsp = new Namespace(key, recovery && new RecoveryStore(recovery));
      this.nsps.set(key, nsp);
    }
    return nsp;
  }

  use(fn: Middleware): this {
    this.sockets.use(fn);
    return this;
  }

  to(room: Rooms): BroadcastOperator {
    return this.sockets.to(room);
  }

  in(room: Rooms): BroadcastOperator {
    return this.sockets.in(room);
  }

  except(room: Rooms): BroadcastOperator {
    return this.sockets.except(room);
  }

  get volatile(): BroadcastOperator {
    return this.sockets.volatile;
  }

  timeout(ms: number): BroadcastOperator {
    return this.sockets.timeout(ms);
  }

  /** Sends an event to every socket of "/". */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    return this.sockets.emit(event, ...args);
  }

  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return this.sockets.emitWithAck(event, ...args);
  }

  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  fetchSockets(): Promise<Socket[]> {
    return this.sockets.fetchSockets();
  }

  socketsJoin(room: Rooms): void {
    this.sockets.socketsJoin(room);
  }

  socketsLeave(room: Rooms): void {
    this.sockets.socketsLeave(room);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  /**
   * Closes every connection (`server shutting down`) and the http server.
   * @example await io.close();
   */
  close(callback?: (error?: Error) => void): Promise<void> {
    // Namespace by namespace, in creation order, as socket.io does; then the connections.
    for (const nsp of this.nsps.values()) for (const socket of [...nsp.sockets.values()]) socket.onClose("server shutting down");
    this.engine.closeAll("server shutting down");
    const http = this.httpServer;
    return new Promise((resolve) => {
      const done = (error?: Error) => {
        this.engine.disposeAll();
        this.detach?.();
        this.detach = undefined;
        this.httpServer = undefined;
        callback?.(error);
        resolve();
      };
      if (!http || !http.listening) return done();
      // Polls still arriving on open connections get their `1` until the listener is down.
      http.close((error) => done(error));
      http.closeIdleConnections();
    });
  }

  /** The namespace a CONNECT names: an existing one, else a new child of the first parent that accepts it. */
  private lookup(name: string, auth: Record<string, unknown>, done: (nsp: Namespace | undefined) => void): void {
    const existing = this.nsps.get(name);
    if (existing) return done(existing);
    const ask = (i: number): void => {
      const parent = this.parents[i];
      if (!parent) return done(undefined);
      parent.matches(name, auth, (allow) => {
        if (!allow) return ask(i + 1);
        // Another client may have created it while the matcher ran.
        const known = this.nsps.get(name);
        if (known) return done(known);
        const child = this.of(name);
        parent.adopt(child);
        done(child);
      });
    };
    ask(0);
  }
}

/**
 * As in socket.io, the server's listener methods are those of the main namespace: `io.on`
 * and `io.sockets.on` fill one list of `connection` listeners, run in the order they were added.
 */
const DELEGATED = [
  "on",
  "addListener",
  "once",
  "prependListener",
  "prependOnceListener",
  "off",
  "removeListener",
  "removeAllListeners",
  "listeners",
  "rawListeners",
  "listenerCount",
  "eventNames",
  "setMaxListeners",
  "getMaxListeners",
] as const;
for (const name of DELEGATED) {
  Object.defineProperty(Server.prototype, name, {
    configurable: true,
    writable: true,
    value(this: Server, ...args: unknown[]): unknown {
      const result = (this.sockets[name] as (...a: unknown[]) => unknown).apply(this.sockets, args);
      return result === this.sockets ? this : result;
    },
  });
}
