/**
 * One scheduled wake-up per clock for the deadlines of every engine on it (heartbeat, the
 * websocket-first fallback), instead of a timer and two closures per connection. A deadline
 * that moves later (each ping does) does not re-schedule: the wake-up finds nothing due, looks
 * for the earliest deadline and sleeps until then. Deadlines are kept relative to the clock's
 * time at creation, small integers that need no number box per connection.
 */
import type { Cancel, Clock } from "./clock.js";

/** Something with one deadline; the fields belong to {@link Deadlines}. */
export interface Timed {
  /** @internal the deadline while set, relative to the origin */
  _dueAt: number | undefined;
  /** @internal the position in the list while set (an array costs less per item than a Set) */
  _dueSlot?: number | undefined;
  /** @internal the deadline passed (it is no longer set) */
  _due(): void;
}

export class Deadlines {
  private readonly items: Timed[] = [];
  private cancel: Cancel | undefined;
  private armedAt = Infinity;
  private readonly origin: number;

  constructor(readonly clock: Clock) {
    this.origin = clock.now();
  }

  /** Sets `item`'s deadline (absolute ms); Infinity removes it. */
  set(item: Timed, at: number): void {
    const items = this.items;
    const slot = item._dueSlot;
    if (at === Infinity) {
      if (slot === undefined) return;
      item._dueSlot = item._dueAt = undefined;
      const last = items.pop() as Timed;
      if (last !== item) items[(last._dueSlot = slot)] = last;
      if (items.length === 0) this.arm(Infinity);
      return;
    }
    if (slot === undefined) item._dueSlot = items.push(item) - 1;
    const due = (item._dueAt = at - this.origin);
    if (due < this.armedAt) this.arm(due);
  }

  /** Schedules the wake-up for `due` (relative; Infinity: none). */
  private arm(due: number): void {
    this.cancel?.();
    this.cancel = undefined;
    this.armedAt = due;
    if (due !== Infinity) this.cancel = this.clock.schedule(Math.max(0, due + this.origin - this.clock.now()), () => this.fire());
  }

  /** Runs what is due, then sleeps until the earliest remaining deadline. */
  private fire(): void {
    this.cancel = undefined;
    this.armedAt = -Infinity; // nothing is scheduled while the due items run
    const now = this.clock.now() - this.origin;
    try {
      for (const item of this.items.slice()) {
        if (item._dueSlot === undefined || (item._dueAt as number) > now) continue;
        this.set(item, Infinity);
        item._due();
      }
    } finally {
      let next = Infinity;
      for (const item of this.items) next = Math.min(next, item._dueAt as number);
      this.arm(next);
    }
  }
}

const byClock = new WeakMap<Clock, Deadlines>();

/** The deadlines of `clock` (one per clock, created on first use). */
export function deadlinesOf(clock: Clock): Deadlines {
  let deadlines = byClock.get(clock);
  if (deadlines === undefined) byClock.set(clock, (deadlines = new Deadlines(clock)));
  return deadlines;
}
