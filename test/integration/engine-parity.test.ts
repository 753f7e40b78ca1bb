/**
 * Differential tests of the Engine.IO connection: each scenario runs once with socket.io-client
 * 4.8 (engine.io-client 6.6) and once with the volley client, each against its own fresh
 * socket.io 4.8 server, and records what the app sees (connection events, `socket.io.engine`:
 * transport, `upgrade`, `close`) and what the server sees (HTTP requests with their query and
 * headers, polling bodies, Engine.IO packets, upgrades, close reasons). The traces must be equal.
 */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { Server } from "socket.io";
import { io as sioClient } from "socket.io-client";
import { io as volleyClient } from "../../src/node.js";
import { startSocketIoServer, type SocketIoServer } from "../helpers/socketio-server.js";

type Listener = (...args: never[]) => void;

/** The part of the client API the scenarios use, common to both clients. */
interface ClientSocket {
  readonly io: {
    on(ev: string, fn: Listener): unknown;
    once(ev: string, fn: Listener): unknown;
    off(ev?: string, fn?: Listener): unknown;
    disconnect(): void;
    readonly engine: {
      readonly id: string | undefined;
      readonly transport: { readonly name: string };
      on(ev: string, fn: Listener): unknown;
      close(): void;
    };
  };
  readonly connected: boolean;
  on(ev: string, fn: Listener): ClientSocket;
  once(ev: string, fn: Listener): ClientSocket;
  emit(ev: string, ...args: unknown[]): ClientSocket;
}

type Io = (uri: string, opts?: object) => ClientSocket;
type ServerOptions = Parameters<typeof startSocketIoServer>[0];

/**
 * The sides of a trace; each is compared as a whole. Requests on separate connections (the
 * polling GET, the POST, the WebSocket) arrive in an order set by each client's HTTP stack
 * (fetch or XMLHttpRequest) and the network, so each channel keeps its own order; so do the
 * app's upgrades, which race the CONNECT reply.
 */
interface Trace {
  /** What the app sees, in order (upgrades aside). */
  app: unknown[];
  /** The app's `upgrade` events: the transport, and `engine.transport.name` at that moment. */
  upgrades: unknown[];
  /** Per server-side connection: its lifecycle (connection, upgrading, upgrade, close) and the Engine.IO packets it received. */
  server: { events: unknown[]; packets: unknown[] }[];
  /** HTTP requests the server received, per channel; POSTs as the records they carried. */
  requests: { GET: unknown[]; POST: unknown[]; ws: unknown[] };
}

interface Run {
  readonly server: SocketIoServer;
  log(...entry: unknown[]): void;
  /** A socket on its own Manager, recorded: connect, connect_error, disconnect, Manager open/close/error, engine upgrade/close. */
  client(opts?: object): ClientSocket;
  next(target: { once(ev: string, fn: Listener): unknown }, event: string): Promise<unknown[]>;
  /** Resolves at the next `upgrade` of the socket's current or next engine. */
  upgraded(socket: ClientSocket): Promise<void>;
  /** The server takes WebSocket requests only once `until` resolved (which it returns). */
  holdWebSocket<T>(until: Promise<T>): Promise<T>;
  /** Resolves once the server's connection `n` (from 1) has recorded `entry` (e.g. `"upgrade"`) as its event or packet. */
  serverSaw(n: number, ...entry: unknown[]): Promise<void>;
}

/** Query parameters whose values are random or per session: their presence is compared, not their value. */
const RANDOM_PARAMS = new Set(["t", "sid", "ts"]);

/** Headers the scenarios set; the rest belong to each client's HTTP stack. */
const HEADERS = ["content-type", "x-app"];

/** What the server is told by one HTTP request (path, query, the scenario's headers). */
function describeRequest(req: IncomingMessage): string[] {
  const url = new URL(req.url ?? "/", "http://x");
  const websocket = req.headers.upgrade !== undefined;
  // README (Connection options): timestampRequests adds its parameter to polling requests only
  const params = [...url.searchParams].filter(([k]) => !(websocket && RANDOM_PARAMS.has(k) && k !== "sid"));
  const query = params.map(([k, v]) => `${k}=${RANDOM_PARAMS.has(k) ? "<random>" : v}`);
  const headers = HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => `${h}: ${String(req.headers[h]).toLowerCase()}`);
  return [url.pathname, query.join("&"), ...headers];
}

