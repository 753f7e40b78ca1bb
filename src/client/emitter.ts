/**
 * A small typed event emitter (the subset of socket.io-client's component-emitter that apps
 * use). Listener arrays are copied on write, so a dispatch iterates them without a copy, and a
 * dispatch with up to two arguments calls the listener without building an array. Idle
 * connections hold many emitters, so an emitter keeps its listeners in one flat array of
 * `[event, listeners, event, listeners, ...]` created on first use (a Map costs about 180
 * bytes even for one event), and a `once` listener is a one-item array, not a wrapper closure.
 */
import type { EventNames, EventParams, EventsMap, ReservedOrUserListener } from "../types.js";

type Listener = (...args: unknown[]) => unknown;

/** A listener registered with `once` is kept as a one-item tuple. */
type Entry = Listener | readonly [Listener];

const listenerOf = (entry: Entry): Listener => (typeof entry === "function" ? entry : entry[0]);

/** `list` without its item at `i`, in an array of exactly that size (filter over-allocates). */
const without = <T>(list: readonly T[], i: number, count = 1): T[] => list.slice(0, i).concat(list.slice(i + count));

type Table = (string | readonly Entry[])[];

/** The table of an emitter without listeners, shared: only a table that holds an event is written to. */
const EMPTY: Table = [];
const NO_ENTRIES: readonly Entry[] = [];

/** Events a subclass may emit itself; `User` events come from the peer. */
export class Emitter<User extends EventsMap, Reserved extends EventsMap> {
  private table = EMPTY;

  /** Adds a listener. */
  on<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    return this.add(ev, listener as Listener);
  }

  /** Adds a listener called at most once. */
  once<Ev extends EventNames<User> | EventNames<Reserved>>(ev: Ev, listener: ReservedOrUserListener<Reserved, User, Ev>): this {
    return this.add(ev, [listener as Listener]);
  }

  /** Removes one listener, every listener of an event, or every listener. */
  off<Ev extends EventNames<User> | EventNames<Reserved>>(ev?: Ev, listener?: ReservedOrUserListener<Reserved, User, Ev>): this {
    if (ev === undefined) this.table = EMPTY;
    else this.remove(ev, listener as Listener | undefined);
    return this;
  }

  /** Same as {@link off}. */
  removeListener<Ev extends EventNames<User> | EventNames<Reserved>>(ev?: Ev, listener?: ReservedOrUserListener<Reserved, User, Ev>): this {
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
      const l = listenerOf(entry);
      if (l !== entry) this.remove(ev, entry);
      if (n === 0) l.call(this);
      else if (n === 1) l.call(this, args[start]);
      else if (n === 2) l.call(this, args[start], args[start + 1]);
      else l.apply(this, start === 0 ? (args as unknown[]) : args.slice(start));
    }
  }

  /** The listeners of `ev` (the stored array: never written to). */
  private listAt(ev: string): readonly Entry[] {
    const at = this.table.indexOf(ev);
    return at < 0 ? NO_ENTRIES : (this.table[at + 1] as readonly Entry[]);
  }

  private add(ev: string, entry: Entry): this {
    const table = this.table;
    const at = table.indexOf(ev);
    if (at < 0) this.table = table.concat([ev, [entry]]);
    else table[at + 1] = (table[at + 1] as readonly Entry[]).concat([entry]);
    return this;
  }

  /** Removes the first entry of `ev` that is or wraps `listener`, or every entry without one. */
  private remove(ev: string, listener?: Entry): void {
    const table = this.table;
    const at = table.indexOf(ev);
    if (at < 0) return;
    const list = table[at + 1] as readonly Entry[];
    const i = listener === undefined ? -1 : list.findIndex((l) => l === listener || listenerOf(l) === listener);
    if (i >= 0 && list.length > 1) table[at + 1] = without(list, i);
    else if (i >= 0 || listener === undefined) this.table = table.length > 2 ? without(table, at, 2) : EMPTY;
  }
}
