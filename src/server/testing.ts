/**
 * Fault injection for tests (`import { faultsOf } from "volley/server/testing"`). Not part of
 * the server API: these switches make a healthy server misbehave on purpose, per connection,
 * so client reliability code can be tested against stalls, losses and cuts.
 *
 * @example
 * io.on("connection", (socket) => {
 *   const faults = faultsOf(socket);
 *   faults.stopPings();            // the client's ping timeout fires
 *   faults.dropOutgoing();         // everything the server sends is lost
 *   faults.cut();                  // the transport drops without a close packet or frame
 * });
 */
import { decodePacket } from "../protocol/engine/codec.js";
import type { EnginePacket } from "../protocol/engine/packet.js";
import type { EngineConnection } from "./engine-connection.js";
import { healthy } from "./faults.js";
import type { Server } from "./server.js";
import type { Socket } from "./socket.js";

/** The switches of one Engine.IO connection. */
export interface FaultControl {
  /** The connection this controls. */
  readonly connection: EngineConnection;
  /** No more pings, and no ping timeout on this side: the heartbeat stops. */
  stopPings(): void;
  resumePings(): void;
  /** Ignore everything the client sends and send nothing: a hung server. */
  stopAnswering(): void;
  /** Drop outgoing Engine.IO packets matching `filter` (all of them without one). */
  dropOutgoing(filter?: (packet: EnginePacket) => boolean): void;
  /** Hold every outgoing flush for `ms` milliseconds. */
  delayOutgoing(ms: number): void;
  /** Close probe WebSockets at once, so the session stays on polling. */
  refuseUpgrades(): void;
  /** Drop the transport without a close packet or frame, as a network cut would. */
  cut(): void;
  /** Send a raw Engine.IO packet: text form (`"4hello"`, `"1"`, `"6"`) or a Buffer (a binary message). */
  sendRaw(frame: string | Buffer): void;
  /** Every switch back off. */
  reset(): void;
}

const ALL = () => true;

/** The fault switches of a socket's (or a raw) Engine.IO connection. */
export function faultsOf(target: Socket | EngineConnection): FaultControl {
  const connection = "conn" in target ? target.conn : target;
  const f = connection.faults;
  return {
    connection,
    stopPings: () => void (f.heartbeat = false),
    resumePings: () => {
      f.heartbeat = true;
      connection.wake();
    },
    stopAnswering: () => {
      f.deaf = true;
      f.heartbeat = false;
      f.drop = ALL;
    },
    dropOutgoing: (filter = ALL) => void (f.drop = filter),
    delayOutgoing: (ms) => void (f.delay = ms),
    refuseUpgrades: () => void (f.refuseUpgrades = true),
    cut: () => connection.cut(),
    sendRaw: (frame) => {
      const packet = decodePacket(frame);
      if (packet instanceof Error) throw packet;
      connection.sendPacket(packet);
    },
    reset: () => {
      Object.assign(f, healthy());
      connection.wake();
    },
  };
}

/**
 * Applies `setup` to the fault switches of every connection the server opens from now on.
 * Returns the undo.
 * @example const undo = onEveryConnection(io, (f) => f.refuseUpgrades());
 */
export function onEveryConnection(io: Server, setup: (faults: FaultControl) => void): () => void {
  const listener = (conn: EngineConnection) => setup(faultsOf(conn));
  io.engine.on("connection", listener);
  return () => io.engine.off("connection", listener);
}
