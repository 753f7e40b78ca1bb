// Child processes of the bench, each on a timer: the socket.io server and the client children.
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Starts the socket.io server child; resolves with { port, stop() }. Killed after `ttlMs` regardless. */
export function startServer(ttlMs) {
  const child = fork(join(HERE, "server.mjs"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, BENCH_SERVER_TTL_MS: String(ttlMs) },
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), ttlMs + 5_000);
  const stop = () => {
    clearTimeout(timer);
    child.kill("SIGKILL");
  };
  return new Promise((resolve, reject) => {
    child.once("message", ({ port }) => resolve({ port, stop }));
    child.once("exit", (code) => reject(new Error(`socket.io server exited (${code}) before listening`)));
  });
}

/**
 * Runs one client child with `spec`; resolves with its figures or rejects with its error.
 * `onRequest(message)` answers the child's requests (the connect scenario's proxy counters).
 */
export function runClient(spec, { execArgv = [], timeoutMs, onRequest }) {
  const child = fork(join(HERE, "client.mjs"), [JSON.stringify(spec)], {
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let result;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${spec.client} ${spec.kind}: killed after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", (message) => {
      if (message.type !== undefined) child.send(onRequest(message));
      else result = message;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (result?.ok) resolve(result.figures);
      else reject(new Error(result?.error ?? `${spec.client} ${spec.kind}: exited with ${code ?? signal}`));
    });
  });
}
