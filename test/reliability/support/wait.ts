/** Small waiting helpers shared by the reliability and cluster tests (bounded, never open-ended). */

/** Anything with socket.io-client style `once`/`off` for the events `E`. */
export interface Emitterish<E extends string> {
  once(event: E, fn: (...args: unknown[]) => void): unknown;
  off(event: E, fn: (...args: unknown[]) => void): unknown;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every few ms; fails with `what` after `ms`. */
export async function until(check: () => boolean, ms: number, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(5);
  }
}

/** Resolves with the arguments of the next `event`; fails after `ms`. */
export function next<T extends unknown[] = unknown[], E extends string = string>(target: Emitterish<NoInfer<E>>, event: E, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as unknown as T);
    };
    const timer = setTimeout(() => {
      target.off(event, onEvent);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    target.once(event, onEvent);
  });
}

/** Milliseconds since `start`, rounded, for reports. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}

/** Like `until`, for a check that has to ask another process. */
export async function eventually(check: () => Promise<boolean>, ms: number, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${ms} ms`);
    await sleep(20);
  }
}
