/**
 * Differential tests: each scenario sets up a server once against the socket.io 4.8 API, runs
 * on the volley reference server and on the real socket.io 4.8 server with the same
 * socket.io-client 4.8 script, and the two traces (what the clients and the server handlers
 * observed, per observer, in order) must be equal.
 */
import { describe, expect, it } from "vitest";
import { io as connect, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from "socket.io-client";
import type { Server, ServerOptions, Socket } from "../../src/server/index.js";
import { startReferenceServer } from "../helpers/reference-server.js";
import { startSocketIoServer } from "../helpers/socketio-server.js";

type Entry = unknown[];
type Trace = Record<string, Entry[]>;
type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** What a server set-up records: `log` for the server's observations, `who` and `rooms` show ids as client names. */
interface Recorder {
  log(...entry: unknown[]): void;
  /** The socket's client name (its `auth.name`), and its id mapped to that name in the trace. */
  who(socket: Socket): string;
  /** The socket's rooms (a set: sorted in the trace). */
  rooms(socket: Socket): unknown;
}

interface Run {
  readonly io: Server;
  /** A client socket named `name` (sent as `auth.name`), connecting over WebSocket unless told. */
  client(name: string, nsp?: string, options?: ClientOptions): ClientSocket;
  /** Another namespace on the same connection as `on`. */
  socket(on: ClientSocket, name: string, nsp: string): ClientSocket;
  /** Resolves once every client is connected. */
  ready(...clients: ClientSocket[]): Promise<void>;
  log(observer: string, ...entry: unknown[]): void;
  /** Resolves once `observer` has recorded `count` entries starting with `event`. */
  seen(observer: string, event: string, count?: number): Promise<void>;
}

interface Scenario {
  readonly name: string;
  readonly options?: ServerOptions;
  server(io: Server, r: Recorder): void;
  run(ctx: Run): Promise<void>;
}

/** A copy of `value` that JSON can hold and that compares across servers. */
function snapshot(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (typeof value === "function") return "<function>";
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { bytes: [...value] };
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (value instanceof Set) return { set: [...value].map(snapshot) };
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [snapshot(k), snapshot(v)]) };
  if (value instanceof Error) {
    // Message, data and responses only: volley's errors are its own classes (AckTimeoutError, ...), as README says.
    const extra = value as Error & { data?: unknown; responses?: unknown };
    const out: Record<string, unknown> = { error: value.message };
    if (extra.data !== undefined) out["data"] = snapshot(extra.data);
    if (extra.responses !== undefined) out["responses"] = snapshot(extra.responses);
    return out;
  }
  if (Array.isArray(value)) return value.map(snapshot);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]));
  return value;
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Replaces socket ids by client names, then sorts sets (their order is the rooms' insertion order). */
function settle(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => settle(v, names));
  if (typeof value === "object" && value !== null) {
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [names.get(k) ?? k, settle(v, names)]));
    for (const key of ["set", "map"]) if (Array.isArray(out[key])) (out[key] as unknown[]).sort(byJson);
    return out;
  }
  return value;
}

