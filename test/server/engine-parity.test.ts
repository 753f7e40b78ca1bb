/**
 * Differential tests under Socket.IO: the same raw HTTP requests and WebSocket frames go to the
 * volley reference server and to socket.io 4.8 (engine.io 6.6) started with the same options,
 * and what the peer observes (statuses, bodies, headers, frames, close codes, in order) must be
 * equal. Session and socket ids are checked for shape (20 characters of `[A-Za-z0-9_-]`) and
 * shown as `<sid>`.
 */
import { request, type IncomingHttpHeaders } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { WebSocket, type RawData } from "ws";
import type { CorsOptions, Server, ServerOptions } from "../../src/server/index.js";
import { startReferenceServer } from "../helpers/reference-server.js";
import { startSocketIoServer } from "../helpers/socketio-server.js";

type Kind = "volley" | "socket.io";

/** What a peer saw of one HTTP response; `error` when the connection ended without one. */
type Seen = { status: number; headers: Record<string, string>; body: string } | { error: string };

interface Init {
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

interface Peer {
  readonly io: Server;
  log(...entry: unknown[]): void;
  /** One request under `/socket.io/`, answered. */
  http(method: string, query: string, init?: Init): Promise<Seen>;
  /** Sends a request and resolves once the server has handled its arrival; `answer` is its response. */
  pending(method: string, query: string, init?: Init): Promise<Sent>;
  /** A polling handshake: logs the response and returns the session id. */
  handshake(query?: string, init?: Init): Promise<string>;
  /** A raw WebSocket to `/socket.io/?query`. */
  ws(query: string, headers?: Record<string, string>): RawSocket;
}

interface Scenario {
  readonly options?: ServerOptions;
  setup?(io: Server): void;
  run(peer: Peer): Promise<void>;
}

const RECORDED_HEADERS = /^(content-type|cache-control|content-encoding|vary|set-cookie|access-control-.*)$/;
const ID = /("sid":"|io=)[A-Za-z0-9_-]{20}(?=[";])/g;

/** `value` with every id shown as `<sid>`. */
function shown(value: unknown): unknown {
  if (typeof value === "string") return value.replace(ID, "$1<sid>");
  if (Array.isArray(value)) return value.map(shown);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  return value;
}

function recorded(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== undefined && RECORDED_HEADERS.test(name)) out[name] = Array.isArray(value) ? value.join("\n") : value;
  }
  return out;
}

/** The body as a client reads it; HTTP's `deflate` is the zlib format (RFC 9110). */
function decode(body: Buffer, encoding: string | undefined): string {
  try {
    if (encoding === "gzip") return gunzipSync(body).toString("utf8");
    if (encoding === "deflate") return inflateSync(body).toString("utf8");
    return body.toString("utf8");
  } catch {
    return `<not ${encoding}>`;
  }
}

/** A request in flight: its answer, and a way to drop it as a closed tab would. */
interface Sent {
  readonly answer: Promise<Seen>;
  abort(): void;
}

function send(port: number, method: string, query: string, init: Init): Sent {
  const req = request({ host: "127.0.0.1", port, method, path: `/socket.io/?${query}`, headers: init.headers ?? {}, agent: false });
  const answer = new Promise<Seen>((resolve) => {
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: recorded(res.headers), body: decode(Buffer.concat(chunks), res.headers["content-encoding"]) }),
      );
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.on("error", (e) => resolve({ error: e.message }));
  });
  req.end(init.body);
  return { answer, abort: () => req.destroy() };
}

const bytes = (data: RawData) => [...(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer))];

/** A raw WebSocket peer: every event it sees, in order. */
class RawSocket {
  readonly seen: unknown[][] = [];
  private readonly ws: WebSocket;
  private readonly waiters: { kind: string; count: number; resolve: () => void }[] = [];

