/**
 * Reconnection delays (PROTOCOL.md 2.14), as socket.io-client computes them: exponential from
 * `min`, a jitter of ±`jitter`·base drawn from one random number, capped at `max`. Pure: the
 * random source is a parameter, so tests replay exact schedules.
 */

export interface BackoffOptions {
  /** Delay of attempt 0, in ms. */
  readonly min: number;
  /** Largest delay, in ms. */
  readonly max: number;
  /** Relative jitter, 0 to 1. */
  readonly jitter: number;
}

/**
 * Delay before reconnection attempt `attempt` (counted from 0).
 *
 * @example
 * backoffDelay(0, { min: 1000, max: 5000, jitter: 0.5 }, () => 0.25); // 875
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  let ms = options.min * 2 ** attempt;
  if (options.jitter > 0) {
    const r = random();
    const deviation = Math.floor(r * options.jitter * ms);
    ms = (Math.floor(r * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  }
  return Math.min(ms, options.max) | 0;
}
