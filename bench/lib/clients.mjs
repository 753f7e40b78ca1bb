// The three clients under test behind one small shape: connect(url, options) resolves with a
// connected socket that has on/off/emit/disconnect. volley and socket.io-client are used through
// their public io(); the raw floor is bench/lib/raw-client.mjs.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { connectRaw } from "./raw-client.mjs";

export const CLIENTS = ["volley", "socket.io-client", "raw"];
export const VOLLEY_BUILD = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "volley.node.mjs");
// The run copies the build once (run.mjs), so a rebuild during a run cannot mix two versions.
const VOLLEY_ENTRY = process.env.BENCH_VOLLEY_ENTRY ?? VOLLEY_BUILD;

/** Loads a client; returns { connect(url, options), create(url, options) } (create: not yet connected). */
export async function loadClient(name) {
  if (name === "raw") {
    return {
      connect: (url, options = {}) => {
        if (options.transports !== undefined && options.transports[0] !== "websocket") throw new Error("raw speaks websocket only");
        return connectRaw(url);
      },
    };
  }
  const io = name === "volley" ? await loadVolley() : (await import("socket.io-client")).io;
  const create = (url, options = {}) => io(url, { forceNew: true, reconnection: false, ...options });
  const connect = (url, options) => connected(create(url, options));
  return { connect, create };
}

async function loadVolley() {
  if (!existsSync(VOLLEY_ENTRY)) throw new Error("dist/volley.node.mjs is missing: run `npm run build`");
  const module = await import(pathToFileURL(VOLLEY_ENTRY).href);
  return module.io;
}

/** Resolves with the socket on "connect", rejects on "connect_error". */
export function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}
