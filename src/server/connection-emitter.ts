/** An EventEmitter whose `connection` listeners are typed: the base of Server and Namespace. */
import { EventEmitter } from "node:events";
import type { Socket } from "./socket.js";

export class ConnectionEmitter extends EventEmitter {
  /** `connection` (and its alias `connect`) gives the new socket. */
  override on(event: "connection" | "connect", listener: (socket: Socket) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override once(event: "connection" | "connect", listener: (socket: Socket) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }
}
