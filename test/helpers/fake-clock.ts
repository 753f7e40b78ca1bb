import type { Cancel, Clock } from "../../src/client/clock.js";

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when a test says so; it counts what is still scheduled. */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private entries: Entry[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delay: number, fn: () => void): Cancel {
    const entry: Entry = { at: this.time + Math.max(0, delay), seq: this.seq++, fn };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** How many calls are scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.entries.length;
  }

  /** Moves time forward by `ms`, running every call that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.entries = this.entries.filter((e) => e !== next);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** Jumps the wall time without running timers, as a machine waking from sleep sees it. */
  jump(ms: number): void {
    this.time += ms;
  }

  private nextDue(end: number): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.entries) {
      if (e.at <= end && (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq))) best = e;
    }
    return best;
  }
}
