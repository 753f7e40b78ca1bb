/**
 * A deliberately bad Socket.IO server for the bad-server scenarios: raw `ws` on 127.0.0.1
 * port 0 speaking just enough Engine.IO v4 / Socket.IO v5 by hand (open packet, namespace
 * CONNECT replies, answering pings never needed: the ping interval is long), then whatever
 * frames the test scripts. Each WebSocket connection gets the next script in the list; the
 * last script repeats.
 */
import http from "node:http";
import type net from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** What a script can do on one connection. */
export interface Wire {
  /** The connection number, from 0. */
  index: number;
  send(frame: string | Buffer): void;
  /** Frames received from the client, in order (text as strings). */
  received: string[];
}

export interface Script {
  /** The reply to a CONNECT frame; the default accepts every namespace. */
  connect?(frame: string, index: number): string | undefined;
  /** Called after each CONNECT reply was sent. */
  onConnected?(wire: Wire): void;
  /** Called with every other client frame; the default answers acks with `["pong"]`. */
  onFrame?(wire: Wire, frame: string): void;
}

/** Answers an EVENT that asks for an ack (`42<id>[...]` or `42/nsp,<id>[...]`) with `["pong"]`. */
export function answerAcks(wire: Wire, frame: string): void {
  const match = /^42(\/[^,]*,)?(\d+)\[/.exec(frame);
  if (match) wire.send(`43${match[1] ?? ""}${match[2]}["pong"]`);
}

export interface ScriptedServer {
  url: string;
  connections: number;
  /** Every frame received, per connection. */
  wires: Wire[];
  close(): Promise<void>;
}

const OPEN = (sid: string): string =>
  `0${JSON.stringify({ sid, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 })}`;

/** The default CONNECT reply: `40` → `40{"sid"}`, `40/nsp,` → `40/nsp,{"sid"}`. */
export function connectReply(frame: string, index: number): string | undefined {
  const match = /^40(\/[^,]*,)?/.exec(frame);
  if (!match) return undefined;
  return `40${match[1] ?? ""}${JSON.stringify({ sid: `sio-${index}` })}`;
}

export async function startScripted(scripts: Script[]): Promise<ScriptedServer> {
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(400).end();
  });
  const sockets = new Set<net.Socket>();
  httpServer.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ server: httpServer, path: "/socket.io/" });
  const state: ScriptedServer = {
    url: "",
    connections: 0,
    wires: [],
    async close() {
      for (const client of wss.clients) client.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
  wss.on("connection", (ws: WebSocket) => {
    const index = state.connections++;
    const script = scripts[Math.min(index, scripts.length - 1)] ?? {};
    const wire: Wire = { index, received: [], send: (f) => ws.send(f) };
    state.wires.push(wire);
    ws.on("error", () => {});
    ws.send(OPEN(`eio-${index}`));
    ws.on("message", (data, isBinary) => {
      const frame = isBinary ? "<binary>" : data.toString();
      wire.received.push(frame);
      if (!frame.startsWith("40")) return (script.onFrame ?? answerAcks)(wire, frame);
      const reply = (script.connect ?? connectReply)(frame, index);
      if (reply !== undefined) ws.send(reply);
      script.onConnected?.(wire);
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(httpServer.address() as net.AddressInfo).port}`;
  return state;
}
