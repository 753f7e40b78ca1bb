/**
 * Per-test cleanup for the scenarios: every client, server and proxy a test makes through the
 * scope is disconnected or closed after it, whether the test passed or not.
 */
import { afterEach } from "vitest";
import { io } from "./client.js";
import { behindProxy, referenceBehindProxy } from "./servers.js";

type ClientOptions = NonNullable<Parameters<typeof io>[1]>;
export type ClientSocket = ReturnType<typeof io>;

export interface Scope {
  /** `io(url, { forceNew: true, ...options })`, disconnected after the test. */
  client(url: string, options?: ClientOptions): ClientSocket;
  /** A socket.io server behind a chaos proxy, both closed after the test. */
  proxied(...args: Parameters<typeof behindProxy>): ReturnType<typeof behindProxy>;
  /** The volley reference server behind a chaos proxy, both closed after the test. */
  proxiedReference(...args: Parameters<typeof referenceBehindProxy>): ReturnType<typeof referenceBehindProxy>;
  /** Any other cleanup, run in reverse order after the clients are gone. */
  defer(fn: () => Promise<void> | void): void;
}

export function scenarioScope(): Scope {
  const sockets: ClientSocket[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    for (const close of closers.splice(0).reverse()) await close();
  });
  return {
    client(url, options) {
      const socket = io(url, { forceNew: true, ...options });
      sockets.push(socket);
      return socket;
    },
    async proxied(...args) {
      const setup = await behindProxy(...args);
      closers.push(setup.close);
      return setup;
    },
    async proxiedReference(...args) {
      const setup = await referenceBehindProxy(...args);
      closers.push(setup.close);
      return setup;
    },
    defer(fn) {
      closers.push(fn);
    },
  };
}
