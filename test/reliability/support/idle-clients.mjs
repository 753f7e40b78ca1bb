// Opens COUNT idle socket.io-client 4.8 sessions (websocket) to TARGET from a child process, so
// the server under test holds them while its own memory is measured in the parent. Reports
// { type: "ready", connected, ms } over IPC, answers "stats" with what happened since, and
// closes every session on "close" (or when the parent goes away).
import { io } from "socket.io-client";

const target = process.env.TARGET;
const count = Number(process.env.COUNT ?? "1000");
const batch = 250;
const sockets = [];
let disconnects = 0;
let errors = 0;
let pings = 0;

const started = Date.now();
for (let i = 0; i < count; i += batch) {
  const group = [];
  for (let j = i; j < Math.min(count, i + batch); j++) {
    const socket = io(target, { forceNew: true, transports: ["websocket"], reconnection: false, timeout: 60_000 });
    socket.on("disconnect", () => disconnects++);
    socket.on("connect_error", () => errors++);
    socket.io.on("ping", () => pings++);
    group.push(new Promise((resolve) => {
      socket.once("connect", resolve);
      socket.once("connect_error", resolve);
    }));
    sockets.push(socket);
  }
  await Promise.all(group);
}
const connected = () => sockets.filter((s) => s.connected).length;
process.send({ type: "ready", port: 0, connected: connected(), ms: Date.now() - started });

process.on("message", (msg) => {
  if (msg?.type === "stats") process.send({ type: "stats", connected: connected(), disconnects, errors, pings });
  if (msg?.type === "close") {
    for (const s of sockets) s.disconnect();
    process.send({ type: "closed" });
  }
});
process.on("disconnect", () => process.exit(0));
