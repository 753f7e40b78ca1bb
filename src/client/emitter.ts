/**
 * A small typed event emitter (the subset of socket.io-client's component-emitter that apps
 * use). Listener arrays are copied on write, so a dispatch iterates them without a copy, and a
 * dispatch with up to three arguments calls the listener without building an array. An
 * emitter without listeners holds no map, and a `once` listener is kept as a small record
 * rather than a wrapper closure: idle connections hold many emitters.
 */
import type { EventNames, EventParams, EventsMap, ReservedOrUserListener } from "../types.js";

type Listener = (...args: unknown[]) => unknown;

/** A listener registered with `once`. */
class Once {
  constructor(readonly fn: Listener) {}
}

type Entry = Listener | Once;

const listenerOf = (entry: Entry): Listener => (entry instanceof Once ? entry.fn : entry);

/** Events a subclass may emit itself; `User` events come from the peer. */
export class Emitter<User extends EventsMap, Reserved extends EventsMap> {
  private listenerMap: Map<string, readonly Entry[]> | undefined;

  /** Adds a listener. */
  on<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    return this.add(ev, listener as Listener);
  }

  /** Adds a listener called at most once. */
  once<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    return this.add(ev, new Once(listener as Listener));
  }

  /** Removes one listener, every listener of an event, or every listener. */
  off(ev?: EventNames<User> | EventNames<Reserved>, listener?: (...args: never[]) => unknown): this {
    const map = this.listenerMap;
    if (map === undefined) return this;
    if (ev === undefined) this.listenerMap = undefined;
    else if (listener === undefined) this.remove(map, ev);
    else {
      const list = map.get(ev) ?? [];
      const i = list.findIndex((l) => l === listener || listenerOf(l) === listener);
      if (i >= 0) this.removeAt(map, ev, list, i);
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
    return (this.listenerMap?.get(ev) ?? []).map((l) => listenerOf(l) as ReservedOrUserListener<Reserved, User, Ev>);
  }

  /** Whether an event has listeners. */
  hasListeners(ev: EventNames<User> | EventNames<Reserved>): boolean {
    return this.listenerMap?.has(ev) ?? false;
  }

  /** Emits an event of the subclass's own (`connect`, `disconnect`, ...). */
  protected emitReserved<Ev extends EventNames<Reserved>>(ev: Ev, ...args: EventParams<Reserved, Ev>): void {
    this.dispatch(ev, args, 0);
  }

  /** Calls the listeners of `ev` with `args` from index `start`. */
  protected dispatch(ev: string, args: readonly unknown[], start: number): void {
    const list = this.listenerMap?.get(ev);
    if (list === undefined) return;
    const n = args.length - start;
    for (const entry of list) {
      let l: Listener;
      if (entry instanceof Once) {
        this.drop(ev, entry);
        l = entry.fn;
      } else l = entry;
      if (n === 0) l.call(this);
      else if (n === 1) l.call(this, args[start]);
      else if (n === 2) l.call(this, args[start], args[start + 1]);
      else l.apply(this, start === 0 ? (args as unknown[]) : args.slice(start));
    }
  }

  private add(ev: string, entry: Entry): this {
    const map = (this.listenerMap ??= new Map());
    const list = map.get(ev);
    map.set(ev, list ? [...list, entry] : [entry]);
    return this;
  }

  /** Removes this very entry (a `once` that fired). */
  private drop(ev: string, entry: Entry): void {
    const map = this.listenerMap;
    const list = map?.get(ev);
    const i = list?.indexOf(entry) ?? -1;
    if (map && list && i >= 0) this.removeAt(map, ev, list, i);
  }

  private remove(map: Map<string, readonly Entry[]>, ev: string): void {
    map.delete(ev);
    if (map.size === 0) this.listenerMap = undefined;
  }

  private removeAt(map: Map<string, readonly Entry[]>, ev: string, list: readonly Entry[], i: number): void {
    if (list.length === 1) this.remove(map, ev);
    else map.set(ev, list.filter((_, j) => j !== i));
  }
}
