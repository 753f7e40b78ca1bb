/**
 * Acknowledgement bookkeeping shared by a socket's own emits and broadcasts: a callback per
 * ack id, with an optional timeout whose timer is released when the ack arrives, times out
 * or the server shuts down.
 */
import { AckTimeoutError, DisconnectedError } from "../errors.js";

type AckFn = (...args: unknown[]) => void;

interface Pending {
  readonly fn: AckFn;
  readonly timer: NodeJS.Timeout | undefined;
  /** Called with an error when the server shuts down first (timed acks only). */
  readonly fail: ((error: Error) => void) | undefined;
}

export class Acks {
  private readonly pending = new Map<number, Pending>();

  /** Registers a plain ack: `fn` gets the client's reply arguments. */
  add(id: number, fn: AckFn): void {
    this.pending.set(id, { fn, timer: undefined, fail: undefined });
  }

  /** Registers an ack with a timeout: `fn(null, ...reply)` or `fn(AckTimeoutError)`. */
  addTimed(id: number, ms: number, fn: (error: Error | null, ...args: unknown[]) => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(id);
      fn(new AckTimeoutError());
    }, ms);
    this.pending.set(id, { fn: (...args) => fn(null, ...args), timer, fail: (e) => fn(e) });
  }

  /** Runs the ack for `id` once; unknown or answered ids are ignored. */
  resolve(id: number, args: unknown[]): void {
    this.forget(id)?.fn(...args);
  }

  /** Drops the ack for `id` without running it. */
  forget(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    return p;
  }

  /** Drops every pending ack; timed ones fail with `reason`. */
  clear(reason: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.fail?.(new DisconnectedError(reason));
    }
  }
}