  constructor(url: string, headers: Record<string, string>) {
    this.ws = new WebSocket(url, { headers, perMessageDeflate: false });
    this.ws.on("upgrade", (res) => this.push("101", recorded(res.headers)));
    this.ws.on("open", () => this.push("open"));
    this.ws.on("message", (data, isBinary) => this.push("frame", isBinary ? { bytes: bytes(data) } : data.toString()));
    this.ws.on("close", (code) => this.push("close", code));
    this.ws.on("error", () => undefined);
    this.ws.on("unexpected-response", (req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        this.push("refused", res.statusCode, recorded(res.headers), Buffer.concat(chunks).toString("utf8"));
        req.destroy();
      });
    });
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Resolves once `count` events of `kind` have been seen. */
  until(kind: string, count = 1): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ kind, count, resolve });
      this.wake();
    });
  }

  terminate(): void {
    this.ws.terminate();
  }

  private push(...event: unknown[]): void {
    this.seen.push(event);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.slice()) {
      if (this.seen.filter((e) => e[0] === w.kind).length < w.count) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }
}

async function play(kind: Kind, scenario: Scenario): Promise<unknown[][]> {
  const record: unknown[][] = [];
  const started =
    kind === "volley"
      ? await startReferenceServer(scenario.options, scenario.setup)
      : await startSocketIoServer(scenario.options as Parameters<typeof startSocketIoServer>[0]);
  const io = started.io as unknown as Server;
  if (kind === "socket.io") scenario.setup?.(io);
  let arrivals = 0;
  const arrived: (() => void)[] = [];
  // Added after the server's own listener, so it runs once the server has taken the request in.
  started.http.on("request", () => {
    arrivals++;
    for (const f of arrived.splice(0)) f();
  });
  const sockets: RawSocket[] = [];
  const peer: Peer = {
    io,
    log: (...entry) => record.push(shown(entry) as unknown[]),
    http: (method, query, init = {}) => send(started.port, method, query, init).answer,
    pending: async (method, query, init = {}) => {
      const target = arrivals + 1;
      const sent = send(started.port, method, query, init);
      while (arrivals < target) await new Promise<void>((resolve) => arrived.push(resolve));
      // One more turn for whatever the server defers to the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      return sent;
    },
    handshake: async (query = "EIO=4&transport=polling", init = {}) => {
      const seen = await send(started.port, "GET", query, init).answer;
      peer.log("handshake", seen);
      if ("error" in seen) throw new Error(seen.error);
      return (JSON.parse(seen.body.replace(/^0/, "").split("\x1e")[0] ?? "") as { sid: string }).sid;
    },
    ws: (query, headers = {}) => {
      const s = new RawSocket(`ws://127.0.0.1:${started.port}/socket.io/?${query}`, headers);
      sockets.push(s);
      return s;
    },
  };
  try {
    await scenario.run(peer);
    return record;
  } finally {
    for (const s of sockets) s.terminate();
    await started.close();
  }
}

function parity(name: string, scenario: Scenario): void {
  it(name, async () => {
    const reference = await play("socket.io", scenario);
    const volley = await play("volley", scenario);
    expect(reference.length).toBeGreaterThan(0);
    expect(volley).toEqual(reference);
  });
}

const withSid = (sid: string) => `EIO=4&transport=polling&sid=${sid}`;
const wsQuery = (sid: string) => `EIO=4&transport=websocket&sid=${sid}`;
const TEXT = { "content-type": "text/plain;charset=UTF-8" };

/** A Socket.IO connection to `/` over polling: handshake, `40`, and the poll that gets its CONNECT. */
async function joined(p: Peer, init: Init = {}): Promise<string> {
  const sid = await p.handshake("EIO=4&transport=polling", init);
  p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
  p.log("poll", await p.http("GET", withSid(sid), init));
  return sid;
}

/** A Socket.IO connection to `/` over WebSocket, once its CONNECT has arrived. */
async function joinedOverWebSocket(p: Peer): Promise<RawSocket> {
  const ws = p.ws("EIO=4&transport=websocket");
  await ws.until("frame");
  ws.send("40");
  await ws.until("frame", 2);
  return ws;
}

