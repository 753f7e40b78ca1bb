/**
 * The one source of time for a client. Every deadline (heartbeat, ack timeouts, reconnect
 * backoff, open timeout) is computed from `now()`, and each driver keeps a single scheduled
 * wake-up, so tests replace this with a fake clock and never sleep.
 */

/** Cancels a scheduled call; calling it twice is harmless. */
export type Cancel = () => void;

/** Time and a timer, injected into every client driver. */
export interface Clock {
  /**
   * Milliseconds since an arbitrary epoch. Wall time, not a monotonic counter: a machine that
   * slept must see the time it slept, or a dead connection would look alive after wake-up.
   */
  now(): number;
  /** Calls `fn` once after `delay` ms. */
  schedule(delay: number, fn: () => void): Cancel;
}

/** The platform clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delay, fn) {
    const handle = setTimeout(fn, delay);
    return () => clearTimeout(handle);
  },
};

let taskNow: number | undefined;
const forgetTaskNow = (): void => {
  taskNow = undefined;
};

/**
 * The time to judge a received frame by. With the system clock it is read once per task:
 * frames handled in one task arrived in one read, and a machine cannot sleep between them
 * unnoticed, since the next task reads the time again. Other clocks are asked every time.
 */
export function frameTime(clock: Clock): number {
  if (clock !== systemClock) return clock.now();
  if (taskNow === undefined) {
    taskNow = Date.now();
    queueMicrotask(forgetTaskNow);
  }
  return taskNow;
}
