/**
 * The engine against the real socket.io 4.8 server: the shared scenarios, plus a ping timeout
 * when the server process itself stops (SIGSTOP).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { startSocketIoServer } from "../helpers/socketio-server.js";
import { cleanupList, connect, engineScenarios, type Peer } from "../transport/engine-scenarios.js";
import { firstPing } from "../transport/harness.js";

engineScenarios({
  name: "real socket.io server",
  start: (options) => startSocketIoServer(options) as unknown as Promise<Peer>,
  pollingServerClose: "forced server close",
});

const cleanups = cleanupList();

const CHILD_SERVER = `
import { createServer } from "node:http";
import { Server } from "socket.io";
const http = createServer();
new Server(http, { pingInterval: 300, pingTimeout: 1000 });
http.listen(0, "127.0.0.1", () => console.log(http.address().port));
`;

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  cleanups.push(() => {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (chunk: Buffer) => resolve({ child, url: `http://127.0.0.1:${chunk.toString().trim()}` }));
  });
}

describe.each([["polling"], ["websocket"]])("ping timeout over %s, real socket.io server in a child process", (name) => {
  it("closes with ping timeout when the server process stops answering", async () => {
    const { child, url } = await startChild();
    const { rec } = connect(cleanups, url, { transports: [name] });
    await rec.opened;
    await firstPing(rec);
    child.kill("SIGSTOP");
    const { reason } = await rec.closed;
    expect(reason).toBe("ping timeout");
  });
});
