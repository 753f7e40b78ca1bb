// One node of the test cluster: a real socket.io 4.8 server with the Redis adapter, run as a
// child process so a test can kill it. It listens on 127.0.0.1 port 0 and reports its port,
// then answers "stats" requests over IPC. The events below are what the cluster tests drive.
import http from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const node = process.env.NODE_NAME ?? "node";
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error("REDIS_URL is required");

const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
pub.on("error", () => {});
sub.on("error", () => {});
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer();
const io = new Server(httpServer, { adapter: createAdapter(pub, sub), pingInterval: 1000, pingTimeout: 1000 });
const connectionErrors = [];
const received = {};
let connections = 0;

io.engine.on("connection_error", (err) => connectionErrors.push({ code: err.code, message: err.message }));

io.on("connection", (socket) => {
  connections++;
  socket.onAny((event) => (received[event] = (received[event] ?? 0) + 1));
  socket.on("whoami", (ack) => ack({ node, id: socket.id }));
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack(node);
  });
  socket.on("shout", (msg) => io.emit("shout", msg));
  socket.on("to-room", (room, msg) => io.to(room).emit("room-msg", msg));
  socket.on("to-id", (id, msg) => io.to(id).emit("direct", msg));
  socket.on("fetch", async (ack) => {
    const sockets = await io.fetchSockets();
    ack(sockets.map((s) => s.id));
  });
  socket.on("echo", (n, ack) => ack({ node, n }));
});

process.on("message", (msg) => {
  if (msg?.type === "stats") process.send({ type: "stats", node, connections, connectionErrors, received });
});
process.on("disconnect", () => process.exit(0));

httpServer.listen(0, "127.0.0.1", () => process.send({ type: "ready", port: httpServer.address().port }));
