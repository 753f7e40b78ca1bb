/** Shared parts of the client integration tests: clients that are cleaned up, and waiting for an event. */
import { afterEach } from "vitest";
import { io, type Socket } from "../../src/node.js";

const cleanups: Array<() => unknown> = [];

/** Registers an undo to run after the current test (last registered, first run). */
export function defer(undo: () => unknown): void {
  cleanups.push(undo);
}

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A client on its own connection, disconnected after the test. */
export function client(url: string, options: Parameters<typeof io>[1] = {}): Socket {
  const socket = io(url, { forceNew: true, ...options });
  defer(() => socket.io.disconnect());
  return socket;
}

/** The first argument of the next `event`. */
export function once<T = unknown>(target: { once(ev: string, fn: (...args: never[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => target.once(event, ((value: T) => resolve(value)) as (...args: never[]) => void));
}
