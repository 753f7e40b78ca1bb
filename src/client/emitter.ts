/**
 * A small typed event emitter (the subset of socket.io-client's component-emitter that apps
 * use). Listener arrays are copied on write, so a dispatch iterates them without a copy, and a
 * dispatch with up to three arguments calls the listener without building an array. Idle
 * connections hold many emitters, so an emitter keeps its listeners in one flat array of
 * `[event, listeners, event, listeners, ...]` created on first use (a Map costs about 180
 * bytes even for one event), and a `once` listener is a small record, not a wrapper closure.
 */
import type { EventNames, EventParams, EventsMap, ReservedOrUserListener } from "../types.js";

type Listener = (...args: unknown[]) => unknown;

/** A listener registered with `once`. */
class Once {
  constructor(readonly fn: Listener) {}
}

type Entry = Listener | Once;

const listenerOf = (entry: Entry): Listener => (entry instanceof Once ? entry.fn : entry);

/** `list` without its item at `i`, in an array of exactly that size (filter over-allocates). */
const without = <T>(list: readonly T[], i: number, count = 1): T[] => list.slice(0, i).concat(list.slice(i + count));

/** Events a subclass may emit itself; `User` events come from the peer. */
export class Emitter<User extends EventsMap, Reserved extends EventsMap> {
  private table: (string | readonly Entry[])[] | undefined;

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
    else {
      const list = this.listAt(ev);
      this.remove(ev, listener === undefined ? -2 : list.findIndex((l) => l === listener || listenerOf(l) === listener));
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
    return this.listAt(ev).map((l) => listenerOf(l) as ReservedOrUserListener<Reserved, User, Ev>);
  }

  /** Whether an event has listeners. */
  hasListeners(ev: EventNames<User> | EventNames<Reserved>): boolean {
    return this.listAt(ev).length > 0;
  }

  /** Emits an event of the subclass's own (`connect`, `disconnect`, ...). */
  protected emitReserved<Ev extends EventNames<Reserved>>(ev: Ev, ...args: EventParams<Reserved, Ev>): void {
    this.dispatch(ev, args, 0);
  }

  /** Calls the listeners of `ev` with `args` from index `start`. */
  protected dispatch(ev: string, args: readonly unknown[], start: number): void {
    const n = args.length - start;
    for (const entry of this.listAt(ev)) {
      let l = entry as Listener;
      if (entry instanceof Once) {
        this.remove(ev, this.listAt(ev).indexOf(entry));
        l = entry.fn;
      }
      if (n === 0) l.call(this);
      else if (n === 1) l.call(this, args[start]);
      else if (n === 2) l.call(this, args[start], args[start + 1]);
      else l.apply(this, start === 0 ? (args as unknown[]) : args.slice(start));
    }
  }

  /** The listeners of `ev` (the stored array: never written to). */
  private listAt(ev: string): readonly Entry[] {
    const table = this.table;
    const at = table ? table.indexOf(ev) : -1;
    return at < 0 ? [] : ((table as (string | readonly Entry[])[])[at + 1] as readonly Entry[]);
  }

  private add(ev: string, entry: Entry): this {
    const table = this.table ?? [];
    const at = table.indexOf(ev);
    if (at < 0) this.table = table.concat([ev, [entry]]);
    else table[at + 1] = this.listAt(ev).concat([entry]);
    return this;
  }

  /** Removes listener `i` of `ev` (-1: none; -2: all of them). */
  private remove(ev: string, i: number): void {
    const table = this.table;
    const at = table ? table.indexOf(ev) : -1;
    if (at < 0 || i === -1 || !table) return;
    const list = this.listAt(ev);
    if (i >= 0 && list.length > 1) table[at + 1] = without(list, i);
    else this.table = table.length > 2 ? without(table, at, 2) : undefined;
  }
}