/** Server set-ups: an `echo` event sent back with its arguments; a 2 000-character event on connection. */
const echoing = (io: Server) =>
  io.on("connection", (socket) => {
    socket.on("echo", (...args: unknown[]) => socket.emit("echo", ...args));
  });
const sendingBig = (io: Server) => io.on("connection", (socket) => socket.emit("big", "x".repeat(2000)));

/** Payloads that end the session, POSTed while a poll is held. */
const POSTED_WITH_A_POLL_HELD: [string, string][] = [
  ["a payload that does not decode", "9nine"],
  ["a client ping", "2"],
  ["a client close packet", "1"],
];

/** Each request error, over polling and as a WebSocket upgrade. */
const REFUSED: [string, ServerOptions, string, string][] = [
  ["unknown transport", {}, "GET", "EIO=4&transport=carrier-pigeon"],
  ["no transport", {}, "GET", "EIO=4"],
  ["unknown sid", {}, "GET", "EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA"],
  ["handshake POST", {}, "POST", "EIO=4&transport=polling"],
  ["handshake GET over transport=websocket", {}, "GET", "EIO=4&transport=websocket"],
  ["allowRequest refusal", { allowRequest: (_req, cb) => cb("not you", false) }, "GET", "EIO=4&transport=polling"],
  ["allowRequest refusal without a message", { allowRequest: (_req, cb) => cb(null, false) }, "GET", "EIO=4&transport=polling"],
  ["protocol version 3", {}, "GET", "EIO=3&transport=polling"],
  ["no protocol version", {}, "GET", "transport=polling"],
  ["polling on a websocket-only server", { transports: ["websocket"] }, "GET", "EIO=4&transport=polling"],
];

const REFUSED_UPGRADES: [string, ServerOptions, string][] = [
  ["unknown transport", {}, "EIO=4&transport=carrier-pigeon"],
  ["unknown sid", {}, wsQuery("AAAAAAAAAAAAAAAAAAAA")],
  ["allowRequest refusal", { allowRequest: (_req, cb) => cb("not you", false) }, "EIO=4&transport=websocket"],
  ["websocket on a polling-only server", { transports: ["polling"] }, "EIO=4&transport=websocket"],
];

/** Refused by volley before the 101; engine.io accepts the WebSocket, then closes it or writes an HTTP error into it. */
const REFUSED_AFTER_OPEN: [string, string][] = [
  ["transport=polling", "EIO=4&transport=polling"],
  ["protocol version 3", "EIO=3&transport=websocket"],
];

