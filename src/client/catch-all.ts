/**
 * Catch-all listeners of a Socket (`onAny`, `onAnyOutgoing` and their companions), on top of
 * the event emitter. Lists are copied on write, so notifying iterates without a copy, and
 * sockets without catch-all listeners share one empty list.
 */
import type { EventsMap } from "../types.js";
import { Emitter } from "./emitter.js";

/**
 * A catch-all listener: the event name, then its arguments. Declared as a method so that
 * listeners with typed parameters fit, as socket.io-client's (`...args: any[]`) take them.
 */
export type AnyListener = { bivariant(event: string, ...args: unknown[]): void }["bivariant"];

const NONE: readonly AnyListener[] = [];

export class CatchAllEmitter<User extends EventsMap, Reserved extends EventsMap> extends Emitter<User, Reserved> {
  private anyIn = NONE;
  private anyOut = NONE;

  /** Adds a listener called with the name and arguments of every received event. */
  onAny(listener: AnyListener): this {
    this.anyIn = this.anyIn.concat([listener]);
    return this;
  }

  /** Like {@link onAny}, called before the others. */
  prependAny(listener: AnyListener): this {
    this.anyIn = [listener].concat(this.anyIn);
    return this;
  }

  /** Removes one catch-all listener, or all of them. */
  offAny(listener?: AnyListener): this {
    this.anyIn = listener ? this.anyIn.filter((l) => l !== listener) : NONE;
    return this;
  }

  /** The catch-all listeners (a copy). */
  listenersAny(): AnyListener[] {
    return [...this.anyIn];
  }

  /** Adds a listener called with the name and arguments of every sent event. */
  onAnyOutgoing(listener: AnyListener): this {
    this.anyOut = this.anyOut.concat([listener]);
    return this;
  }

  /** Like {@link onAnyOutgoing}, called before the others. */
  prependAnyOutgoing(listener: AnyListener): this {
    this.anyOut = [listener].concat(this.anyOut);
    return this;
  }

  /** Removes one outgoing catch-all listener, or all of them. */
  offAnyOutgoing(listener?: AnyListener): this {
    this.anyOut = listener ? this.anyOut.filter((l) => l !== listener) : NONE;
    return this;
  }

  /** The outgoing catch-all listeners (a copy). */
  listenersAnyOutgoing(): AnyListener[] {
    return [...this.anyOut];
  }

  /** Calls the catch-all listeners of received events with `[event, ...args]`. */
  protected notifyIncoming(args: unknown[]): void {
    for (const listener of this.anyIn) listener.apply(this, args as [string, ...unknown[]]);
  }

  /** Calls the catch-all listeners of sent events with `[event, ...args]`. */
  protected notifyOutgoing(args: unknown[]): void {
    for (const listener of this.anyOut) listener.apply(this, args as [string, ...unknown[]]);
  }
}