async function play(kind: "volley" | "socket.io", scenario: Scenario, transports: string[]): Promise<Trace> {
  const trace: Trace = {};
  const names = new Map<string, string>();
  const waiters: { observer: string; event: string; count: number; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of waiters.slice()) {
      if ((trace[w.observer] ?? []).filter((e) => e[0] === w.event).length < w.count) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const log = (observer: string, ...entry: unknown[]) => {
    (trace[observer] ??= []).push(snapshot(entry) as Entry);
    wake();
  };
  const who = (socket: Socket) => {
    const name = String(socket.handshake.auth["name"]);
    names.set(socket.id, name);
    return name;
  };
  const recorder: Recorder = {
    log: (...entry) => log("server", ...entry),
    who,
    rooms: (socket) => {
      who(socket);
      return new Set(socket.rooms);
    },
  };
  const started =
    kind === "volley"
      ? await startReferenceServer(scenario.options, (io) => scenario.server(io, recorder))
      : await startSocketIoServer(scenario.options as Parameters<typeof startSocketIoServer>[0]);
  const io = started.io as unknown as Server;
  if (kind === "socket.io") scenario.server(io, recorder);
  const clients: ClientSocket[] = [];
  const track = (c: ClientSocket, name: string) => {
    clients.push(c);
    c.on("connect", () => names.set(c.id ?? "", name));
    return c;
  };
  const ctx: Run = {
    io,
    client: (name, nsp = "/", options = {}) =>
      track(connect(started.url + nsp, { forceNew: true, reconnection: false, transports, ...options, auth: { name, ...options.auth } }), name),
    socket: (on, name, nsp) => track(on.io.socket(nsp, { auth: { name } }), name),
    ready: async (...cs) => {
      await Promise.all(cs.map((c) => (c.connected ? undefined : new Promise((resolve) => c.once("connect", () => resolve(undefined))))));
    },
    log,
    seen: (observer, event, count = 1) =>
      new Promise((resolve) => {
        waiters.push({ observer, event, count, resolve });
        wake();
      }),
  };
  try {
    await scenario.run(ctx);
    return settle(trace, names) as Trace;
  } finally {
    for (const c of clients) {
      c.io.reconnection(false);
      c.disconnect();
    }
    await started.close();
  }
}

const WEBSOCKET = [["websocket"]];
const BOTH = [["websocket"], ["polling"]];

/** Runs `scenario` on both servers, once per client transport list, and compares the traces. */
function parity(scenario: Scenario, transportSets: string[][] = WEBSOCKET): void {
  for (const transports of transportSets) {
    it(`${scenario.name} (${transports.join(", ")})`, async () => {
      const reference = await play("socket.io", scenario, transports);
      const volley = await play("volley", scenario, transports);
      expect(Object.keys(reference).length).toBeGreaterThan(0);
      expect(volley).toEqual(reference);
    });
  }
}

/** The trailing ack of a handler's arguments, or a no-op. */
function ackOf(args: unknown[]): (...reply: unknown[]) => void {
  const last = args[args.length - 1];
  return typeof last === "function" ? (last as (...reply: unknown[]) => void) : () => undefined;
}

/** Event arguments with the trailing recovery offset (random per server) shown as "<offset>"; payloads there are numbers. */
function offsetShown(args: unknown[]): unknown[] {
  return typeof args[args.length - 1] === "string" ? [...args.slice(0, -1), "<offset>"] : args;
}

/** The rooms of a namespace's adapter, as a sorted map of sets. */
function roomsOf(io: Server, nsp = "/"): unknown {
  return new Map([...io.of(nsp).adapter.rooms].map(([room, ids]) => [room, new Set(ids)]));
}

describe("parity with socket.io 4.8", () => {
  parity(
    {
      name: "events and acks both ways, binary, send, a handler acking twice",
      server(io, r) {
        io.on("connection", (socket) => {
          r.log("connection", r.who(socket), socket.connected, r.rooms(socket));
          socket.on("echo", (...args: unknown[]) => {
            const ack = ackOf(args);
            r.log("echo", ...args);
            ack(...args.slice(0, -1));
            ack("twice");
          });
          socket.on("start", () => {
            socket.emit("hello", 1, { bin: Buffer.from([1, 2]) }, (...reply: unknown[]) => {
              r.log("hello acked", ...reply);
              socket.send("bye", null);
            });
          });
        });
      },
      async run(ctx) {
        const a = ctx.client("A");
        a.on("hello", (...args: unknown[]) => {
          ctx.log("A", "hello", ...args);
          ackOf(args)("back", Buffer.from([3]), { n: 2 });
        });
        a.on("message", (...args: unknown[]) => ctx.log("A", "message", ...args));
        const reply = await a.emitWithAck("echo", "x", [Buffer.from([9])], { deep: { n: null } });
        ctx.log("A", "echo reply", reply);
        a.emit("start");
        await ctx.seen("A", "message");
      },
    },
    BOTH,
  );

  parity(
    {
      name: "argument encoding: undefined, NaN, dates, toJSON, nested binary, in events, acks and broadcasts",
      server(io, r) {
        const values = () => [
          ...[undefined, null, NaN, Infinity, -0, "", true, 1.5, new Date(0)],
          ...[{ u: undefined, n: NaN, d: new Date(0) }, [undefined, 1], { toJSON: () => "custom" }, { deep: [{ b: Buffer.from([7]) }] }],
        ];
        io.on("connection", (socket) => {
          socket.on("ask", (ack: (...reply: unknown[]) => void) => ack(...values()));
          socket.on("go", () => {
            socket.emit("types", ...values());
            io.emit("types", ...values());
            socket.emit("types", undefined);
            socket.emit("types", ...values(), (...reply: unknown[]) => r.log("acked", ...reply));
          });
        });
      },
      async run(ctx) {
        const a = ctx.client("A");
        a.on("types", (...args: unknown[]) => {
          ctx.log("A", "types", args.length, ...args);
          ackOf(args)(undefined, NaN, new Date(0));
        });
        await ctx.ready(a);
        ctx.log("A", "ask", ...(await new Promise<unknown[]>((resolve) => a.emit("ask", (...reply: unknown[]) => resolve(reply)))));
        a.emit("go");
        await ctx.seen("server", "acked");
      },
    },
    BOTH,
  );

  parity(
    {
      name: "handshake fields and socket.data set by a middleware",
      server(io, r) {
        io.use((socket, next) => {
          socket.data["token"] = socket.handshake.auth["token"];
          next();
        });
        io.on("connection", (socket) => {
          const h = socket.handshake;
          const query = Object.fromEntries(Object.entries(h.query).filter(([k]) => k !== "t"));
          // Values that differ per run: the port in host, the WebSocket key, the cache-busting `t`.
          const headers = Object.fromEntries(Object.entries(h.headers).map(([k, v]) => [k, k === "host" || k === "sec-websocket-key" ? typeof v : v]));
          const url = h.url.replace(/([?&])t=[^&]*/, "$1t=T");
          const fields = { auth: h.auth, query, url, headers, address: h.address, xdomain: h.xdomain, secure: h.secure, time: typeof h.time, issued: typeof h.issued };
          r.log("connection", r.who(socket), fields, socket.data, socket.conn.transport.name);
          socket.emit("done");
        });
      },
      async run(ctx) {
        const a = ctx.client("A", "/", { auth: { token: "t1" }, query: { room: "r1", n: "2" }, extraHeaders: { "x-test": "yes" } });
        a.on("done", () => ctx.log("A", "done"));
        await ctx.seen("A", "done");
      },
    },
    BOTH,
  );

  parity(
    {
      name: "rooms: join, leave, socket.rooms, to/in/except unions, io.to(id), socket.broadcast and socket.to",
      server(io, r) {
        const byName = new Map<string, Socket>();
        io.on("connection", (socket) => {
          byName.set(r.who(socket), socket);
          socket.on("join", (rooms: string[], ack: () => void) => {
            socket.join(rooms);
            r.log("joined", r.who(socket), r.rooms(socket));
            ack();
          });
          socket.on("leave", (room: string, ack: () => void) => {
            socket.leave(room);
            socket.leave("never joined");
            r.log("left", r.who(socket), r.rooms(socket));
            ack();
          });
          socket.on("fanout", (ack: () => void) => {
            const b = byName.get("B")?.id ?? "";
            io.to("red").emit("m", "io.to red");
            io.to(["red", "blue"]).emit("m", "io.to red, blue");
            io.to("red").to("blue").except("green").emit("m", "io.to red.to blue.except green");
            io.except("red").emit("m", "io.except red");
            io.except(["red", "green"]).emit("m", "io.except red, green");
            io.in("blue").except(b).emit("m", "io.in blue.except B");
            io.to(b).emit("m", "io.to B");
            socket.to("red").emit("m", "socket.to red");
            socket.in(["red", "blue"]).emit("m", "socket.in red, blue");
            socket.except("green").emit("m", "socket.except green");
            socket.broadcast.emit("m", "socket.broadcast");
            socket.broadcast.to("blue").except("red").emit("m", "socket.broadcast.to blue.except red");
            io.sockets.to("green").emit("m", "io.sockets.to green");
            io.of("/").emit("m", "io.of(/).emit");
            io.to("nobody").emit("m", "io.to nobody");
            io.emit("m", "io.emit");
            ack();
          });
          socket.on("adapter", (ack: () => void) => {
            r.log("adapter", roomsOf(io));
            ack();
          });
        });
      },
      async run(ctx) {
        const [a, b, c] = ["A", "B", "C"].map((n) => ctx.client(n)) as [ClientSocket, ClientSocket, ClientSocket];
        for (const [name, s] of [["A", a], ["B", b], ["C", c]] as const) s.on("m", (what: string) => ctx.log(name, what));
        await ctx.ready(a, b, c);
        await a.emitWithAck("join", ["red", "blue"]);
        await b.emitWithAck("join", ["blue", "green"]);
        await c.emitWithAck("join", ["red"]);
        await c.emitWithAck("leave", "red");
        await c.emitWithAck("join", ["red", "red"]);
        await a.emitWithAck("adapter");
        await a.emitWithAck("fanout");
        await Promise.all(["A", "B", "C"].map((n) => ctx.seen(n, "io.emit")));
      },
    },
    BOTH,
  );

  parity({
    name: "server-side operators: socketsJoin, socketsLeave, fetchSockets, disconnectSockets",
    server(io, r) {
      io.on("connection", (socket) => {
        r.who(socket);
        socket.data["n"] = r.who(socket).toLowerCase();
        socket.on("disconnect", (reason: string) => r.log("disconnect", r.who(socket), reason));
        socket.on("ops", async (ack: () => void) => {
          io.socketsJoin("all");
          io.in(socket.id).socketsJoin(["mine", "x"]);
          io.except(socket.id).socketsJoin("others");
          io.in("others").socketsLeave(["all", "x"]);
          io.of("/").in("all").socketsLeave("nothing");
          r.log("rooms", roomsOf(io));
          const fetched = await io.in("others").fetchSockets();
          r.log("fetched", new Set(fetched.map((s) => [s.id, new Set(s.rooms), s.data])));
          r.log("fetched all", (await io.fetchSockets()).length, (await io.in("nobody").fetchSockets()).length);
          io.in("others").except("B-room").disconnectSockets();
          r.log("after disconnectSockets", roomsOf(io));
          io.of("/").in("B-room").disconnectSockets(true);
          ack();
        });
        socket.on("join", (room: string, ack: () => void) => {
          socket.join(room);
          ack();
        });
      });
    },
    async run(ctx) {
      const [a, b, c] = ["A", "B", "C"].map((n) => ctx.client(n)) as [ClientSocket, ClientSocket, ClientSocket];
      for (const [name, s] of [["B", b], ["C", c]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason));
      await ctx.ready(a, b, c);
      await b.emitWithAck("join", "B-room");
      await a.emitWithAck("ops");
      await Promise.all([ctx.seen("B", "disconnect"), ctx.seen("C", "disconnect"), ctx.seen("server", "disconnect", 2)]);
    },
  });

  parity({
    name: "namespaces: io.use only on /, namespace middleware, connect_error with data, Invalid namespace",
    server(io, r) {
      io.use((socket, next) => {
        r.log("io.use", r.who(socket), socket.nsp.name);
        next();
      });
      const admin = io.of("/admin");
      admin.use((socket, next) => {
        r.log("admin.use", r.who(socket), socket.handshake.auth["token"]);
        const token = socket.handshake.auth["token"];
        if (token === "plain") return next(new Error("plain refusal"));
        if (token !== "ok") return next(Object.assign(new Error("not admin"), { data: { code: 7, list: [1] } }));
        next();
      });
      admin.use((socket, next) => {
        r.log("admin.use 2", r.who(socket));
        next();
      });
      admin.on("connection", (socket) => {
        r.log("admin connection", r.who(socket), socket.nsp.name, r.rooms(socket));
        socket.emit("welcome", socket.nsp.name);
      });
      io.on("connection", (socket) => {
        r.log("connection", r.who(socket), socket.nsp.name);
        socket.emit("welcome", socket.nsp.name);
      });
    },
    async run(ctx) {
      const observe = (name: string, s: ClientSocket) => {
        s.on("welcome", (nsp: string) => ctx.log(name, "welcome", nsp, s.connected));
        s.on("connect_error", (err: Error) => ctx.log(name, "connect_error", err, s.active));
      };
      const a = ctx.client("A");
      observe("A", a);
      await ctx.seen("A", "welcome");
      const refused = ctx.socket(a, "A-admin", "/admin");
      observe("A-admin", refused);
      await ctx.seen("A-admin", "connect_error");
      const plain = ctx.client("B", "/admin", { auth: { token: "plain" } });
      observe("B", plain);
      await ctx.seen("B", "connect_error");
      const admin = ctx.client("D", "/admin", { auth: { token: "ok" } });
      observe("D", admin);
      await ctx.seen("D", "welcome");
      const nowhere = ctx.client("C", "/nowhere");
      observe("C", nowhere);
      await ctx.seen("C", "connect_error");
      ctx.log("A", "still connected", a.connected);
    },
  });

  parity({
    name: "socket.use and onAny/prependAny/offAny on incoming events, an event named error",
    server(io, r) {
      io.on("connection", (socket) => {
        const removed = (event: string) => r.log("removed any", event);
        socket.onAny((event: string, ...args: unknown[]) => r.log("any", event, ...args));
        socket.prependAny((event: string) => r.log("prepended any", event));
        socket.onAny(removed);
        socket.offAny(removed);
        r.log("listenersAny", socket.listenersAny().length);
        socket.use(([event, ...args], next) => {
          r.log("use", event, ...args);
          if (event === "forbidden") return next(Object.assign(new Error("forbidden"), { data: 1 }));
          next();
        });
        socket.use(([event], next) => {
          r.log("use 2", event);
          next();
        });
        socket.on("error", (err: unknown) => r.log("error", err));
        socket.on("forbidden", () => r.log("forbidden ran"));
        socket.on("ok", (...args: unknown[]) => {
          r.log("ok", ...args);
          ackOf(args)("fine");
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      await ctx.ready(a);
      a.emit("forbidden", 1);
      await ctx.seen("server", "error");
      a.emit("error", "from the client");
      await ctx.seen("server", "error", 2);
      ctx.log("A", "ok", await a.emitWithAck("ok", 2));
    },
  });

  parity({
    name: "socket.timeout(ms).emit and emitWithAck: answered, unanswered, several reply args",
    server(io, r) {
      io.on("connection", (socket) => {
        socket.on("go", async () => {
          await new Promise<void>((resolve) =>
            socket.timeout(5000).emit("answer", 1, (err: unknown, ...reply: unknown[]) => {
              r.log("timeout emit answered", err, ...reply);
              resolve();
            }),
          );
          await new Promise<void>((resolve) =>
            socket.timeout(30).emit("ignore", (err: unknown, ...reply: unknown[]) => {
              r.log("timeout emit unanswered", err, ...reply);
              resolve();
            }),
          );
          r.log("emitWithAck", await socket.emitWithAck("answer", 2));
          r.log("timeout emitWithAck", await socket.timeout(5000).emitWithAck("answer", 3));
          await socket
            .timeout(30)
            .emitWithAck("ignore")
            .catch((err: unknown) => r.log("timeout emitWithAck rejected", err));
          socket.emit("plain", (...reply: unknown[]) => r.log("plain ack", ...reply));
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      a.on("answer", (n: number, ack: (...reply: unknown[]) => void) => ack(n * 10, "second"));
      a.on("ignore", () => ctx.log("A", "ignore"));
      a.on("plain", (ack: (...reply: unknown[]) => void) => ack());
      a.emit("go");
      await ctx.seen("server", "plain ack");
    },
  });

  parity({
    name: "broadcast acks: all replies, a timeout with the replies so far, no target at all, a late reply",
    server(io, r) {
      const sorted = (replies: unknown) => [...(replies as string[])].sort();
      let kept: unknown = [];
      io.on("connection", (socket) => {
        if (socket.handshake.auth["name"] !== "C") socket.join("answering");
        socket.on("go", async () => {
          await new Promise<void>((resolve) =>
            io.timeout(5000).to("answering").emit("poll", (err: unknown, replies: unknown) => {
              r.log("all answered", err, sorted(replies));
              resolve();
            }),
          );
          await new Promise<void>((resolve) =>
            io.timeout(500).emit("poll", (err: unknown, replies: unknown) => {
              r.log("one silent", err, sorted(replies));
              resolve();
            }),
          );
          r.log("emitWithAck", sorted(await io.timeout(5000).in("answering").emitWithAck("poll")));
          await io
            .timeout(500)
            .emitWithAck("poll")
            .catch((err: Error & { responses?: unknown }) => r.log("emitWithAck rejected", err.message, sorted(err.responses ?? [])));
          await new Promise<void>((resolve) => {
            io.timeout(5000).to("nobody").emit("poll", (err: unknown, replies: unknown) => {
              r.log("nobody", err, replies);
              resolve();
            });
            r.log("after emit to nobody");
          });
          await new Promise<void>((resolve) =>
            io.timeout(500).emit("late", (err: unknown, replies: unknown) => {
              kept = replies;
              r.log("late timed out", err, sorted(replies));
              resolve();
            }),
          );
          io.emit("release");
        });
        socket.on("released", () => r.log("replies after a late answer", sorted(kept)));
      });
    },
    async run(ctx) {
      const clients = ["A", "B", "C"].map((n) => ctx.client(n));
      clients.forEach((c, i) => c.on("poll", (ack: (name: string) => void) => (i < 2 ? ack(["A", "B"][i] ?? "") : undefined)));
      clients.forEach((c, i) =>
        c.on("late", (ack: (name: string) => void) => {
          if (i < 2) return ack(["A", "B"][i] ?? "");
          c.once("release", () => {
            ack("C, late");
            c.emit("released");
          });
        }),
      );
      await ctx.ready(...clients);
      clients[0]?.emit("go");
      await ctx.seen("server", "replies after a late answer");
    },
  });

  parity({
    name: "a socket's flags apply to its broadcast operators and are then reset",
    server(io, r) {
      io.on("connection", (socket) => {
        socket.join("all");
        socket.on("go", async () => {
          await new Promise<void>((resolve) =>
            socket
              .timeout(200)
              .broadcast.emit("poll", (err: unknown, replies: unknown) => {
                r.log("timeout broadcast", err, replies);
                resolve();
              }),
          );
          socket.timeout(5000).to("all").emit("note");
          socket.emit("question", (...reply: unknown[]) => r.log("next emit acked", ...reply));
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      const b = ctx.client("B");
      b.on("poll", () => ctx.log("B", "poll"));
      b.on("note", () => ctx.log("B", "note"));
      a.on("question", (ack: (reply: string) => void) => ack("answer"));
      await ctx.ready(a, b);
      a.emit("go");
      await ctx.seen("server", "next emit acked");
    },
  });

  parity({
    name: "disconnecting sees the rooms; client namespace disconnect and transport close; no join after disconnect",
    server(io, r) {
      io.on("connection", (socket) => {
        const name = r.who(socket);
        socket.join(`room-${name}`);
        socket.on("disconnecting", (reason: string) => r.log("disconnecting", name, reason, r.rooms(socket), socket.connected));
        socket.on("disconnect", (reason: string, description: unknown) => {
          r.log("disconnect", name, reason, description, r.rooms(socket), socket.connected);
          socket.join("too late");
          r.log("adapter", roomsOf(io));
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      const b = ctx.client("B");
      const c = ctx.client("C");
      for (const [name, s] of [["A", a], ["B", b]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason, s.connected));
      await ctx.ready(a, b, c);
      a.disconnect();
      await ctx.seen("server", "disconnect");
      b.io.engine.close();
      await ctx.seen("server", "disconnect", 2);
      await ctx.seen("B", "disconnect");
    },
  });

  parity({
    name: "server namespace disconnect, and disconnect(true) ending every namespace of the connection",
    server(io, r) {
      const watch = (socket: Socket) => {
        const name = r.who(socket);
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, socket.nsp.name, reason));
        socket.on("kick", (close: boolean) => socket.disconnect(close));
      };
      io.on("connection", watch);
      io.of("/chat").on("connection", watch);
    },
    async run(ctx) {
      const a = ctx.client("A");
      const aChat = ctx.socket(a, "A-chat", "/chat");
      const b = ctx.client("B");
      const bChat = ctx.socket(b, "B-chat", "/chat");
      for (const [name, s] of [["A", a], ["A-chat", aChat], ["B", b], ["B-chat", bChat]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason));
      await ctx.ready(a, aChat, b, bChat);
      aChat.emit("kick", false);
      await ctx.seen("A-chat", "disconnect");
      ctx.log("A", "still connected", a.connected);
      bChat.emit("kick", true);
      await Promise.all([ctx.seen("B", "disconnect"), ctx.seen("B-chat", "disconnect"), ctx.seen("server", "disconnect", 3)]);
    },
  });

  parity({
    name: "socket.conn.close() ends every namespace of the connection",
    server(io, r) {
      const watch = (socket: Socket) => {
        const name = r.who(socket);
        socket.on("disconnecting", (reason: string) => r.log("disconnecting", name, reason, r.rooms(socket)));
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, reason));
        socket.on("close", () => socket.conn.close());
      };
      io.on("connection", watch);
      io.of("/chat").on("connection", watch);
    },
    async run(ctx) {
      const a = ctx.client("A");
      const aChat = ctx.socket(a, "A-chat", "/chat");
      for (const [name, s] of [["A", a], ["A-chat", aChat]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason));
      await ctx.ready(a, aChat);
      aChat.emit("close");
      await Promise.all([ctx.seen("A", "disconnect"), ctx.seen("A-chat", "disconnect"), ctx.seen("server", "disconnect", 2)]);
    },
  });

  parity({
    name: "ping timeout when the client stops answering pings",
    options: { pingInterval: 100, pingTimeout: 100 },
    server(io, r) {
      io.on("connection", (socket) => {
        const name = r.who(socket);
        socket.on("disconnecting", (reason: string) => r.log("disconnecting", name, reason, r.rooms(socket)));
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, reason));
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      await ctx.ready(a);
      const engine = a.io.engine as unknown as { _sendPacket(type: string, ...rest: unknown[]): void };
      const send = engine._sendPacket.bind(engine);
      engine._sendPacket = (type, ...rest) => (type === "pong" ? undefined : send(type, ...rest));
      await ctx.seen("server", "disconnect");
    },
  });

  parity({
    // WebSocket only: over polling, whether a poll is held when the server closes is a race, on both servers.
    name: "io.close(): server shutting down in every namespace",
    server(io, r) {
      const watch = (socket: Socket) => {
        const name = r.who(socket);
        socket.on("disconnecting", (reason: string) => r.log("disconnecting", name, socket.nsp.name, reason, r.rooms(socket)));
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, socket.nsp.name, reason));
      };
      io.on("connection", watch);
      io.of("/chat").on("connection", watch);
    },
    async run(ctx) {
      const a = ctx.client("A");
      const aChat = ctx.socket(a, "A-chat", "/chat");
      const b = ctx.client("B");
      for (const [name, s] of [["A", a], ["A-chat", aChat], ["B", b]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason));
      await ctx.ready(a, aChat);
      await ctx.ready(b);
      await ctx.io.close();
      await Promise.all([ctx.seen("A", "disconnect"), ctx.seen("A-chat", "disconnect"), ctx.seen("B", "disconnect"), ctx.seen("server", "disconnect", 3)]);
    },
  });

  parity({
    name: "a refused socket leaves the rooms its middleware joined",
    server(io, r) {
      io.use((socket, next) => {
        const name = r.who(socket);
        socket.join(["lobby", `own-${name}`]);
        if (name === "bad") return next(new Error("refused"));
        next();
      });
      io.on("connection", (socket) => {
        socket.on("rooms", async (ack: () => void) => {
          const lobby = await io.in("lobby").fetchSockets();
          r.log("rooms", roomsOf(io), new Set(lobby.map((s) => s.id)));
          ack();
        });
      });
    },
    async run(ctx) {
      const bad = ctx.client("bad");
      bad.on("connect_error", (err: Error) => ctx.log("bad", "connect_error", err));
      await ctx.seen("bad", "connect_error");
      const a = ctx.client("A");
      await ctx.ready(a);
      await a.emitWithAck("rooms");
    },
  });

  parity({
    name: "dynamic namespaces: children inherit middleware and connection listeners; the parent emits to all",
    server(io, r) {
      const parent = io.of(/^\/team-\d+$/);
      parent.use((socket, next) => {
        r.log("parent.use", r.who(socket), socket.nsp.name);
        next();
      });
      parent.on("connection", (socket) => {
        r.log("connection", r.who(socket), socket.nsp.name, r.rooms(socket));
        socket.on("shout", () => parent.emit("news", `from ${socket.nsp.name}`));
        socket.emit("welcome", socket.nsp.name);
      });
    },
    async run(ctx) {
      const a = ctx.client("A", "/team-1");
      const b = ctx.client("B", "/team-2");
      const c = ctx.client("C", "/teams");
      for (const [name, s] of [["A", a], ["B", b], ["C", c]] as const) {
        s.on("welcome", (nsp: string) => ctx.log(name, "welcome", nsp));
        s.on("news", (what: string) => ctx.log(name, "news", what));
        s.on("connect_error", (err: Error) => ctx.log(name, "connect_error", err));
      }
      await ctx.seen("A", "welcome");
      await ctx.seen("B", "welcome");
      await ctx.seen("C", "connect_error");
      a.emit("shout");
      await Promise.all([ctx.seen("A", "news"), ctx.seen("B", "news")]);
    },
  });

  parity({
    name: "an ack pending when the client goes away",
    server(io, r) {
      io.on("connection", (socket) => {
        socket.on("disconnect", (reason: string) => r.log("disconnect", reason));
        socket.on("go", () => {
          socket.timeout(1000).emit("never answered", (err: unknown, ...reply: unknown[]) => r.log("timed ack", err, ...reply));
          socket.emit("never answered either", (...reply: unknown[]) => r.log("plain ack", ...reply));
          socket
            .timeout(1000)
            .emitWithAck("never answered")
            .then(
              (reply) => r.log("emitWithAck resolved", reply),
              (err: unknown) => r.log("emitWithAck rejected", err),
            );
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      a.on("never answered", () => ctx.log("A", "never answered"));
      a.on("never answered either", () => {
        ctx.log("A", "never answered either");
        a.disconnect();
      });
      a.emit("go");
      await ctx.seen("server", "disconnect");
      await ctx.seen("server", "emitWithAck rejected");
      await ctx.seen("server", "timed ack");
    },
  });

  parity({
    name: "volatile events are dropped while the transport is busy",
    server(io) {
      io.on("connection", (socket) => {
        socket.on("go", () => {
          for (let i = 0; i < 3; i++) socket.volatile.emit("v", `socket ${i}`);
          socket.emit("v", "socket plain");
          for (let i = 0; i < 3; i++) io.volatile.emit("v", `io ${i}`);
          socket.emit("end");
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      a.on("v", (what: string) => ctx.log("A", what));
      a.on("end", () => ctx.log("A", "end"));
      await ctx.ready(a);
      a.emit("go");
      await ctx.seen("A", "end");
    },
  });

  parity({
    name: "reserved event names throw on every emit; a socket disconnected in its connection handler",
    server(io, r) {
      io.on("connection", (socket) => {
        const name = r.who(socket);
        for (const event of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener", "connection", "error"]) {
          for (const [how, emit] of [
            ["socket", () => socket.emit(event)],
            ["io", () => io.emit(event)],
            ["to", () => socket.to("x").emit(event)],
          ] as const) {
            try {
              emit();
              r.log("emitted", how, event);
            } catch (err) {
              r.log("threw", how, event, err);
            }
          }
        }
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, reason));
        if (name === "B") socket.disconnect();
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      a.on("error", () => ctx.log("A", "error event"));
      a.on("connection", () => ctx.log("A", "connection event"));
      await ctx.ready(a);
      const b = ctx.client("B");
      b.on("connect", () => ctx.log("B", "connect"));
      b.on("disconnect", (reason: string) => ctx.log("B", "disconnect", reason));
      await ctx.seen("B", "disconnect");
      await ctx.seen("server", "disconnect");
    },
  });

  parity({
    name: "io.on and io.sockets.on share one list of connection listeners",
    server(io, r) {
      io.on("connection", (socket) => r.log("io.on 1", r.who(socket)));
      io.sockets.on("connection", (socket) => r.log("io.sockets.on", r.who(socket)));
      io.of("/").on("connect", (socket) => r.log("io.of(/).on connect", r.who(socket)));
      io.on("connection", (socket) => r.log("io.on 2", r.who(socket)));
      const once = (socket: Socket) => r.log("io.once", r.who(socket));
      io.once("connection", once);
      const removed = (socket: Socket) => r.log("removed", r.who(socket));
      io.sockets.on("connection", removed);
      io.off("connection", removed);
      r.log("listeners", io.listenerCount("connection"), io.sockets.listenerCount("connection"), io.listeners("connect").length);
    },
    async run(ctx) {
      await ctx.ready(ctx.client("A"));
      await ctx.ready(ctx.client("B"));
    },
  });

  parity({
    name: "protocol violations: an undecodable packet, an event for a namespace not joined",
    server(io, r) {
      io.on("connection", (socket) => {
        const name = r.who(socket);
        socket.on("error", (err: unknown) => r.log("error", name, err));
        socket.on("disconnect", (reason: string) => r.log("disconnect", name, reason));
      });
    },
    async run(ctx) {
      const a = ctx.client("A");
      const b = ctx.client("B");
      for (const [name, s] of [["A", a], ["B", b]] as const) s.on("disconnect", (reason: string) => ctx.log(name, "disconnect", reason));
      await ctx.ready(a, b);
      a.io.engine.write('2{"not":"an array"}');
      await ctx.seen("server", "disconnect");
      b.io.engine.write('2/elsewhere,["hi"]');
      await ctx.seen("server", "disconnect", 2);
      await Promise.all([ctx.seen("A", "disconnect"), ctx.seen("B", "disconnect")]);
    },
  });

  parity({
    name: "connection state recovery with middlewares: the restored state is there when they run; volatile events carry no offset",
    options: { connectionStateRecovery: { skipMiddlewares: false } },
    server(io, r) {
      io.use((socket, next) => {
        r.log("use", r.who(socket), socket.recovered, r.rooms(socket), socket.data);
        next();
      });
      io.on("connection", (socket) => {
        r.log("connection", r.who(socket), socket.recovered, r.rooms(socket), socket.data);
        if (socket.recovered) return;
        socket.join("news");
        socket.data["n"] = 1;
        socket.emit("welcome", 1);
        socket.on("more", () => {
          socket.volatile.emit("volatile", 1);
          socket.emit("acked", 1, () => undefined);
          io.emit("plain", 1);
        });
        socket.on("disconnect", () => io.to("news").emit("missed", 1));
      });
    },
    async run(ctx) {
      const a = ctx.client("A", "/", { reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 20 });
      for (const event of ["volatile", "acked", "plain", "welcome", "missed"]) a.on(event, (...all: unknown[]) => ctx.log("A", event, ...offsetShown(all)));
      a.on("connect", () => ctx.log("A", "connect", a.recovered));
      await ctx.seen("A", "welcome");
      a.emit("more");
      await ctx.seen("A", "plain");
      a.io.engine.close();
      await ctx.seen("server", "connection", 2);
      await ctx.seen("A", "missed");
    },
  });

  parity({
    name: "connection state recovery: id, rooms, data and missed events come back",
    options: { connectionStateRecovery: {} },
    server(io, r) {
      io.on("connection", (socket) => {
        const name = r.who(socket);
        r.log("connection", name, socket.recovered, r.rooms(socket), socket.data);
        if (!socket.recovered) {
          socket.join("news");
          socket.data["n"] = 1;
          socket.emit("welcome");
        }
        socket.on("disconnect", (reason: string) => {
          r.log("disconnect", name, reason);
          io.to("news").emit("missed", 1);
          io.except("news").emit("missed", 2);
        });
      });
    },
    async run(ctx) {
      const a = ctx.client("A", "/", { reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 20 });
      a.on("welcome", (...all: unknown[]) => {
        ctx.log("A", "welcome", ...offsetShown(all));
        a.io.engine.close();
      });
      a.on("missed", (...all: unknown[]) => ctx.log("A", "missed", ...offsetShown(all)));
      a.on("connect", () => ctx.log("A", "connect", a.recovered));
      a.on("disconnect", (reason: string) => ctx.log("A", "disconnect", reason));
      await ctx.seen("server", "connection", 2);
      await ctx.seen("A", "missed");
    },
  });
});
