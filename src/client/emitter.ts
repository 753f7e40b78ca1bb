/**
 * A small typed event emitter (the subset of socket.io-client's component-emitter that apps
 * use). Listener arrays are copied on write, so a dispatch iterates them without a copy, and a
 * dispatch with up to three arguments calls the listener without building an array.
 */
import type { EventNames, EventParams, EventsMap, ReservedOrUserListener } from "../types.js";

type Listener = (...args: unknown[]) => unknown;
type Wrapped = Listener & { fn?: Listener };

/** Events a subclass may emit itself; `User` events come from the peer. */
export class Emitter<User extends EventsMap, Reserved extends EventsMap> {
  private listenerMap = new Map<string, readonly Wrapped[]>();

  /** Adds a listener. */
  on<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    const list = this.listenerMap.get(ev);
    this.listenerMap.set(ev, list ? [...list, listener as Wrapped] : [listener as Wrapped]);
    return this;
  }

  /** Adds a listener called at most once. */
  once<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    const wrapped: Wrapped = (...args) => {
      this.off(ev, wrapped);
      return (listener as Listener).apply(this, args);
    };
    wrapped.fn = listener as Listener;
    return this.on(ev, wrapped as ReservedOrUserListener<Reserved, User, Ev>);
  }

  /** Removes one listener, every listener of an event, or every listener. */
  off(ev?: EventNames<User> | EventNames<Reserved>, listener?: (...args: never[]) => unknown): this {
    if (ev === undefined) this.listenerMap.clear();
    else if (listener === undefined) this.listenerMap.delete(ev);
    else {
      const list = this.listenerMap.get(ev) ?? [];
      const i = list.findIndex((l) => l === listener || l.fn === listener);
      if (i >= 0) {
        const next = list.filter((_, j) => j !== i);
        if (next.length > 0) this.listenerMap.set(ev, next);
        else this.listenerMap.delete(ev);
      }
    }
    return this;
  }

  /** Same as {@link off}. */
  removeListener(ev?: EventNames<User> | EventNames<Reserved>, listener?: (...args: never[]) => unknown): this {
    return this.off(ev, listener);
  }

  /** Same as {@link off} without a listener. */
  removeAllListeners(ev?: EventNames<User> | EventNames<Reserved>): this {
    return this.off(ev);
  }

  /** The listeners of an event (a copy). */
  listeners<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev): ReservedOrUserListener<Reserved, User, Ev>[] {
    return (this.listenerMap.get(ev) ?? []).map((l) => (l.fn ?? l) as ReservedOrUserListener<Reserved, User, Ev>);
  }

  /** Whether an event has listeners. */
  hasListeners(ev: EventNames<User> | EventNames<Reserved>): boolean {
    return this.listenerMap.has(ev);
  }

  /** Emits an event of the subclass's own (`connect`, `disconnect`, ...). */
  protected emitReserved<Ev extends EventNames<Reserved>>(ev: Ev, ...args: EventParams<Reserved, Ev>): void {
    this.dispatch(ev, args, 0);
  }

  /** Calls the listeners of `ev` with `args` from index `start`. */
  protected dispatch(ev: string, args: readonly unknown[], start: number): void {
    const list = this.listenerMap.get(ev);
    if (list === undefined) return;
    const n = args.length - start;
    for (const l of list) {
      if (n === 0) l.call(this);
      else if (n === 1) l.call(this, args[start]);
      else if (n === 2) l.call(this, args[start], args[start + 1]);
      else l.apply(this, start === 0 ? (args as unknown[]) : args.slice(start));
    }
  }
}