/** An Engine.IO packet as the server received it: type, and data as text or bytes. */
function describePacket(packet: { type: string; data?: unknown }): unknown[] {
  const { type, data } = packet;
  if (Buffer.isBuffer(data)) return [type, { bytes: [...data] }];
  return data === undefined ? [type] : [type, data];
}

/** Whether `entry` starts with `prefix`. */
const startsWith = (entry: unknown[], prefix: unknown[]): boolean => prefix.every((p, i) => entry[i] === p);

/** Runs `scenario` with one client against a fresh server and returns its trace. */
async function trace(io: Io, scenario: (run: Run) => Promise<void>, options: ServerOptions, setup?: (sio: Server) => void): Promise<Trace> {
  const server = await startSocketIoServer({ pingInterval: 10_000, pingTimeout: 5000, ...options });
  const out: Trace = { app: [], upgrades: [], server: [], requests: { GET: [], POST: [], ws: [] } };
  let recording = true;
  const sockets: ClientSocket[] = [];
  const waiters = new Set<() => void>();
  server.http.prependListener("request", (req: IncomingMessage) => {
    if (!recording) return;
    const request = describeRequest(req);
    if (req.method !== "POST") {
      // a WebSocket request the server does not take (no WebSocket transport) comes here too
      const entry = req.headers.upgrade === undefined ? request : ["upgrade", ...request];
      // how many long-polls a session makes before an upgrade pauses it depends on timing: repeats count once
      if (JSON.stringify(out.requests.GET.at(-1)) !== JSON.stringify(entry)) out.requests.GET.push(entry);
      return;
    }
    // what the POST carries, record by record: volley posts the frames of one tick together,
    // engine.io-client the first one at once and the others in the next POST (a binary event's
    // attachments, for one); the records and their order are what the server acts on
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (recording) for (const record of body.split("\x1e")) out.requests.POST.push([...request, record]);
    });
  });
  // only beside the server's own: without one, Node hands an upgrade request to "request" listeners
  if (server.http.listenerCount("upgrade") > 0) {
    server.http.prependListener("upgrade", (req: IncomingMessage) => {
      if (recording) out.requests.ws.push(describeRequest(req));
    });
  }
  server.io.engine.on("connection", (conn: { transport: { name: string }; on(ev: string, fn: Listener): void }) => {
    const side = { events: [] as unknown[], packets: [] as unknown[] };
    out.server.push(side);
    const log = (list: unknown[], ...entry: unknown[]): void => {
      if (!recording) return;
      list.push(entry);
      for (const check of waiters) check();
    };
    log(side.events, "connection", conn.transport.name);
    conn.on("packet", ((packet: { type: string; data?: unknown }) => log(side.packets, ...describePacket(packet))) as Listener);
    conn.on("upgrading", ((t: { name: string }) => log(side.events, "upgrading", t.name)) as Listener);
    conn.on("upgrade", ((t: { name: string }) => log(side.events, "upgrade", t.name)) as Listener);
    conn.on("close", ((reason: string) => log(side.events, "close", reason)) as Listener);
  });
  setup?.(server.io);
  const run: Run = {
    server,
    log: (...entry) => {
      if (recording) out.app.push(entry);
    },
    client(opts = {}) {
      const socket = io(server.url, { forceNew: true, reconnection: false, ...opts });
      sockets.push(socket);
      let connected = false;
      socket.on("connect", () => {
        connected = true;
        run.log("connect");
      });
      socket.on("connect_error", () => run.log("connect_error"));
      socket.on("disconnect", ((reason: string) => {
        // socket.io-client also emits disconnect on a socket that was not connected, volley does not (README)
        if (connected) run.log("disconnect", reason);
        connected = false;
      }) as Listener);
      socket.io.on("error", () => run.log("manager error"));
      socket.io.on("close", ((reason: string) => run.log("manager close", reason)) as Listener);
      socket.io.on("open", () => {
        run.log("open", socket.io.engine.transport.name, typeof socket.io.engine.id);
        const engine = socket.io.engine;
        engine.on("upgrade", ((t: { name: string }) => recording && out.upgrades.push([t.name, engine.transport.name])) as Listener);
        engine.on("close", ((reason: string) => run.log("engine close", reason)) as Listener);
      });
      return socket;
    },
    next: (target, event) => new Promise((resolve) => target.once(event, (...args: never[]) => resolve(args))),
    upgraded: (socket) =>
      new Promise((resolve) => {
        const watch = (): void => void socket.io.engine.on("upgrade", () => resolve());
        if (socket.io.engine.id === undefined) socket.io.on("open", watch);
        else watch();
      }),
    holdWebSocket(until) {
      const engine = server.io.engine as unknown as { handleUpgrade(...args: unknown[]): void };
      const handleUpgrade = engine.handleUpgrade.bind(engine);
      engine.handleUpgrade = (...args) => void until.then(() => handleUpgrade(...args));
      return until;
    },
    serverSaw: (n, ...entry) =>
      new Promise((resolve) => {
        const check = (): void => {
          const side = out.server[n - 1];
          if (!side || ![...side.events, ...side.packets].some((e) => startsWith(e as unknown[], entry))) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
  try {
    await scenario(run);
  } finally {
    recording = false;
    for (const socket of sockets) {
      socket.io.off();
      socket.io.disconnect();
    }
    await server.close();
  }
  return out;
}

/** Runs the scenario with socket.io-client, then with volley, and expects the same trace. */
function scenario(name: string, body: (run: Run) => Promise<void>, options: ServerOptions = {}, setup?: (sio: Server) => void): void {
  it(name, async () => {
    const reference = await trace(sioClient as unknown as Io, body, options, setup);
    const volley = await trace(volleyClient as unknown as Io, body, options, setup);
    expect(volley).toEqual(reference);
  });
}

/** A server that echoes every event back as `echo`. */
function echoServer(sio: Server): void {
  sio.on("connection", (socket) => socket.onAny((ev: string, ...args: unknown[]) => socket.emit("echo", ev, ...args)));
}

describe("volley and socket.io-client 4.8: the Engine.IO connection as the app and the server see it", () => {
  scenario("default connect and upgrade", async (run) => {
    const socket = run.client();
    await Promise.all([run.next(socket, "connect"), run.upgraded(socket), run.serverSaw(1, "upgrade")]);
    run.log("transport", socket.io.engine.transport.name);
  });

  scenario("transports: websocket only", async (run) => {
    const socket = run.client({ transports: ["websocket"] });
    await run.next(socket, "connect");
    socket.emit("hello", 1);
    await run.next(socket, "echo");
  }, {}, echoServer);

  scenario("upgrade: false stays on polling", async (run) => {
    const socket = run.client({ upgrade: false });
    await run.next(socket, "connect");
    socket.emit("hello", 1);
    await run.next(socket, "echo");
    run.log("transport", socket.io.engine.transport.name);
  }, {}, echoServer);

  scenario("rememberUpgrade across connections", async (run) => {
    // each connection is closed by its Manager and gone at the server before the next one opens
    const close = async (socket: ClientSocket, n: number): Promise<void> => {
      socket.io.disconnect();
      await run.serverSaw(n, "close");
    };
    // a connection that upgraded: the next one with rememberUpgrade opens with WebSocket
    const first = run.client();
    await Promise.all([run.next(first, "connect"), run.upgraded(first)]);
    await close(first, 1);
    const second = run.client({ rememberUpgrade: true });
    await run.next(second, "connect");
    await close(second, 2);
    // a connection that stayed on polling: the next one opens with polling again
    const third = run.client({ upgrade: false });
    await run.next(third, "connect");
    await close(third, 3);
    const fourth = run.client({ rememberUpgrade: true });
    await Promise.all([run.next(fourth, "connect"), run.upgraded(fourth)]);
  });

  scenario("tryAllTransports: a refused WebSocket falls back to polling", async (run) => {
    const socket = run.client({ transports: ["websocket", "polling"], tryAllTransports: true });
    await run.next(socket, "connect");
  }, { transports: ["polling"] });

  scenario("query (object and string), path and addTrailingSlash: false", async (run) => {
    const a = run.client({ path: "/custom", query: { token: "a b&c", n: 1, flag: true } });
    await Promise.all([run.next(a, "connect"), run.upgraded(a)]);
    const b = run.client({ path: "/custom/", addTrailingSlash: false, query: "token=a%20b&n=2", transports: ["websocket"] });
    await run.next(b, "connect");
    const c = run.client({ path: "/custom", addTrailingSlash: false, query: "x=1", upgrade: false });
    await run.next(c, "connect");
  }, { path: "/custom", addTrailingSlash: false });

  scenario("timestampRequests: false, then timestampParam", async (run) => {
    const a = run.client({ timestampRequests: false });
    await Promise.all([run.next(a, "connect"), run.upgraded(a)]);
    const b = run.client({ timestampParam: "ts" });
    await Promise.all([run.next(b, "connect"), run.upgraded(b)]);
    const c = run.client({ timestampRequests: true, timestampParam: "ts", transports: ["websocket"] });
    await run.next(c, "connect");
  });

  scenario("extraHeaders on polling and WebSocket requests", async (run) => {
    const socket = run.client({ extraHeaders: { "x-app": "Volley-1" } });
    await Promise.all([run.next(socket, "connect"), run.upgraded(socket), run.serverSaw(1, "upgrade")]);
  });

  scenario("emits around the upgrade arrive in order", async (run) => {
    let n = 0;
    const socket = run.client();
    const emit = (): void => void socket.emit("n", n++);
    // the server takes the WebSocket only once the app saw connect, so the upgrade cannot race the CONNECT reply
    const connected = run.holdWebSocket(run.next(socket, "connect"));
    socket.on("connect", emit);
    socket.io.on("open", () => socket.io.engine.on("upgrade", emit));
    // the probe has been answered: the client is about to pause polling
    run.server.io.engine.on("connection", (conn: { on(ev: string, fn: Listener): void }) => conn.on("upgrading", emit));
    await Promise.all([connected, run.upgraded(socket)]);
    emit();
    await run.serverSaw(1, "message", `2["n",${n - 1}]`);
  });

  for (const transport of ["polling", "websocket"]) {
    scenario(`binary arguments over ${transport}`, async (run) => {
      const socket = run.client({ transports: [transport] });
      await run.next(socket, "connect");
      socket.emit("bin", new Uint8Array([1, 2, 3]), { b: Buffer.from([255, 0]) });
      const echo = await run.next(socket, "echo");
      run.log("echo", echo);
    }, {}, echoServer);

    scenario(`a packet over maxHttpBufferSize (${transport})`, async (run) => {
      const socket = run.client({ transports: [transport] });
      await run.next(socket, "connect");
      socket.emit("big", "x".repeat(2000));
      await Promise.all([run.next(socket, "disconnect"), run.serverSaw(1, "close")]);
    }, { maxHttpBufferSize: 1000 });

    scenario(`the server stops pinging (${transport}): ping timeout`, async (run) => {
      const socket = run.client({ transports: [transport] });
      await Promise.all([run.next(socket, "disconnect"), run.serverSaw(1, "close")]);
    }, { pingInterval: 100, pingTimeout: 100 }, (sio) =>
      sio.engine.on("connection", (conn: { pingIntervalTimer: NodeJS.Timeout }) => clearTimeout(conn.pingIntervalTimer)));

    scenario(`engine.close() right after an emit (${transport}): the emit and the close reach the server`, async (run) => {
      const socket = run.client({ transports: [transport] });
      await run.next(socket, "connect");
      const closed = Promise.all([run.next(socket.io, "close"), run.serverSaw(1, "close")]);
      socket.emit("bye");
      socket.io.engine.close();
      await closed;
    });

    scenario(`the server closes the connection (${transport})`, async (run) => {
      const socket = run.client({ transports: [transport] });
      await run.next(socket, "connect");
      const closed = Promise.all([run.next(socket, "disconnect"), run.serverSaw(1, "close")]);
      for (const s of run.server.io.sockets.sockets.values()) s.conn.close();
      await closed;
    });
  }

  scenario("server allowUpgrades: false", async (run) => {
    const socket = run.client();
    await run.next(socket, "connect");
    socket.emit("hello");
    await run.next(socket, "echo");
    run.log("transport", socket.io.engine.transport.name);
  }, { allowUpgrades: false }, echoServer);

  scenario("server transports: polling, client websocket only", async (run) => {
    const socket = run.client({ transports: ["websocket"] });
    await run.next(socket, "connect_error");
  }, { transports: ["polling"] });

  scenario("engine.close() while the upgrade probe is in flight", async (run) => {
    const socket = run.client();
    // the server holds the probe's request until the app, once connected (so that neither client
    // has packets to send: engine.io-client would wait for them), closes the engine
    run.holdWebSocket(run.next(socket, "connect").then(() => socket.io.engine.close()));
    await Promise.all([run.next(socket.io, "close"), run.serverSaw(1, "close")]);
  });
});
