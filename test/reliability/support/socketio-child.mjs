// A real socket.io 4.8 server in its own process, so heap and memory figures taken in the test
// process belong to the clients alone. Options come as JSON in SERVER_OPTIONS; it reports its
// port over IPC, answers "stats", and exits when the parent goes away.
import http from "node:http";
import { Server } from "socket.io";

const httpServer = http.createServer();
const io = new Server(httpServer, JSON.parse(process.env.SERVER_OPTIONS ?? "{}"));
let received = 0;
let connections = 0;

io.on("connection", (socket) => {
  connections++;
  socket.on("echo", (n, ack) => ack(n));
  socket.on("kick", () => socket.conn.close());
  // Load scenario: count every message and answer each with one "r" carrying the same number.
  socket.on("m", (n) => {
    received++;
    socket.emit("r", n);
  });
});

process.on("message", (msg) => {
  if (msg?.type === "stats") {
    process.send({ type: "stats", received, connections, clients: io.engine.clientsCount, rss: process.memoryUsage().rss });
  }
});
process.on("disconnect", () => process.exit(0));
httpServer.listen(0, "127.0.0.1", () => process.send({ type: "ready", port: httpServer.address().port }));
