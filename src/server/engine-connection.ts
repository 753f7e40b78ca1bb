/**
 * One Engine.IO session on the server: drives a pure `ServerSession` over the active
 * transport (a held poll or a WebSocket), plus the probe WebSocket during an upgrade. One
 * timer per connection, set to the session's next deadline; closing releases the timer,
 * the held poll, both sockets and the listeners.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebSocket } from "ws";
import type { BinaryData } from "../protocol/binary.js";
import { decodePacket, decodePayload, encodePayload } from "../protocol/engine/codec.js";
import type { EnginePacket } from "../protocol/engine/packet.js";
import { ServerSession, type ServerCloseReason, type ServerSessionConfig } from "../protocol/engine/server-session.js";
import { ProtocolError } from "../protocol/error.js";
import { nodeBase64 } from "../node-base64.js";
import { healthy, type Faults } from "./faults.js";
import { rawToFrame, toBuffer, wsSend } from "./frames.js";
import { writeStatus } from "./http-errors.js";
import type { ResolvedOptions, TransportName } from "./options.js";
import { readBody, writeOk, writePayload } from "./polling.js";

/** What a connection reports to the layer above (the Socket.IO client). */
export interface ConnectionHandlers {
  message(data: string | Buffer): void;
  close(reason: ServerCloseReason): void;
}

/** How long a server-side close waits for a poll to carry the `1`. */
const POLLING_CLOSE_TIMEOUT = 30_000;

export class EngineConnection {
  readonly id: string;
  readonly request: IncomingMessage;
  /** The peer address of the handshake request (the request's socket may be gone later). */
  readonly remoteAddress: string;
  /** The active transport, as socket.io shows it (`conn.transport.name`). */
  readonly transport: { name: TransportName };
  readonly faults: Faults = healthy();
  handlers: ConnectionHandlers | undefined;
  private readonly session: ServerSession;
  private readonly options: ResolvedOptions;
  private readonly onGone: (conn: EngineConnection) => void;
  private ws: WebSocket | undefined;
  private probe: WebSocket | undefined;
  private poll: { req: IncomingMessage; res: ServerResponse } | undefined;
  /** The POST whose body is being read. */
  private post: IncomingMessage | undefined;
  /** WebSocket batches handed to `ws` and not yet written out. */
  private wsWriting = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private closing = false;
  private leftover: EnginePacket[] = [];

  constructor(config: ServerSessionConfig, req: IncomingMessage, transport: TransportName, options: ResolvedOptions, onGone: (c: EngineConnection) => void) {
    this.id = config.sid;
    this.request = req;
    this.remoteAddress = req.socket.remoteAddress ?? "";
    this.options = options;
    this.onGone = onGone;
    this.transport = { name: transport };
    this.session = new ServerSession(config, Date.now());
  }

  get closed(): boolean {
    return this.session.isClosed;
  }

  /**
   * True when a packet sent now goes out at once (volatile packets are dropped otherwise): a
   * poll is held, or the WebSocket is open and done writing, as socket.io's transports count it.
   */
  get writable(): boolean {
    if (this.session.isClosed) return false;
    return this.ws ? this.ws.readyState === this.ws.OPEN && this.wsWriting === 0 : this.poll !== undefined;
  }

  /** True while a server-side close waits for a poll to carry the `1`. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Sends one Engine.IO message (text or binary). */
  send(data: string | BinaryData): void {
    this.session.send(data);
    this.flush();
  }

  /** Sends several messages in one flush (a Socket.IO packet and its attachments). */
  sendAll(frames: readonly (string | BinaryData)[]): void {
    for (const f of frames) this.session.send(f);
    this.flush();
  }

  /** Queues Engine.IO packets (pre-encoded broadcasts, raw packets for fault injection). */
  sendPacket(...packets: EnginePacket[]): void {
    for (const p of packets) this.session.sendPacket(p);
    this.flush();
  }

  /** Re-arms the timer after a fault switch changed. */
  wake(): void {
    this.flush();
  }

