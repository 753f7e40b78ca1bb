/**
 * The Socket.IO side of one Engine.IO connection: decodes its messages, routes packets to the
 * namespace sockets, enforces the namespace rules of PROTOCOL.md 2.5 and `connectTimeout`, and
 * writes encoded packets. Any protocol violation closes the whole connection.
 */
import type { ServerCloseReason } from "../protocol/engine/server-session.js";
import type { Frame } from "../protocol/binary.js";
import { Decoder, encode } from "../protocol/socketio/codec.js";
import { PacketType, type SioPacket } from "../protocol/socketio/packet.js";
import { ProtocolError } from "../protocol/error.js";
import type { EngineConnection } from "./engine-connection.js";
import type { Namespace } from "./namespace.js";
import type { Socket } from "./socket.js";

export class Client {
  readonly conn: EngineConnection;
  private readonly decoder = new Decoder();
  private readonly sockets = new Map<string, Socket>();
  private readonly connecting = new Set<string>();
  private connectTimer: NodeJS.Timeout | undefined;

  constructor(
    conn: EngineConnection,
    private readonly lookup: (name: string, auth: Record<string, unknown>, done: (nsp: Namespace | undefined) => void) => void,
    connectTimeout: number,
  ) {
    this.conn = conn;
    conn.handlers = { message: (data) => this.onMessage(data), close: (reason) => this.onClose(reason) };
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      if (this.sockets.size === 0) conn.close("forced close");
    }, connectTimeout);
  }

  /** @internal */
  writePacket(packet: SioPacket): void {
    this.writeFrames(encode(packet));
  }

  /** @internal Frames of one packet, written together. */
  writeFrames(frames: readonly Frame[]): void {
    if (!this.conn.closed) this.conn.sendAll(frames as (string | Buffer)[]);
  }

  /** @internal Every namespace leaves (`server namespace disconnect`), then the connection closes. */
  disconnectAll(): void {
    for (const s of [...this.sockets.values()]) s.disconnect();
    this.conn.close("forced close");
  }

  /** @internal */
  remove(socket: Socket): void {
    if (this.sockets.get(socket.nsp.name) === socket) this.sockets.delete(socket.nsp.name);
  }

  private onMessage(data: string | Buffer): void {
    const packet = this.decoder.add(data);
    if (packet === undefined) return;
    if (packet instanceof ProtocolError) {
      // As in socket.io: every socket hears the error, then the connection closes (`forced close`).
      for (const s of [...this.sockets.values()]) s.onError(packet);
      return this.conn.close("forced close");
    }
    const socket = this.sockets.get(packet.nsp);
    if (packet.type === PacketType.CONNECT) {
      if (socket || this.connecting.has(packet.nsp)) return this.conn.close("forced close");
      return this.connect(packet.nsp, (packet.data ?? {}) as Record<string, unknown>);
    }
    if (socket && packet.type !== PacketType.CONNECT_ERROR) return socket.onPacket(packet);
    this.conn.close("forced close");
  }

  private connect(name: string, auth: Record<string, unknown>): void {
    this.connecting.add(name);
    this.lookup(name, auth, (nsp) => {
      if (this.conn.closed) return void this.connecting.delete(name);
      if (!nsp) {
        this.connecting.delete(name);
        this.writePacket({ type: PacketType.CONNECT_ERROR, nsp: name, data: { message: "Invalid namespace" } });
        return;
      }
      nsp.add(this, auth, (socket) => {
        this.connecting.delete(name);
        if (!socket) return;
        this.sockets.set(name, socket);
        if (this.connectTimer) clearTimeout(this.connectTimer);
        this.connectTimer = undefined;
      });
    });
  }

  private onClose(reason: ServerCloseReason): void {
    this.decoder.reset();
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    for (const s of [...this.sockets.values()]) s.onClose(reason);
    this.sockets.clear();
  }
}