describe("Engine.IO parity with socket.io 4.8", () => {
  parity("polling handshake: body, key order, headers", {
    async run(p) {
      const sid = await p.handshake("EIO=4&transport=polling&t=abc");
      p.log("sid shape", /^[A-Za-z0-9_-]{20}$/.test(sid));
    },
  });

  parity("polling handshake with custom timings, allowUpgrades: false", {
    options: { pingInterval: 1234, pingTimeout: 567, maxHttpBufferSize: 4321, allowUpgrades: false },
    async run(p) {
      await p.handshake();
    },
  });

  parity("polling handshake on a polling-only server", {
    options: { transports: ["polling"] },
    async run(p) {
      await p.handshake();
    },
  });

  parity("WebSocket handshake, then a probe for a websocket session", {
    options: { upgradeTimeout: 200 },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("frame");
      const sid = (JSON.parse(String(ws.seen.find((e) => e[0] === "frame")?.[1]).slice(1)) as { sid: string }).sid;
      p.log("ws", ws.seen);
      p.log("poll on a websocket session", await p.http("GET", withSid(sid)));
      const probe = p.ws(wsQuery(sid));
      await probe.until("close");
      p.log("probe", probe.seen);
    },
  });

  parity("WebSocket handshake on a websocket-only server", {
    options: { transports: ["websocket"] },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("frame");
      p.log("ws", ws.seen);
    },
  });

  for (const [name, options, method, query] of REFUSED) {
    parity(`refused request: ${name}`, {
      options,
      async run(p) {
        p.log(await p.http(method, query, method === "POST" ? { headers: TEXT, body: "40" } : {}));
      },
    });
  }

  for (const [name, options, query] of REFUSED_UPGRADES) {
    parity(`refused upgrade: ${name}`, {
      options,
      async run(p) {
        const ws = p.ws(query);
        await Promise.race([ws.until("refused"), ws.until("close")]);
        p.log(ws.seen);
      },
    });
  }

  for (const [name, query] of REFUSED_AFTER_OPEN) {
    parity(`refused upgrade: ${name}`, {
      async run(p) {
        const ws = p.ws(query);
        await Promise.race([ws.until("refused"), ws.until("close")]);
        // README (Options): volley refuses every upgrade before the 101; either way no session opens.
        p.log(ws.seen.some((e) => e[0] === "frame"));
      },
    });
  }

  parity("a request of another protocol version for a session", {
    async run(p) {
      const sid = await p.handshake();
      p.log("poll", await p.http("GET", `EIO=3&transport=polling&sid=${sid}`));
      p.log("post", await p.http("POST", `transport=polling&sid=${sid}`, { headers: TEXT, body: "40" }));
      const ws = p.ws(`EIO=3&transport=websocket&sid=${sid}`);
      await Promise.race([ws.until("refused"), ws.until("close")]);
      p.log(ws.seen);
      p.log("session", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
    },
  });

  parity("an empty sid, and a repeated query parameter", {
    async run(p) {
      p.log("empty sid", await p.http("GET", "EIO=4&transport=polling&sid="));
      p.log("repeated transport", await p.http("GET", "EIO=4&transport=websocket&transport=polling"));
      p.log("repeated EIO", await p.http("GET", "EIO=4&transport=polling&EIO=3"));
    },
  });

  parity("OPTIONS without cors", {
    async run(p) {
      p.log("handshake", await p.http("OPTIONS", "EIO=4&transport=polling"));
      const sid = await p.handshake();
      p.log("session", await p.http("OPTIONS", withSid(sid)));
    },
  });

  parity("a poll aborted by the client", {
    async run(p) {
      const gone = new Promise<string>((resolve) => p.io.on("connection", (socket) => socket.on("disconnect", resolve)));
      const sid = await joined(p);
      const poll = await p.pending("GET", withSid(sid));
      poll.abort();
      p.log("disconnect", await gone);
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("a POST aborted by the client", {
    async run(p) {
      const gone = new Promise<string>((resolve) => p.io.on("connection", (socket) => socket.on("disconnect", resolve)));
      const sid = await joined(p);
      const post = await p.pending("POST", withSid(sid), { headers: { ...TEXT, "content-length": "10" } });
      post.abort();
      p.log("disconnect", await gone);
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("events with binary over WebSocket", {
    setup: echoing,
    async run(p) {
      const ws = await joinedOverWebSocket(p);
      ws.send('451-["echo",{"_placeholder":true,"num":0}]');
      ws.send(Buffer.from([1, 2, 3]));
      await ws.until("frame", 4);
      p.log(ws.seen);
    },
  });

  parity("a POST with a binary attachment and several packets, echoed", {
    setup: echoing,
    async run(p) {
      const sid = await joined(p);
      const body = ['42["echo","a"]', '451-["echo",{"_placeholder":true,"num":0}]', "bAQID", '42["echo",{"b":2}]'].join("\x1e");
      p.log("post", await p.http("POST", withSid(sid), { headers: TEXT, body }));
      p.log("poll", await p.http("GET", withSid(sid)));
    },
  });

  parity("a GET while another GET is pending", {
    async run(p) {
      const sid = await p.handshake();
      const first = await p.pending("GET", withSid(sid));
      p.log("second", await p.http("GET", withSid(sid)));
      p.log("first", await first.answer);
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("a POST while another POST is pending", {
    async run(p) {
      const sid = await p.handshake();
      const first = await p.pending("POST", withSid(sid), { headers: { ...TEXT, "content-length": "10" } });
      p.log("second", await p.http("POST", withSid(sid), { headers: TEXT, body: "6" }));
      p.log("after", await p.http("GET", withSid(sid)));
      void first.answer;
    },
  });

  parity("a POST bigger than maxHttpBufferSize", {
    options: { maxHttpBufferSize: 100 },
    async run(p) {
      const sid = await p.handshake();
      p.log("big", await p.http("POST", withSid(sid), { headers: TEXT, body: "4" + "x".repeat(200) }));
      p.log("after", await p.http("POST", withSid(sid), { headers: TEXT, body: "6" }));
    },
  });

  parity("a chunked POST bigger than maxHttpBufferSize", {
    options: { maxHttpBufferSize: 100 },
    async run(p) {
      const sid = await p.handshake();
      const chunked = { ...TEXT, "transfer-encoding": "chunked" };
      p.log("big", await p.http("POST", withSid(sid), { headers: chunked, body: "4" + "x".repeat(200) }));
      p.log("after", await p.http("POST", withSid(sid), { headers: chunked, body: "6" }));
    },
  });

  parity("a binary (application/octet-stream) POST", {
    async run(p) {
      const sid = await p.handshake();
      p.log("octet", await p.http("POST", withSid(sid), { headers: { "content-type": "application/octet-stream" }, body: "4hi" }));
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  for (const [name, body] of POSTED_WITH_A_POLL_HELD) {
    parity(`${name} over polling, a poll held`, {
      async run(p) {
        const sid = await p.handshake();
        const poll = await p.pending("GET", withSid(sid));
        p.log("post", await p.http("POST", withSid(sid), { headers: TEXT, body }));
        p.log("pending poll", await poll.answer);
        p.log("after", await p.http("GET", withSid(sid)));
      },
    });
  }

  parity("a WebSocket message bigger than maxHttpBufferSize", {
    options: { maxHttpBufferSize: 100 },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("frame");
      ws.send("4" + "x".repeat(200));
      await ws.until("close");
      p.log(ws.seen);
    },
  });

  parity("the upgrade: 2probe, 3probe, the pending poll's noop, 5, then traffic on the WebSocket", {
    setup: echoing,
    async run(p) {
      const sid = await joined(p);
      const poll = await p.pending("GET", withSid(sid));
      const ws = p.ws(wsQuery(sid));
      await ws.until("open");
      ws.send("2probe");
      await ws.until("frame");
      p.log("pending poll", await poll.answer);
      ws.send("5");
      ws.send('42["echo",1]');
      await ws.until("frame", 2);
      p.log("ws", ws.seen);
      p.log("poll after the upgrade", await p.http("GET", withSid(sid)));
      p.log("POST after the upgrade", await p.http("POST", withSid(sid), { headers: TEXT, body: "6" }));
    },
  });

  parity("a probe that never sends 5 (short upgradeTimeout)", {
    options: { upgradeTimeout: 300 },
    async run(p) {
      const sid = await p.handshake();
      const poll = await p.pending("GET", withSid(sid));
      const ws = p.ws(wsQuery(sid));
      await ws.until("open");
      ws.send("2probe");
      p.log("pending poll", await poll.answer);
      await ws.until("close");
      p.log("ws", ws.seen);
      p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid)));
    },
  });

  parity("a message on the probe before 5", {
    options: { upgradeTimeout: 300 },
    async run(p) {
      const sid = await p.handshake();
      const ws = p.ws(wsQuery(sid));
      await ws.until("open");
      ws.send("2probe");
      await ws.until("frame");
      ws.send("4early");
      await ws.until("close");
      p.log("ws", ws.seen);
      p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid)));
    },
  });

  parity("a second probe while one is in progress", {
    async run(p) {
      const sid = await p.handshake();
      const first = p.ws(wsQuery(sid));
      await first.until("open");
      const second = p.ws(wsQuery(sid));
      await Promise.race([second.until("close"), second.until("refused")]);
      p.log("second", second.seen);
    },
  });

  parity("a client ping over WebSocket", {
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("frame");
      ws.send("2");
      await ws.until("close");
      p.log(ws.seen);
    },
  });

  parity("ping timeout over polling, a poll pending", {
    options: { pingInterval: 100, pingTimeout: 100 },
    async run(p) {
      const sid = await p.handshake();
      p.log("ping", await p.http("GET", withSid(sid)));
      p.log("pending poll", await p.http("GET", withSid(sid)));
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("ping timeout over polling, no poll pending", {
    options: { pingInterval: 100, pingTimeout: 100 },
    async run(p) {
      const gone = new Promise<string>((resolve) => p.io.on("connection", (socket) => socket.on("disconnect", resolve)));
      const sid = await joined(p);
      p.log("ping", await p.http("GET", withSid(sid)));
      p.log("disconnect", await gone);
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("ping timeout over WebSocket", {
    options: { pingInterval: 100, pingTimeout: 100 },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("close");
      p.log(ws.seen);
    },
  });

  parity("pong answers keep the session", {
    options: { pingInterval: 100, pingTimeout: 100 },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket");
      for (let i = 1; i <= 3; i++) {
        await ws.until("frame", i + 1);
        ws.send("3");
      }
      ws.send("1");
      await ws.until("close");
      p.log(ws.seen);
    },
  });

  const A = "https://a.example";
  parity("CORS with a listed origin and credentials: preflight, handshake, POST, errors", {
    options: { cors: { origin: A, credentials: true } },
    async run(p) {
      const preflight = { origin: A, "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
      p.log("preflight", await p.http("OPTIONS", "EIO=4&transport=polling", { headers: preflight }));
      const sid = await p.handshake("EIO=4&transport=polling", { headers: { origin: A } });
      p.log("post", await p.http("POST", withSid(sid), { headers: { ...TEXT, origin: A }, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid), { headers: { origin: A } }));
      p.log("error", await p.http("GET", "EIO=3&transport=polling", { headers: { origin: A } }));
      p.log("no origin", await p.http("GET", "EIO=4&transport=polling"));
      const other = await p.http("GET", "EIO=4&transport=polling", { headers: { origin: "https://b.example" } });
      // README (cors): volley refuses another origin with 403 where socket.io answers without CORS headers.
      p.log("other origin", "error" in other ? other : Object.entries(other.headers).filter(([k]) => k.startsWith("access-control-") || k === "vary"));
    },
  });

  parity("CORS with origin: true", {
    options: { cors: { origin: true } },
    async run(p) {
      const preflight = { origin: A, "access-control-request-method": "GET" };
      p.log("preflight", await p.http("OPTIONS", "EIO=4&transport=polling", { headers: preflight }));
      await p.handshake("EIO=4&transport=polling", { headers: { origin: A } });
      p.log("no origin", await p.http("GET", "EIO=4&transport=polling"));
      p.log("error", await p.http("GET", "EIO=4&transport=nope", { headers: { origin: A } }));
    },
  });

  parity("CORS with an allow-list: listed, unlisted, no origin", {
    options: { cors: { origin: [A, /\.c\.example$/], credentials: true, maxAge: 600 } },
    async run(p) {
      p.log("preflight", await p.http("OPTIONS", "EIO=4&transport=polling", { headers: { origin: "https://x.c.example" } }));
      await p.handshake("EIO=4&transport=polling", { headers: { origin: A } });
      p.log("no origin", await p.http("GET", "EIO=4&transport=polling"));
    },
  });

  const B = "https://b.example";
  /** The cors middleware answers a preflight unless the rule says no; engine.io then checks it as any request (400, or 500 for a session). */
  const PREFLIGHT_RULES: [string, CorsOptions][] = [
    ["origin: false", { origin: false }],
    ["an origin function allowing one origin", { origin: (origin, cb) => cb(null, origin === A) }],
    ["no origin rule (the cors default, *)", {}],
  ];
  const PREFLIGHT = { "access-control-request-method": "POST", "access-control-request-headers": "content-type" };

  for (const [name, cors] of PREFLIGHT_RULES) {
    parity(`CORS preflights with ${name}`, {
      options: { cors },
      async run(p) {
        for (const origin of [A, B]) p.log(`from ${origin}`, await p.http("OPTIONS", "EIO=4&transport=polling", { headers: { ...PREFLIGHT, origin } }));
        p.log("no origin", await p.http("OPTIONS", "EIO=4&transport=polling", { headers: PREFLIGHT }));
        p.log("unknown sid", await p.http("OPTIONS", withSid("AAAAAAAAAAAAAAAAAAAA"), { headers: { ...PREFLIGHT, origin: B } }));
        const sid = await p.handshake();
        p.log("session", await p.http("OPTIONS", withSid(sid), { headers: { ...PREFLIGHT, origin: B } }));
        p.log("session still open", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      },
    });
  }

  parity("CORS with an origin function that fails: polling, preflight and upgrade", {
    options: { cors: { origin: (_origin, cb) => cb(new Error("lookup failed")) } },
    async run(p) {
      p.log("handshake", await p.http("GET", "EIO=4&transport=polling", { headers: { origin: A } }));
      p.log("preflight", await p.http("OPTIONS", "EIO=4&transport=polling", { headers: { ...PREFLIGHT, origin: A } }));
      const ws = p.ws("EIO=4&transport=websocket", { origin: A });
      await ws.until("refused");
      p.log(ws.seen);
    },
  });

  parity("CORS on a WebSocket handshake", {
    options: { cors: { origin: A, credentials: true } },
    async run(p) {
      const ws = p.ws("EIO=4&transport=websocket", { origin: A });
      await ws.until("frame");
      p.log(ws.seen);
    },
  });

  parity("cookie: true sets the session cookie on the polling handshake only", {
    options: { cookie: true },
    async run(p) {
      const sid = await p.handshake();
      p.log("poll", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid)));
      const ws = p.ws("EIO=4&transport=websocket");
      await ws.until("frame");
      p.log(ws.seen);
    },
  });

  parity("httpCompression: a poll response over 1 KB with Accept-Encoding: gzip", {
    setup: sendingBig,
    async run(p) {
      const gzip = { headers: { "accept-encoding": "gzip" } };
      const sid = await p.handshake("EIO=4&transport=polling", gzip);
      p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid), gzip));
    },
  });

  for (const accepted of ["deflate", "deflate, gzip", "gzip;q=0.5, deflate", "*", "gzip;q=0, *", "br"]) {
    parity(`httpCompression with Accept-Encoding: ${accepted}`, {
      setup: sendingBig,
      async run(p) {
        const sid = await p.handshake();
        p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
        p.log("poll", await p.http("GET", withSid(sid), { headers: { "accept-encoding": accepted } }));
      },
    });
  }

  parity("httpCompression: false", {
    options: { httpCompression: false },
    setup: sendingBig,
    async run(p) {
      const sid = await p.handshake();
      p.log("connect", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
      p.log("poll", await p.http("GET", withSid(sid), { headers: { "accept-encoding": "gzip" } }));
    },
  });

  parity("allowUpgrades: false: a probe WebSocket", {
    options: { allowUpgrades: false, upgradeTimeout: 200 },
    async run(p) {
      const sid = await p.handshake();
      const ws = p.ws(wsQuery(sid));
      await Promise.race([ws.until("close"), ws.until("refused")]);
      p.log(ws.seen);
      p.log("poll", await p.http("POST", withSid(sid), { headers: TEXT, body: "40" }));
    },
  });

  const disconnecting: Scenario["setup"] = (io) => {
    io.on("connection", (socket) => {
      socket.on("bye", () => socket.disconnect(true));
    });
  };

  parity("socket.disconnect(true) with a poll pending", {
    setup: disconnecting,
    async run(p) {
      const sid = await joined(p);
      const poll = await p.pending("GET", withSid(sid));
      p.log("bye", await p.http("POST", withSid(sid), { headers: TEXT, body: '42["bye"]' }));
      p.log("pending poll", await poll.answer);
      p.log("next poll", await p.http("GET", withSid(sid)));
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  parity("socket.disconnect(true) without a poll pending", {
    setup: disconnecting,
    async run(p) {
      const sid = await joined(p);
      p.log("bye", await p.http("POST", withSid(sid), { headers: TEXT, body: '42["bye"]' }));
      p.log("next poll", await p.http("GET", withSid(sid)));
      p.log("then", await p.http("GET", withSid(sid)));
    },
  });

  parity("socket.disconnect(true) without a poll pending: POSTs while the close waits for a poll", {
    setup: disconnecting,
    async run(p) {
      const sid = await joined(p);
      p.log("bye", await p.http("POST", withSid(sid), { headers: TEXT, body: '42["bye"]' }));
      p.log("post", await p.http("POST", withSid(sid), { headers: TEXT, body: '42["late"]' }));
      p.log("next poll", await p.http("GET", withSid(sid)));
      p.log("post after the 41", await p.http("POST", withSid(sid), { headers: TEXT, body: "3" }));
      p.log("then", await p.http("GET", withSid(sid)));
      p.log("after", await p.http("GET", withSid(sid)));
    },
  });

  /** Server-side closes while a POST's body is still arriving (10 bytes announced, none sent); `post` is that POST. */
  const CLOSED_WHILE_POSTING: [string, (p: Peer, sid: string, post: Sent) => Promise<void>][] = [
    [
      "io.disconnectSockets(true)",
      async (p, sid, post) => {
        p.io.disconnectSockets(true);
        p.log("next poll", await p.http("GET", withSid(sid)));
        p.log("post", await post.answer);
        p.log("then", await p.http("GET", withSid(sid)));
      },
    ],
    [
      "conn.close()",
      async (p, sid, post) => {
        for (const socket of p.io.of("/").sockets.values()) socket.conn.close();
        p.log("post", await post.answer);
        p.log("next poll", await p.http("GET", withSid(sid)));
      },
    ],
    [
      "io.close()",
      async (p, _sid, post) => {
        const closed = new Promise<string>((resolve) => void p.io.close(() => resolve("http server closed")));
        p.log("post", await post.answer);
        p.log(await closed);
      },
    ],
  ];

  for (const [name, close] of CLOSED_WHILE_POSTING) {
    parity(`${name} while a POST is arriving, no poll pending`, {
      async run(p) {
        const sid = await joined(p);
        await close(p, sid, await p.pending("POST", withSid(sid), { headers: { ...TEXT, "content-length": "10" } }));
      },
    });
  }

  parity("socket.disconnect(true) over WebSocket", {
    setup: disconnecting,
    async run(p) {
      const ws = await joinedOverWebSocket(p);
      ws.send('42["bye"]');
      await ws.until("close");
      p.log(ws.seen);
    },
  });

  parity("io.close() with a poll pending", {
    async run(p) {
      const sid = await joined(p);
      const poll = await p.pending("GET", withSid(sid));
      void p.io.close();
      p.log("pending poll", await poll.answer);
    },
  });

  parity("io.close() with a WebSocket open", {
    async run(p) {
      const ws = await joinedOverWebSocket(p);
      void p.io.close();
      await ws.until("close");
      p.log(ws.seen);
    },
  });

});