  /** Closes the session from the server side. */
  close(reason: ServerCloseReason = "forced close"): void {
    this.session.close(reason);
    this.drain();
  }

  /** Closes the underlying transport without any packet, as a network cut would. */
  cut(): void {
    this.ws?.terminate();
    this.poll?.req.socket.destroy();
    this.close("transport close");
  }

  attachWebSocket(ws: WebSocket): void {
    this.ws = ws;
    this.listen(ws, false);
    this.flush();
  }

  /** A WebSocket for this sid during polling: the upgrade probe, or refused at once. */
  attachProbe(ws: WebSocket): void {
    ws.on("error", () => ws.terminate());
    if (this.faults.refuseUpgrades || this.transport.name !== "polling" || !this.session.startProbe(Date.now())) {
      ws.close();
      return;
    }
    this.probe = ws;
    this.listen(ws, true);
    this.drain();
  }

  /** A poll (GET) or a send (POST) for this session. */
  onPollingRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === "GET") return this.onPoll(req, res);
    if (req.method === "POST") return this.onPost(req, res);
    writeStatus(res, 500);
  }

  private onPoll(req: IncomingMessage, res: ServerResponse): void {
    if (this.closing) {
      // As engine.io: what was queued goes out first, the `1` on a later poll after a noop.
      if (this.leftover.length > 0) {
        writePayload(req, res, encodePayload(this.leftover, nodeBase64), this.options.httpCompression);
        this.leftover = [];
        if (this.abortPost()) this.finishClose();
        return;
      }
      writePayload(req, res, encodePayload([{ type: "noop" }, { type: "close" }], nodeBase64), false);
      return this.finishClose();
    }
    if (this.poll) {
      writeStatus(res, 400);
      return this.close("transport error");
    }
    this.poll = { req, res };
    const onAbort = () => {
      if (this.poll?.res !== res) return;
      this.poll = undefined;
      this.close("transport error");
    };
    res.on("close", onAbort);
    this.flush();
  }

  private onPost(req: IncomingMessage, res: ServerResponse): void {
    if (String(req.headers["content-type"] ?? "").startsWith("application/octet-stream")) {
      req.resume();
      writeStatus(res, 400);
      return this.close("transport error");
    }
    if (this.post) {
      req.resume();
      writeStatus(res, 400);
      return this.close("transport error");
    }
    this.post = req;
    readBody(req, res, this.options.maxHttpBufferSize, (body, aborted) => {
      // Dropped by abortPost: the session is already over.
      if (this.post !== req) return;
      this.post = undefined;
      // As engine.io, a POST cut before its end is a transport error, also during a polling close.
      if (aborted) return this.closing ? this.finishClose() : this.close("transport error");
      if (body === undefined) return;
      writeOk(res);
      if (this.faults.deaf) return;
      const { packets, error } = decodePayload(body, nodeBase64);
      const now = Date.now();
      for (const p of packets) this.session.receive(p.type === "message" && typeof p.data === "object" ? { type: "message", data: toBuffer(p.data) } : p, now);
      if (error) this.session.receive(error, now);
      this.drain();
    });
  }

  private listen(ws: WebSocket, probe: boolean): void {
    ws.on("message", (data, isBinary) => {
      if (this.faults.deaf) return;
      const socket = probe && this.probe === ws;
      if (!socket && this.ws !== ws) return;
      const packet = decodePacket(rawToFrame(data, isBinary));
      // engine.io reads a close packet only from a poll; over WebSocket the closing handshake ends the session.
      if (!socket && !(packet instanceof ProtocolError) && packet.type === "close") return;
      this.session.receive(packet, Date.now(), socket);
      this.drain();
    });
    ws.on("error", () => ws.terminate());
    ws.on("close", () => {
      if (this.probe === ws) {
        this.probe = undefined;
        this.session.probeLost();
        this.drain();
      } else if (this.ws === ws) {
        this.ws = undefined;
        this.close("transport close");
      }
    });
  }

  /** Handles every pending session event, flushes, and re-arms the single timer. */
  private drain(): void {
    for (let e = this.session.pollOutput(); e; e = this.session.pollOutput()) {
      switch (e.type) {
        case "message":
          this.handlers?.message(typeof e.data === "string" ? e.data : toBuffer(e.data));
          break;
        case "probe":
          this.probe?.send(e.frame as string);
          break;
        case "upgrade":
          this.switchToProbe();
          break;
        case "upgrade abort":
          this.probe?.close();
          this.probe = undefined;
          break;
        case "close":
          this.onSessionClose(e.reason);
          return;
      }
    }
    this.flush();
  }

  private switchToProbe(): void {
    const ws = this.probe;
    if (!ws) return;
    this.probe = undefined;
    this.ws = ws;
    this.transport.name = "websocket";
    if (this.poll) {
      const { req, res } = this.poll;
      this.poll = undefined;
      writePayload(req, res, "6", false);
    }
  }

  private flush(): void {
    if (!this.session.isClosed && this.session.hasPackets && (this.ws || this.poll)) {
      const packets = this.select(this.session.takePackets());
      if (this.faults.delay > 0) {
        const timer = setTimeout(() => this.write(packets), this.faults.delay);
        timer.unref();
      } else {
        this.write(packets);
      }
    }
    this.arm();
  }

  private select(packets: EnginePacket[]): EnginePacket[] {
    const drop = this.faults.drop;
    return drop ? packets.filter((p) => !drop(p)) : packets;
  }

  private write(packets: readonly EnginePacket[]): void {
    if (packets.length === 0) return;
    const ws = this.ws;
    if (ws) {
      this.wsWriting++;
      packets.forEach((p, i) => wsSend(ws, p, i === packets.length - 1 ? () => this.wsWriting-- : undefined));
    } else if (this.poll) {
      const { req, res } = this.poll;
      this.poll = undefined;
      writePayload(req, res, encodePayload(packets, nodeBase64), this.options.httpCompression);
    }
  }

  private arm(): void {
    const at = this.faults.heartbeat ? this.session.nextDeadline() : Infinity;
    if (at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      if (this.faults.heartbeat) this.session.handleTimeout(Date.now());
      this.drain();
    }, Math.max(0, at - Date.now()));
  }

  private onSessionClose(reason: ServerCloseReason): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.probe?.close();
    this.probe = undefined;
    const rest = this.select(this.session.takePackets());
    if (this.ws) {
      for (const p of rest) wsSend(this.ws, p);
      this.ws.close();
      this.ws = undefined;
    } else if (this.poll) {
      const { req, res } = this.poll;
      this.poll = undefined;
      // The client's own close is answered with a noop; the server's carries the `1`.
      const tail: EnginePacket = reason === "transport close" ? { type: "noop" } : { type: "close" };
      if (!res.writableEnded) writePayload(req, res, encodePayload([...rest, tail], nodeBase64), false);
    } else if (this.transport.name === "polling" && (reason === "forced close" || reason === "server shutting down")) {
      this.leftover = rest;
      this.closing = true;
      this.handlers?.close(reason);
      if (rest.length === 0 && this.abortPost()) return this.finishClose();
      this.timer = setTimeout(() => this.finishClose(), POLLING_CLOSE_TIMEOUT);
      this.timer.unref();
      return;
    }
    this.abortPost();
    this.handlers?.close(reason);
    this.onGone(this);
  }

  /**
   * Drops a POST still arriving when the transport closes, as engine.io does; during a polling
   * close that ends the session at once instead of waiting for a poll. True if there was one.
   */
  private abortPost(): boolean {
    const post = this.post;
    this.post = undefined;
    post?.destroy();
    return post !== undefined;
  }

  /** Releases a closed connection now, without waiting for a poll to carry the `1`. */
  dispose(): void {
    if (this.closing) this.finishClose();
  }

  private finishClose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closing = false;
    this.leftover = [];
    this.onGone(this);
  }
}
