/**
 * Servers in child processes (so a test can kill them, and so memory measured in the test
 * process is the clients' alone). The child reports `{ type: "ready", port }` over IPC and
 * answers `{ type: "stats" }` with `{ type: "stats", ... }`.
 */
import { fork } from "node:child_process";

export interface ChildServer<Stats> {
  name: string;
  port: number;
  readonly alive: boolean;
  stats(): Promise<Stats>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

export function forkServer<Stats>(
  script: string,
  name: string,
  env: Record<string, string>,
  startMs = 15_000,
): Promise<ChildServer<Stats>> {
  const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${startMs} ms`)), startMs);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.once("message", (msg: { type: string; port: number }) => {
      clearTimeout(timer);
      resolve({
        name,
        port: msg.port,
        get alive() {
          return alive();
        },
        stats: () =>
          new Promise((res) => {
            const onStats = (m: Stats & { type: string }): void => {
              if (m.type !== "stats") return;
              child.off("message", onStats);
              res(m);
            };
            child.on("message", onStats);
            child.send({ type: "stats" });
          }),
        async kill() {
          if (alive()) child.kill("SIGKILL");
          await exited;
        },
      });
    });
  });
}

export interface SocketIoChildStats {
  received: number;
  connections: number;
  clients: number;
  rss: number;
}

const SOCKETIO_CHILD = new URL("./socketio-child.mjs", import.meta.url).pathname;

/** The real socket.io server (see socketio-child.mjs) in a child process. */
export function socketIoChild(options: Record<string, unknown> = {}): Promise<ChildServer<SocketIoChildStats>> {
  return forkServer<SocketIoChildStats>(SOCKETIO_CHILD, "socket.io", { SERVER_OPTIONS: JSON.stringify(options) });
}

export interface IdleClientsStats {
  connected: number;
  disconnects: number;
  errors: number;
  pings: number;
}

const IDLE_CLIENTS = new URL("./idle-clients.mjs", import.meta.url).pathname;

/** `count` idle socket.io-client sessions to `target`, held by a child process (see idle-clients.mjs). */
export function idleClients(target: string, count: number): Promise<ChildServer<IdleClientsStats>> {
  return forkServer<IdleClientsStats>(IDLE_CLIENTS, "idle clients", { TARGET: target, COUNT: String(count) }, 240_000);
}
