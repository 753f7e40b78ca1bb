// The server side of every scenario: a real socket.io 4.8 server on 127.0.0.1, port 0, in its own
// process so that its CPU is not counted against the client. It reports its port over IPC and
// serves the scenarios through events that the client sends:
//   "s2c" {n, binary, window}  send n events "e" ({i, t}) or "b" (16 KiB buffer), at most `window`
//                              ahead of the client's "credit" (events received so far)
//   "c"/"cb" ...               count events from the client; "progress" {n} every `every` events
//   "count" (ack)              the count so far, then reset
//   "a" (i, ack)               answered at once with i
import { createServer } from "node:http";
import { Server } from "socket.io";

const BLOB = Buffer.alloc(16 * 1024, 7);
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 1e6 });

io.on("connection", (socket) => {
  // Each flush of engine.io's write buffer leaves in one TCP write, as an efficient server sends a
  // burst: without this every frame is its own write, and how many frames a client gets per read
  // depends on its own speed (a slower client reads bigger batches, which flatters it).
  if (socket.conn.transport.name === "websocket") {
    const tcp = socket.conn.request.socket;
    socket.conn.on("flush", () => tcp.cork());
    socket.conn.on("drain", () => tcp.uncork());
  }
  let received = 0;
  let every = 1000;
  const count = () => {
    received++;
    if (received % every === 0) socket.emit("progress", received);
  };
  socket.on("config", (options, ack) => {
    every = options.every;
    ack();
  });
  socket.on("c", count);
  socket.on("cb", count);
  socket.on("count", (ack) => {
    ack(received);
    received = 0;
  });
  socket.on("a", (i, ack) => ack(i));
  socket.on("s2c", ({ n, binary, window }) => {
    let sent = 0;
    let credit = 0;
    const pump = () => {
      const limit = Math.min(n, credit + window);
      if (binary) for (; sent < limit; sent++) socket.emit("b", BLOB);
      else for (; sent < limit; sent++) socket.emit("e", { i: sent, t: Date.now() });
    };
    socket.removeAllListeners("credit");
    socket.on("credit", (c) => {
      credit = c;
      pump();
    });
    pump();
  });
});

// Bounded life: the parent kills this process when done; this is the fallback.
setTimeout(() => process.exit(2), Number(process.env.BENCH_SERVER_TTL_MS ?? 900_000)).unref();
process.on("disconnect", () => process.exit(0));

httpServer.listen(0, "127.0.0.1", () => {
  process.send({ port: httpServer.address().port });
});
