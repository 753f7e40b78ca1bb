/**
 * A small typed event emitter (the subset of socket.io-client's component-emitter that apps
 * use). Listener arrays are copied on write, so a dispatch iterates them without a copy, and a
 * dispatch with up to three arguments calls the listener without building an array. Idle
 * connections hold many emitters, so an emitter keeps its listeners in one flat array of
 * `[event, listeners, event, listeners, ...]` created on first use (a Map costs about 180
 * bytes even for one event), where a lone listener stands without an array around it, and a
 * `once` listener is a small record, not a wrapper closure.
 */
import type { EventNames, EventParams, EventsMap, ReservedOrUserListener } from "../types.js";

type Listener = (...args: unknown[]) => unknown;

/** A listener registered with `once`. */
class Once {
  constructor(readonly fn: Listener) {}
}

type Entry = Listener | Once;
/** One listener, or several in order. */
type Slot = Entry | readonly Entry[];
type Table = (string | Slot)[];

const listenerOf = (entry: Entry): Listener => (entry instanceof Once ? entry.fn : entry);

/** `list` without `count` items at `i`, in an array of exactly that size (filter over-allocates). */
function without<T>(list: readonly T[], i: number, count: number): T[] {
  return list.slice(0, i).concat(list.slice(i + count));
}

/** Events a subclass may emit itself; `User` events come from the peer. */
export class Emitter<User extends EventsMap, Reserved extends EventsMap> {
  private table: Table | undefined;

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
    if (ev === undefined) this.table = undefined;
    else if (listener === undefined) this.removeEvent(this.indexOf(ev));
    else {
      const at = this.indexOf(ev);
      const list = this.listAt(at);
      const i = list.findIndex((l) => l === listener || listenerOf(l) === listener);
      if (i >= 0) this.removeAt(at, list, i);
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
    return this.listAt(this.indexOf(ev)).map((l) => listenerOf(l) as ReservedOrUserListener<Reserved, User, Ev>);
  }

  /** Whether an event has listeners. */
  hasListeners(ev: EventNames<User> | EventNames<Reserved>): boolean {
    return this.indexOf(ev) >= 0;
  }

  /** Emits an event of the subclass's own (`connect`, `disconnect`, ...). */
  protected emitReserved<Ev extends EventNames<Reserved>>(ev: Ev, ...args: EventParams<Reserved, Ev>): void {
    this.dispatch(ev, args, 0);
  }

  /** Calls the listeners of `ev` with `args` from index `start`. */
  protected dispatch(ev: string, args: readonly unknown[], start: number): void {
    const at = this.indexOf(ev);
    if (at < 0) return;
    const slot = (this.table as Table)[at + 1] as Slot;
    if (!Array.isArray(slot)) this.callListener(ev, slot as Entry, args, start);
    else for (const entry of slot) this.callListener(ev, entry, args, start);
  }

  private callListener(ev: string, entry: Entry, args: readonly unknown[], start: number): void {
    let l: Listener;
    if (entry instanceof Once) {
      this.drop(ev, entry);
      l = entry.fn;
    } else l = entry;
    const n = args.length - start;
    if (n === 0) l.call(this);
    else if (n === 1) l.call(this, args[start]);
    else if (n === 2) l.call(this, args[start], args[start + 1]);
    else l.apply(this, start === 0 ? (args as unknown[]) : args.slice(start));
  }

  /** Where `ev` is in the table, or -1. */
  private indexOf(ev: string): number {
    const table = this.table;
    if (table === undefined) return -1;
    for (let i = 0; i < table.length; i += 2) if (table[i] === ev) return i;
    return -1;
  }

  /** The listeners at a table index (none for -1). */
  private listAt(at: number): readonly Entry[] {
    if (at < 0) return [];
    const slot = (this.table as Table)[at + 1] as Slot;
    return Array.isArray(slot) ? slot : [slot as Entry];
  }

  private add(ev: string, entry: Entry): this {
    const at = this.indexOf(ev);
    if (at >= 0) (this.table as Table)[at + 1] = this.listAt(at).concat([entry]);
    else this.table = this.table === undefined ? [ev, entry] : this.table.concat([ev, entry]);
    return this;
  }

  /** Removes this very entry (a `once` that fired). */
  private drop(ev: string, entry: Entry): void {
    const at = this.indexOf(ev);
    const list = this.listAt(at);
    const i = list.indexOf(entry);
    if (i >= 0) this.removeAt(at, list, i);
  }

  private removeAt(at: number, list: readonly Entry[], i: number): void {
    if (list.length === 1) this.removeEvent(at);
    else (this.table as Table)[at + 1] = list.length === 2 ? (list[1 - i] as Entry) : without(list, i, 1);
  }

  private removeEvent(at: number): void {
    const table = this.table;
    if (table === undefined || at < 0) return;
    this.table = table.length === 2 ? undefined : without(table, at, 2);
  }
}
