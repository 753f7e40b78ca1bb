/**
 * One scheduled wake-up per clock for the deadlines of every engine on it (heartbeat, the
 * websocket-first fallback), instead of a timer and two closures per connection: a min-heap
 * ordered by deadline. A deadline that moves later (each ping does) does not re-schedule; the
 * wake-up finds nothing due and sleeps again until the earliest. Deadlines are kept relative to
 * the clock's time at creation, small integers that need no number box per connection.
 */
import type { Cancel, Clock } from "./clock.js";

/** Something with one deadline; its fields belong to {@link Deadlines}. */
export interface Timed {
  /** @internal the deadline while queued, relative to the origin */
  _dueAt: number | undefined;
  /** @internal the position in the heap while queued */
  _dueSlot: number | undefined;
  /** @internal the deadline passed (it is no longer queued) */
  _due(): void;
}

export class Deadlines {
  private readonly heap: Timed[] = [];
  private cancel: Cancel | undefined;
  private armedAt = Infinity;
  private firing = false;
  private readonly origin: number;

  constructor(readonly clock: Clock) {
    this.origin = clock.now();
  }

  /** Sets `item`'s deadline (absolute ms); Infinity removes it. */
  set(item: Timed, at: number): void {
    if (at === Infinity) {
      this.remove(item);
      return;
    }
    const slot = item._dueSlot;
    const due = at - this.origin;
    if (slot !== undefined && item._dueAt === due) return;
    item._dueAt = due;
    if (slot === undefined) {
      item._dueSlot = this.heap.length;
      this.heap.push(item);
      this.up(this.heap.length - 1);
    } else if (!this.up(slot)) this.down(slot);
    if (due < this.armedAt && !this.firing) this.arm(due);
  }

  private remove(item: Timed): void {
    const slot = item._dueSlot;
    if (slot === undefined) return;
    item._dueSlot = item._dueAt = undefined;
    const last = this.heap.pop() as Timed;
    if (last !== item) {
      this.heap[slot] = last;
      last._dueSlot = slot;
      if (!this.up(slot)) this.down(slot);
    }
    if (this.heap.length === 0 && this.cancel !== undefined) {
      this.cancel();
      this.cancel = undefined;
      this.armedAt = Infinity;
    }
  }

  /** Schedules the wake-up for `due` (relative). */
  private arm(due: number): void {
    this.cancel?.();
    this.armedAt = due;
    this.cancel = this.clock.schedule(Math.max(0, due + this.origin - this.clock.now()), () => this.fire());
  }

  private fire(): void {
    this.cancel = undefined;
    this.armedAt = Infinity;
    this.firing = true;
    try {
      const now = this.clock.now() - this.origin;
      let head: Timed | undefined;
      while ((head = this.heap[0]) !== undefined && (head._dueAt as number) <= now) {
        this.remove(head);
        head._due();
      }
    } finally {
      this.firing = false;
      const head = this.heap[0];
      if (head !== undefined) this.arm(head._dueAt as number);
    }
  }

  /** Moves the item at `i` towards the root while it is earlier than its parent; true if it moved. */
  private up(i: number): boolean {
    const heap = this.heap;
    const item = heap[i] as Timed;
    const at = item._dueAt as number;
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p] as Timed;
      if ((parent._dueAt as number) <= at) break;
      heap[i] = parent;
      parent._dueSlot = i;
      i = p;
    }
    heap[i] = item;
    item._dueSlot = i;
    return i !== start;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i] as Timed;
    const at = item._dueAt as number;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const right = heap[c + 1];
      if (right !== undefined && (right._dueAt as number) < ((heap[c] as Timed)._dueAt as number)) c++;
      const child = heap[c] as Timed;
      if ((child._dueAt as number) >= at) break;
      heap[i] = child;
      child._dueSlot = i;
      i = c;
    }
    heap[i] = item;
    item._dueSlot = i;
  }
}

const byClock = new WeakMap<Clock, Deadlines>();

/** The deadlines of `clock` (one per clock, created on first use). */
export function deadlinesOf(clock: Clock): Deadlines {
  let deadlines = byClock.get(clock);
  if (deadlines === undefined) {
    deadlines = new Deadlines(clock);
    byClock.set(clock, deadlines);
  }
  return deadlines;
}
