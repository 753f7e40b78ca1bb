/**
 * Differential tests: each scenario runs once with socket.io-client 4.8 and once with the volley
 * client, each against its own fresh socket.io 4.8 server, and records what the app observes
 * (events in order, their arguments, the socket's flags at each event, Manager events, what the
 * server received). The two traces must be equal: an app can switch by changing one import.
 */
import { createServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { Server, Socket as ServerSocket } from "socket.io";
import { io as sioClient } from "socket.io-client";
import { io as volleyClient } from "../../src/node.js";
import { listenLocal } from "../helpers/listen.js";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";

type Listener = (...args: never[]) => void;

/** The part of the client API the scenarios use, common to both clients. */
interface ClientManager {
  on(ev: string, fn: Listener): unknown;
  once(ev: string, fn: Listener): unknown;
  off(ev?: string, fn?: Listener): unknown;
  socket(nsp: string, opts?: object): ClientSocket;
  reconnection(v: boolean): unknown;
  open(fn?: (err?: Error) => void): unknown;
  disconnect(): void;
  readonly engine: {
    readonly transport: { readonly name: string };
    on(ev: string, fn: Listener): unknown;
    close(): void;
  };
}

interface ClientSocket {
  readonly io: ClientManager;
  auth: unknown;
  readonly id: string | undefined;
  readonly connected: boolean;
  readonly disconnected: boolean;
  readonly active: boolean;
  readonly recovered: boolean;
  readonly volatile: ClientSocket;
  on(ev: string, fn: Listener): ClientSocket;
  once(ev: string, fn: Listener): ClientSocket;
  off(ev?: string, fn?: Listener): ClientSocket;
  emit(ev: string, ...args: unknown[]): ClientSocket;
  send(...args: unknown[]): ClientSocket;
  emitWithAck(ev: string, ...args: unknown[]): Promise<unknown>;
  timeout(ms: number): ClientSocket;
  connect(): ClientSocket;
  disconnect(): ClientSocket;
  onAny(fn: Listener): ClientSocket;
  prependAny(fn: Listener): ClientSocket;
  offAny(fn?: Listener): ClientSocket;
  onAnyOutgoing(fn: Listener): ClientSocket;
  listenersAny(): unknown[];
  compress(v: boolean): ClientSocket;
}

type Io = (uri: string, opts?: object) => ClientSocket;

type ServerOptions = Parameters<typeof startSocketIoServer>[0];
type ServerSetup = (sio: Server) => void;

/** What a scenario works with: its client, its server, and the trace. */
interface Run {
  readonly io: Io;
  readonly server: SocketIoServer;
  readonly url: string;
  /** Appends an entry to the trace. */
  log(...entry: unknown[]): void;
  /** Records the socket's events (with its flags at each) under `name`. */
  watch(socket: ClientSocket, name: string): ClientSocket;
  /** Records the Manager's events under `name`. */
  watchManager(manager: ClientManager, name: string): void;
  /** A socket on its own Manager at the server's root namespace (quick reconnection), recorded as "s" and "m", with the `echo` events it gets. */
  client(opts?: object): ClientSocket;
  /** {@link client}, once connected. */
  connected(opts?: object): Promise<ClientSocket>;
  /** Sockets "root" and "admin" on one Manager "m" (the server needs the "/admin" namespace), once both are connected. */
  pair(): Promise<[ClientSocket, ClientSocket]>;
  /** Resolves at the next `connect` of each socket. */
  connects(...sockets: ClientSocket[]): Promise<unknown>;
  /** Resolves when `socket` has received `n` more `echo` events. */
  echoes(socket: ClientSocket, n: number): Promise<void>;
  /** Resolves at the next `event` of `target` (after the recording listeners). */
  next(target: { once(ev: string, fn: Listener): unknown }, event: string): Promise<unknown[]>;
  /** The server-side sockets of a namespace. */
  serverSockets(nsp?: string): ServerSocket[];
}

/** Options that make reconnection quick and its delays fixed. */
const FAST = { reconnectionDelay: 20, reconnectionDelayMax: 20, randomizationFactor: 0 };

/** Values as the trace shows them: errors by message and data, functions by kind, binary by bytes. */
function normalise(value: unknown): unknown {
  const { type, code } = (value ?? {}) as { type?: unknown; code?: unknown };
  // a failed transport: volley's ConnectError words it its own way (README: typed errors)
  if (type === "TransportError" || code === "ERR_CONNECT_FAILED") return { error: "<transport error>" };
  // socket.io-client's Error("socket has been disconnected"); volley's DisconnectedError adds the reason (README: typed errors)
  if (code === "ERR_DISCONNECTED") return { error: "socket has been disconnected" };
  if (value instanceof Error) {
    const data = (value as { data?: unknown }).data;
    return data === undefined ? { error: value.message } : { error: value.message, data: normalise(data) };
  }
  if (typeof value === "function") return "<function>";
  if (value instanceof Uint8Array) return { [value.constructor.name]: [...value] };
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

/** The socket's state flags, as one string. */
function flags(socket: ClientSocket): string {
  return [
    socket.connected ? "connected" : "",
    socket.disconnected ? "disconnected" : "",
    socket.active ? "active" : "",
    socket.recovered ? "recovered" : "",
    socket.id === undefined ? "" : "id",
  ]
    .filter(Boolean)
    .join(",");
}

/**
 * The arguments of an event as recorded. The description of a lost connection (`disconnect`,
 * `close`) is socket.io-client's transport detail (an XHR, a CloseEvent) and volley's Error:
 * only its presence is compared.
 */
function eventArgs(ev: string, args: unknown[]): unknown[] {
  return ev === "disconnect" || ev === "close" ? [args[0], args[1] === undefined ? undefined : "<description>"] : args;
}

const SOCKET_EVENTS = ["connect", "connect_error", "disconnect"];
const MANAGER_EVENTS = ["open", "close", "error", "reconnect_attempt", "reconnect", "reconnect_error", "reconnect_failed"];

/** Runs `scenario` with one client against a fresh server and returns its trace. */
async function trace(
  io: Io,
  scenario: (run: Run) => Promise<void>,
  setup: ServerSetup = () => {},
  options: ServerOptions = {},
): Promise<unknown[]> {
  const server = await startSocketIoServer({ pingInterval: 1000, pingTimeout: 1000, ...options });
  setup(server.io);
  const entries: unknown[] = [];
  const managers = new Set<ClientManager>();
  let recording = true;
  const log = (...entry: unknown[]): void => {
    if (recording) entries.push(normalise(entry));
  };
  const run: Run = {
    io: (uri, opts) => {
      const socket = io(uri, opts);
      managers.add(socket.io);
      return socket;
    },
    server,
    url: server.url,
    log,
    watch(socket, name) {
      managers.add(socket.io);
      let connected = socket.connected;
      for (const ev of SOCKET_EVENTS) {
        socket.on(ev, (...args: never[]) => {
          // socket.io-client also emits disconnect on a socket that was not connected, volley does not (README)
          if (ev === "disconnect" && !connected) return;
          if (ev !== "connect_error") connected = ev === "connect";
          log(name, ev, ...eventArgs(ev, args), flags(socket));
        });
      }
      return socket;
    },
    watchManager(manager, name) {
      managers.add(manager);
      for (const ev of MANAGER_EVENTS) manager.on(ev, (...args: never[]) => log(name, ev, ...eventArgs(ev, args)));
    },
    client(opts = {}) {
      const socket = run.watch(run.io(server.url, { forceNew: true, ...FAST, ...opts }), "s");
      run.watchManager(socket.io, "m");
      socket.on("echo", (...args: never[]) => log("echo", ...args));
      return socket;
    },
    async connected(opts) {
      const socket = run.client(opts);
      await run.next(socket, "connect");
      return socket;
    },
    async pair() {
      const root = run.watch(run.io(server.url, { forceNew: true, ...FAST }), "root");
      const admin = run.watch(root.io.socket("/admin"), "admin");
      run.watchManager(root.io, "m");
      await run.connects(root, admin);
      return [root, admin];
    },
    connects: (...sockets) => Promise.all(sockets.map((socket) => run.next(socket, "connect"))),
    echoes: (socket, n) =>
      new Promise((resolve) => {
        let seen = 0;
        socket.on("echo", () => ++seen === n && resolve());
      }),
    next: (target, event) => new Promise((resolve) => target.once(event, (...args: never[]) => resolve(args))),
    serverSockets: (nsp = "/") => [...server.io.of(nsp).sockets.values()],
  };
  try {
    await scenario(run);
  } finally {
    recording = false;
    for (const manager of managers) {
      manager.off();
      manager.disconnect();
    }
    await server.close();
  }
  return entries;
}

/** Runs the scenario with socket.io-client, then with volley, and expects the same trace. */
async function same(scenario: (run: Run) => Promise<void>, setup?: ServerSetup, options?: ServerOptions): Promise<void> {
  const reference = await trace(sioClient as unknown as Io, scenario, setup, options);
  const volley = await trace(volleyClient as unknown as Io, scenario, setup, options);
  expect(volley).toEqual(reference);
}

/** A test that runs `body` with both clients and expects the same trace. */
function scenario(name: string, body: (run: Run) => Promise<void>, setup?: ServerSetup, options?: ServerOptions): void {
  it(name, () => same(body, setup, options));
}

/** The URL of a port nothing listens on (it was free a moment ago). */
async function deadUrl(): Promise<string> {
  const http = createServer();
  const port = await listenLocal(http);
  await new Promise((resolve) => http.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A server that echoes every event back as `echo` (name and arguments), and acks with "ok:<event>". */
function echoServer(sio: Server): void {
  sio.on("connection", (socket) => {
    socket.onAny((ev: string, ...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === "function") (last as (r: string) => void)(`ok:${ev}`);
      socket.emit("echo", ev, ...args.filter((a) => typeof a !== "function"));
    });
  });
}

describe("volley client and socket.io-client 4.8 give the same trace", () => {
  scenario("connect, then the server disconnects the socket", async (run) => {
    const socket = run.client();
    const closed = run.next(socket.io, "close");
    run.log("connect", await run.next(socket, "connect"));
    run.serverSockets()[0]?.disconnect();
    await closed;
    run.log("after", flags(socket));
  });

  scenario("client disconnect() then connect() again", async (run) => {
    const socket = await run.connected();
    socket.disconnect();
    run.log("after disconnect", flags(socket));
    socket.connect();
    run.log("after connect()", flags(socket));
    await run.next(socket, "connect");
  });

  scenario("middleware refusal with data, then an unknown namespace on the same Manager",
    async (run) => {
      const socket = run.watch(run.io(`${run.url}/private`, { forceNew: true, ...FAST }), "private");
      run.watchManager(socket.io, "m");
      const closed = run.next(socket.io, "close");
      await run.next(socket, "connect_error");
      await closed;
      const root = run.watch(socket.io.socket("/"), "root");
      await run.next(root, "connect");
      const nope = run.watch(socket.io.socket("/nope"), "nope");
      await run.next(nope, "connect_error");
      run.log("root", flags(root));
    },
    (sio) =>
      sio.of("/private").use((_socket, next) => {
        const err = new Error("x") as Error & { data: unknown };
        err.data = { code: 42, why: "nope" };
        next(err);
      }),
  );

  scenario("auth as a function is called again on reconnection",
    async (run) => {
      let n = 0;
      const auth = (cb: (data: object) => void): void => {
        run.log("auth called");
        cb({ token: `t${++n}` });
      };
      const socket = run.client({ auth });
      socket.on("auth", (...args: never[]) => run.log("server saw", ...args));
      await run.next(socket, "auth");
      const again = run.next(socket, "auth");
      run.serverSockets()[0]?.conn.close();
      await again;
    },
    (sio) => sio.on("connection", (socket) => socket.emit("auth", socket.handshake.auth)),
  );

  scenario("all connections closed by the server: order of Manager and socket events on reconnection",
    async (run) => {
      const [root, admin] = await run.pair();
      const back = run.connects(root, admin);
      for (const socket of run.serverSockets()) socket.conn.close();
      await back;
    },
    (sio) => sio.of("/admin"),
  );

  it("reconnectionAttempts: 2 against a dead port", async () => {
    const url = await deadUrl();
    await same(async (run) => {
      const socket = run.watch(run.io(url, { forceNew: true, reconnectionAttempts: 2, ...FAST }), "s");
      run.watchManager(socket.io, "m");
      await run.next(socket.io, "reconnect_failed");
      run.log("after", flags(socket));
    });
  });

  scenario("reconnection(false): no reconnection after the transport closes; connect() reconnects", async (run) => {
    const socket = await run.connected();
    socket.io.reconnection(false);
    const closed = run.next(socket.io, "close");
    run.serverSockets()[0]?.conn.close();
    await closed;
    run.log("after close", flags(socket));
    socket.connect();
    await run.next(socket, "connect");
  });

  scenario("autoConnect: false, then connect()", async (run) => {
    const socket = run.client({ autoConnect: false });
    run.log("created", flags(socket), run.server.io.engine.clientsCount);
    socket.connect();
    run.log("connect() called", flags(socket));
    await run.next(socket, "connect");
  });

  scenario("io() caching and multiplexing", async (run) => {
    const a = run.io(run.url);
    const b = run.io(run.url);
    const c = run.io(`${run.url}/a`);
    const d = run.io(`${run.url}/a`, { forceNew: true });
    const e = run.io(`${run.url}/b`, { multiplex: false });
    const f = run.io(`${run.url}/b`);
    run.log("a=b", a === b, "a.io=b.io", a.io === b.io, "c.io=a.io", c.io === a.io, "d.io=c.io", d.io === c.io);
    run.log("e.io=a.io", e.io === a.io, "f.io=a.io", f.io === a.io, "f=e", f === e);
    await Promise.all([a, b, c, d, e, f].map((s) => (s.connected ? undefined : run.next(s, "connect"))));
    run.log("engines", run.server.io.engine.clientsCount);
    c.disconnect();
    const g = run.io(`${run.url}/a`);
    run.log("g=c", g === c, "g.io=a.io", g.io === a.io, flags(c), flags(g));
    if (!g.connected) await run.next(g, "connect");
    run.log("engines", run.server.io.engine.clientsCount);
  }, (sio) => {
    sio.of("/a");
    sio.of("/b");
  });

  scenario("emits buffered while disconnected, also before disconnect(), are sent in order after connect", async (run) => {
    const socket = run.client({ autoConnect: false });
    socket.onAnyOutgoing((...args: never[]) => run.log("outgoing", ...args, flags(socket)));
    socket.emit("first", 1);
    socket.emit("second", 2, (...args: never[]) => run.log("ack second", ...args));
    socket.timeout(60_000).emit("third", (...args: never[]) => run.log("timed ack third", ...args));
    socket.disconnect();
    socket.send("fourth");
    const echoes = run.echoes(socket, 6);
    socket.connect();
    socket.emit("fifth");
    await run.next(socket, "connect");
    socket.emit("sixth");
    await echoes;
  }, echoServer);

  scenario("emits from a disconnect handler are buffered and sent after reconnection", async (run) => {
    const socket = await run.connected();
    socket.on("disconnect", (reason: never) => socket.emit("from-disconnect", reason));
    const echoed = run.next(socket, "echo");
    run.serverSockets()[0]?.conn.close();
    await echoed;
  }, echoServer);

  scenario("volatile emits: sent while connected; while disconnected (documented difference)", async (run) => {
    // over websocket the transport is writable whenever connected (a polling request in flight would drop the volatile emit)
    const socket = await run.connected({ transports: ["websocket"] });
    let echoed = run.next(socket, "echo");
    socket.volatile.emit("v1");
    await echoed;
    const closed = run.next(socket, "disconnect");
    run.serverSockets()[0]?.conn.close();
    await closed;
    // socket.io-client buffers a volatile emit made while disconnected, volley drops it (README)
    socket.volatile.emit("dropped-by-volley");
    socket.emit("after");
    echoed = new Promise((resolve) => socket.on("echo", (ev: never) => ev === "after" && resolve([])));
    await echoed;
  }, (sio) => {
    sio.on("connection", (socket) =>
      socket.onAny((ev: string) => {
        if (ev !== "dropped-by-volley") socket.emit("echo", ev);
      }),
    );
  });

  scenario("timeout(n).emit when the server never acks, and when disconnected", async (run) => {
    const socket = run.client({ autoConnect: false });
    const offline = new Promise<void>((resolve) =>
      socket.timeout(20).emit("offline", (...args: never[]) => {
        run.log("offline ack", ...args, flags(socket));
        resolve();
      }),
    );
    await offline;
    socket.connect();
    await run.next(socket, "connect");
    await new Promise<void>((resolve) =>
      socket.timeout(50).emit("never", (...args: never[]) => {
        run.log("never ack", ...args);
        resolve();
      }),
    );
    const echoed = run.next(socket, "echo");
    socket.emit("done");
    await echoed;
  }, (sio) => sio.on("connection", (socket) => socket.onAny((ev: string) => socket.emit("echo", ev))));

  scenario("emitWithAck resolves with the first argument; rejects after a timeout", async (run) => {
    const socket = run.client();
    run.log("resolved", await socket.emitWithAck("add", 1, 2));
    run.log("resolved", await socket.emitWithAck("none"));
    run.log("rejected", await socket.timeout(30).emitWithAck("never").catch((e: unknown) => e));
  }, (sio) =>
    sio.on("connection", (socket) => {
      socket.on("add", (a: number, b: number, ack: (...r: unknown[]) => void) => ack(a + b, "second"));
      socket.on("none", (ack: () => void) => ack());
    }),
  );

  scenario("retries with a server that acks late", async (run) => {
    const socket = run.client({ retries: 2, ackTimeout: 400 });
    socket.onAnyOutgoing((...args: never[]) => run.log("outgoing", ...args));
    const results = await Promise.all([
      new Promise((resolve) => socket.emit("job", 1, (...args: never[]) => resolve(args))),
      socket.emitWithAck("job", 2),
    ]);
    run.log("results", results);
    run.log("server saw", await socket.emitWithAck("seen"));
  }, (sio) =>
    sio.on("connection", (socket) => {
      const seen: number[] = [];
      let held: Array<(r: string) => void> = [];
      socket.on("job", (n: number, ack: (r: string) => void) => {
        seen.push(n);
        held.push(ack);
        // the first attempt is answered only when the second arrives: too late for it
        if (held.length === 2) {
          for (const [i, fn] of held.entries()) fn(`job ${n} reply ${i}`);
          held = [];
        }
      });
      socket.on("seen", (ack: (s: number[]) => void) => ack(seen));
    }),
  );

  scenario("connection state recovery after a forced transport close",
    async (run) => {
      const socket = run.client();
      socket.on("news", (...args: never[]) => run.log("news", ...args.map((a, i) => (i === 1 ? typeof a : a))));
      await run.next(socket, "connect");
      const first = run.next(socket, "news");
      run.server.io.emit("news", "before");
      await first;
      const missed = run.next(socket, "news");
      run.serverSockets()[0]?.conn.close();
      await missed;
      const last = run.next(socket, "news");
      run.server.io.emit("news", "after");
      await last;
    },
    (sio) =>
      sio.on("connection", (socket) => {
        socket.on("disconnect", () => sio.emit("news", "missed"));
      }),
    { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } },
  );

  scenario("onAny, prependAny, offAny and onAnyOutgoing", async (run) => {
    const socket = run.client();
    const any1 = (...args: never[]): void => run.log("any1", ...args);
    socket.onAny(any1);
    socket.prependAny((...args: never[]) => run.log("prepended", ...args));
    socket.onAny((...args: never[]) => {
      run.log("any2 removes any1", ...args);
      socket.offAny(any1);
    });
    socket.onAnyOutgoing((...args: never[]) => run.log("outgoing", ...args));
    socket.on("echo", (...args: never[]) => run.log("echo listener", ...args));
    await run.next(socket, "connect");
    let echoed = run.next(socket, "echo");
    socket.emit("one", 1, (...args: never[]) => run.log("ack", ...args));
    await echoed;
    echoed = run.next(socket, "echo");
    socket.send("two");
    await echoed;
    socket.offAny();
    echoed = run.next(socket, "echo");
    socket.emit("three");
    await echoed;
  }, echoServer);

  scenario("once and off during dispatch", async (run) => {
    const socket = run.client();
    const second = (...args: never[]): void => run.log("second", ...args);
    socket.once("echo", (...args: never[]) => run.log("once", ...args));
    socket.on("echo", (...args: never[]) => {
      run.log("first removes second", ...args);
      socket.off("echo", second);
    });
    socket.on("echo", second);
    socket.once("echo", (...args: never[]) => run.log("once again", ...args));
    await run.next(socket, "connect");
    let echoed = run.next(socket, "echo");
    socket.emit("a");
    await echoed;
    echoed = run.next(socket, "echo");
    socket.emit("b");
    await echoed;
  }, echoServer);

  scenario("socket.io.engine.close()", async (run) => {
    const socket = await run.connected();
    socket.io.engine.close();
    run.log("after close()", flags(socket));
    await run.next(socket, "connect");
  });

  scenario("Manager disconnect() with two namespaces",
    async (run) => {
      const [root, admin] = await run.pair();
      const left = Promise.all(["/", "/admin"].map((nsp) => run.next(run.serverSockets(nsp)[0] as never, "disconnect")));
      root.io.disconnect();
      run.log("after", flags(root), flags(admin));
      run.log("server saw", await left);
      root.connect();
      await run.connects(root, admin);
      run.log("reconnected", flags(root), flags(admin));
    },
    (sio) => sio.of("/admin"),
  );

  scenario("transports: websocket only, and the upgrade from polling", async (run) => {
    const ws = run.watch(run.io(run.url, { forceNew: true, transports: ["websocket"] }), "ws");
    await run.next(ws, "connect");
    run.log("ws transport", ws.io.engine.transport.name);
    const upgraded = run.io(run.url, { forceNew: true });
    const upgrade = new Promise<void>((resolve) =>
      upgraded.io.on("open", () =>
        upgraded.io.engine.on("upgrade", (transport: never) => {
          run.log("upgrade", (transport as { name: string }).name);
          resolve();
        }),
      ),
    );
    await Promise.all([run.next(upgraded, "connect"), upgrade]);
    run.log("transport", upgraded.io.engine.transport.name);
  });

  scenario("reconnection(false) from a reconnect_attempt listener stops that attempt; open() connects", async (run) => {
    const socket = await run.connected();
    socket.io.on("reconnect_attempt", () => {
      socket.io.reconnection(false);
      queueMicrotask(() => socket.io.open((err) => run.log("open callback", err ?? null)));
    });
    run.serverSockets()[0]?.conn.close();
    await run.next(socket, "connect");
  });

  scenario("connect_error from middleware, new auth, connect() again",
    async (run) => {
      const socket = run.client({ auth: { token: "bad" } });
      await run.next(socket, "connect_error");
      socket.auth = { token: "good" };
      socket.connect();
      run.log("after connect()", flags(socket));
      await run.next(socket, "connect");
    },
    (sio) =>
      sio.use((socket, next) => {
        if ((socket.handshake.auth as { token?: string }).token === "good") next();
        else next(Object.assign(new Error("unauthorized"), { data: { retry: true } }));
      }),
  );

  scenario(
    "connect() from a connect_error listener with a new token",
    async (run) => {
      const socket = run.client({ auth: { token: "bad" } });
      socket.once("connect_error", () => {
        socket.auth = { token: "good" };
        socket.connect();
        run.log("retrying", flags(socket));
      });
      await run.next(socket, "connect");
    },
    (sio) => sio.use((socket, next) => next((socket.handshake.auth as { token?: string }).token === "good" ? undefined : new Error("unauthorized"))),
  );

  scenario("disconnect().connect() chained", async (run) => {
    const socket = await run.connected();
    socket.disconnect().connect();
    run.log("chained", flags(socket));
    await run.next(socket, "connect");
  });

  scenario("emitting a reserved event name throws", async (run) => {
    const socket = run.io(run.url, { forceNew: true, autoConnect: false });
    for (const ev of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener", "message", "error"]) {
      try {
        socket.emit(ev);
        run.log(ev, "sent");
      } catch (error) {
        run.log(ev, "throws", (error as Error).message);
      }
    }
  });

  scenario("binary arguments and acks, compress(false), send with an ack", async (run) => {
    const socket = await run.connected();
    run.log("ack", await socket.emitWithAck("bytes", { nested: new Uint8Array([1, 2]) }, Buffer.from([3])));
    const echoed = run.next(socket, "echo");
    socket.compress(false).emit("plain", "x");
    await echoed;
    await new Promise<void>((resolve) =>
      socket.send("hi", (...args: never[]) => {
        run.log("send ack", ...args);
        resolve();
      }),
    );
    socket.offAny();
    run.log("listenersAny", socket.listenersAny().length);
  }, echoServer);

  it("the connection times out (timeout option) against a server that never answers", async () => {
    const silent = createTcpServer(() => {});
    const port = await new Promise<number>((resolve) => silent.listen(0, "127.0.0.1", () => resolve((silent.address() as AddressInfo).port)));
    try {
      await same(async (run) => {
        const socket = run.watch(run.io(`http://127.0.0.1:${port}`, { forceNew: true, timeout: 50, reconnectionAttempts: 1, ...FAST }), "s");
        run.watchManager(socket.io, "m");
        await run.next(socket.io, "reconnect_failed");
      });
    } finally {
      silent.close();
    }
  });

  scenario("Manager disconnect() while waiting to reconnect", async (run) => {
    const socket = run.watch(run.io(run.url, { forceNew: true, reconnectionDelay: 60_000, reconnectionDelayMax: 60_000 }), "s");
    run.watchManager(socket.io, "m");
    await run.next(socket, "connect");
    const closed = run.next(socket.io, "close");
    run.serverSockets()[0]?.conn.close();
    await closed;
    socket.io.disconnect();
    run.log("after", flags(socket));
    socket.connect();
    await run.next(socket, "connect");
  });

  scenario("socket disconnect() while the connection is opening", async (run) => {
    const socket = run.client();
    socket.disconnect();
    run.log("after", flags(socket));
    socket.connect();
    await run.next(socket, "connect");
  });

  it("reconnection: false and a dead port", async () => {
    const url = await deadUrl();
    await same(async (run) => {
      const socket = run.watch(run.io(url, { forceNew: true, reconnection: false }), "s");
      run.watchManager(socket.io, "m");
      await run.next(socket, "connect_error");
      await new Promise<void>((resolve) => socket.io.open((err) => {
        run.log("open callback", err ?? null);
        resolve();
      }));
    });
  });

  scenario("the server disconnects one namespace and closes the connection (disconnect(true))",
    async (run) => {
      const [root, admin] = await run.pair();
      const left = Promise.all([run.next(admin, "disconnect"), run.next(root.io, "close")]);
      run.serverSockets()[0]?.disconnect(true);
      await left;
      run.log("after", flags(root), flags(admin));
    },
    (sio) => sio.of("/admin"),
  );

  scenario("JSON edge values in arguments", async (run) => {
    const socket = await run.connected();
    const echoed = run.next(socket, "echo");
    socket.emit("values", null, new Date(0), Number.NaN, -0, { a: undefined, b: [undefined, () => 1] }, { toJSON: () => "custom" }, "", 0, false);
    await echoed;
  }, echoServer);

  scenario("URL query, query option, path and headers in the handshake",
    async (run) => {
      const a = run.io(`${run.url}/?from=url`, { forceNew: true, path: "/custom", extraHeaders: { "x-app": "1" } });
      a.on("handshake", (...args: never[]) => run.log("handshake", ...args));
      await run.next(a, "handshake");
      // with both a URL query and the `query` option, socket.io-client sends the URL's and volley the option's (README, io())
      const b = run.io(run.url, { forceNew: true, path: "/custom", query: { from: "option", n: 1 } });
      b.on("handshake", (...args: never[]) => run.log("handshake", ...args));
      await run.next(b, "handshake");
    },
    (sio) =>
      sio.on("connection", (socket) => {
        const { EIO, transport, t, ...query } = socket.handshake.query;
        socket.emit("handshake", query, EIO, socket.handshake.headers["x-app"] ?? null, typeof t);
      }),
    { path: "/custom" },
  );

  it.each([["polling"], ["websocket"]])("a packet over the server's maxHttpBufferSize (%s)", async (transport) => {
    await same(
      async (run) => {
        const socket = await run.connected({ transports: [transport] });
        socket.emit("big", "x".repeat(2000));
        await run.next(socket, "disconnect");
        await run.next(socket, "connect");
      },
      undefined,
      { maxHttpBufferSize: 1000 },
    );
  });

  scenario("engine listeners added for each connection", async (run) => {
    const socket = run.client();
    // upgrades race the CONNECT reply: they are compared as a list, not in the trace
    const upgrades: string[] = [];
    let connections = 0;
    let upgraded = (): void => {};
    socket.io.on("open", () => {
      const n = ++connections;
      socket.io.engine.on("upgrade", (transport: never) => {
        upgrades.push(`${n}: ${(transport as { name: string }).name}`);
        upgraded();
      });
      socket.io.engine.on("close", (reason: never) => run.log("engine close", n, reason));
    });
    for (let i = 1; i <= 3; i++) {
      await new Promise<void>((resolve) => (upgraded = () => upgrades.length >= i && resolve()));
      if (i < 3) run.serverSockets()[0]?.conn.close();
    }
    if (!socket.connected) await run.next(socket, "connect");
    run.log("upgrades", upgrades);
  });

  scenario("Manager packet listeners and socket events", async (run) => {
    const socket = run.client();
    socket.on("hello", (...args: never[]) => run.log("hello", ...args));
    socket.io.on("packet", (packet: never) => {
      const { type, nsp, data, id } = packet as { type: number; nsp: string; data?: unknown; id?: number };
      run.log("packet", type, nsp, type === 0 ? Object.keys(data as object).sort() : (data ?? null), id ?? null);
    });
    const hello = run.next(socket, "hello");
    await run.next(socket, "connect");
    await hello;
    const reply = await socket.emitWithAck("ask", Buffer.from([1]));
    run.log("reply", reply);
  }, (sio) =>
    sio.on("connection", (socket) => {
      socket.emit("hello", "world");
      socket.on("ask", (_b: Buffer, ack: (r: unknown) => void) => ack({ bin: Buffer.from([2]) }));
    }),
  );

  scenario("reconnecting from a disconnect handler after io server disconnect", async (run) => {
    const socket = run.client();
    socket.on("disconnect", (reason: never) => {
      if (reason === "io server disconnect") socket.connect();
    });
    await run.next(socket, "connect");
    run.serverSockets()[0]?.disconnect();
    await run.next(socket, "connect");
  });

  scenario("the server closes the connection, then the app closes the engine (websocket)", async (run) => {
    const socket = await run.connected({ transports: ["websocket"] });
    run.log("transport", socket.io.engine.transport.name);
    run.serverSockets()[0]?.conn.close();
    await run.next(socket, "connect");
    socket.io.engine.close();
    await run.next(socket, "connect");
  });

  scenario("the server closes the connection over polling: reasons", async (run) => {
    const socket = run.io(run.url, { forceNew: true, transports: ["polling"], ...FAST });
    // reasons only: socket.io-client adds { description: "transport closed by the server" }, volley no description (not yet matched)
    socket.on("disconnect", (reason: never) => run.log("disconnect", reason));
    socket.io.on("close", (reason: never) => run.log("close", reason));
    socket.io.engine.on("close", (reason: never) => run.log("engine close", reason));
    await run.next(socket, "connect");
    run.serverSockets()[0]?.conn.close();
    await run.next(socket, "connect");
  });

  scenario("disconnect() while a POST is in flight over polling: what the server sees", async (run) => {
    const socket = await run.connected({ transports: ["polling"] });
    const server = run.serverSockets()[0];
    const gone = new Promise((resolve) => server?.once("disconnect", resolve));
    server?.on("last", () => run.log("server got last"));
    socket.emit("last");
    // the emit's POST is on its way (socket.io-client sends it at once, volley from a microtask)
    await Promise.resolve();
    socket.disconnect();
    run.log("server disconnect", await gone);
  });

  scenario("acks of sent packets at a server disconnect; buffered ones wait for connect()", async (run) => {
    const socket = await run.connected();
    const left = run.next(socket, "disconnect");
    socket.timeout(60_000).emit("leave", (...args: never[]) => run.log("leave ack", ...args));
    await left;
    socket.timeout(60_000).emit("buffered", (...args: never[]) => run.log("buffered ack", ...args));
    socket.connect();
    await run.next(socket, "echo");
  }, (sio) =>
    sio.on("connection", (socket) => {
      socket.on("leave", () => socket.disconnect());
      socket.on("buffered", (ack: (r: string) => void) => {
        ack("ok");
        socket.emit("echo", "buffered");
      });
    }),
  );

  scenario("disconnect() from inside a connect handler", async (run) => {
    const socket = run.client();
    socket.once("connect", () => socket.disconnect());
    const closed = run.next(socket.io, "close");
    await run.next(socket, "disconnect");
    await closed;
    run.log("after", flags(socket));
  });
});
