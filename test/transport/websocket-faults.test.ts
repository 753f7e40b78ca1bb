// @vitest-environment happy-dom
/**
 * Scripted WebSocket faults with mock-socket (a browser-like WebSocket in happy-dom): what the
 * websocket transport reports for each. Real servers are in websocket.test.ts.
 */
import { Server, WebSocket as MockWebSocket, type Client } from "mock-socket";
import { afterEach, describe, expect, it } from "vitest";
import type { Frame } from "../../src/protocol/binary.js";
import { TransportError, type TransportHandlers, type WebSocketConstructor } from "../../src/transport/transport.js";
import { websocket } from "../../src/transport/websocket.js";

const URL_HTTP = "http://mock.test:1234/";
const URL_WS = "ws://mock.test:1234/";
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop();
});

interface Seen {
  opened: number;
  frames: Frame[];
  closes: { reason: string; error: Error | undefined }[];
}

function open(extra: { protocols?: string } = {}) {
  const seen: Seen = { opened: 0, frames: [], closes: [] };
  const handlers: TransportHandlers = {
    onOpen: () => seen.opened++,
    onFrame: (f) => seen.frames.push(f),
    onDrain: () => {},
    onClose: (reason, error) => seen.closes.push({ reason, error }),
  };
  const transport = websocket.create({
    url: () => URL_HTTP,
    options: { WebSocket: MockWebSocket as unknown as WebSocketConstructor, ...extra },
  });
  transport.open(handlers);
  return { transport, seen };
}

function server(): { server: Server; client: Promise<Client> } {
  const s = new Server(URL_WS);
  servers.push(s);
  return { server: s, client: new Promise((resolve) => s.on("connection", resolve)) };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe("websocket transport faults (mock-socket)", () => {
  it("an error before open is a transport error, reported once", async () => {
    const { seen } = open(); // nobody listens at that URL
    await settle();
    expect(seen.opened).toBe(0);
    expect(seen.closes).toHaveLength(1);
    expect(seen.closes[0]?.reason).toBe("transport error");
    expect(seen.closes[0]?.error).toBeInstanceOf(TransportError);
    expect((seen.closes[0]?.error as TransportError).code).toBe("ERR_WEBSOCKET");
  });

  it("opens, moves text frames both ways, sets binaryType arraybuffer and passes protocols", async () => {
    const { client } = server();
    const { transport, seen } = open({ protocols: "engine" });
    const peer = await client;
    await settle();
    expect(seen.opened).toBe(1);
    const received: unknown[] = [];
    peer.on("message", (m) => received.push(m));
    transport.send(["4a", "4b"]);
    peer.send("4c");
    await settle();
    expect(received).toEqual(["4a", "4b"]);
    expect(seen.frames).toEqual(["4c"]);
    expect(peer.binaryType).toBe("arraybuffer");
    expect(peer.protocol).toBe("engine");
    transport.close();
  });

  it.each([
    [1000, "normal"],
    [1001, "going away"],
    [1006, ""],
    [1009, "too big"],
    [4000, "custom"],
  ])("a close with code %i after open is a transport close carrying the code", async (code, reason) => {
    const { client } = server();
    const { seen } = open();
    const peer = await client;
    await settle();
    peer.close({ code, reason, wasClean: code === 1000 });
    await settle();
    expect(seen.closes).toHaveLength(1);
    expect(seen.closes[0]?.reason).toBe("transport close");
    expect((seen.closes[0]?.error as TransportError).status).toBe(code);
  });

  it("frames sent right before the server closes are delivered, then the close", async () => {
    const { client } = server();
    const { seen } = open();
    const peer = await client;
    await settle();
    peer.send("42[1]");
    peer.send("42[2]");
    peer.close({ code: 1005, reason: "", wasClean: true });
    await settle();
    expect(seen.frames).toEqual(["42[1]", "42[2]"]);
    expect(seen.closes.map((c) => c.reason)).toEqual(["transport close"]);
  });

  it("a server error after open is a transport error", async () => {
    const { server: s, client } = server();
    const { seen } = open();
    await client;
    await settle();
    s.simulate("error");
    await settle();
    expect(seen.closes.map((c) => c.reason)).toEqual(["transport error"]);
  });

  it("after close() nothing is reported and the server sees the socket close", async () => {
    const { client } = server();
    const { transport, seen } = open();
    const peer = await client;
    await settle();
    const closed = new Promise<void>((resolve) => peer.on("close", resolve));
    transport.close();
    peer.send("4late");
    await closed;
    await settle();
    expect(seen.frames).toEqual([]);
    expect(seen.closes).toEqual([]);
  });

  it("a constructor that throws (bad URL) is a transport error, not a throw", () => {
    const seen: string[] = [];
    const throwing = class {
      constructor() {
        throw new SyntaxError("bad url");
      }
    } as unknown as WebSocketConstructor;
    const t = websocket.create({ url: () => URL_HTTP, options: { WebSocket: throwing } });
    t.open({ onOpen: () => {}, onFrame: () => {}, onDrain: () => {}, onClose: (r, e) => seen.push(`${r}:${(e as TransportError).code}`) });
    expect(seen).toEqual(["transport error:ERR_WEBSOCKET"]);
  });
});
