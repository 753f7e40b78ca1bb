// A TCP proxy on 127.0.0.1 that holds every chunk for a fixed delay in each direction (order kept:
// timers of equal delay fire in the order they were set), and counts the TCP connections, the HTTP
// requests and the WebSocket upgrade requests that pass through it. TCP handshakes themselves are
// not delayed (the proxy accepts at once), so a real network adds one round trip per new connection.
import { createServer, connect } from "node:net";

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|OPTIONS|HEAD) (\S+) HTTP\/1\.1\r\n/g;

export function startDelayProxy(targetPort, delayMs) {
  const counters = { tcp: 0, http: 0, upgrades: 0 };
  const sockets = new Set();
  const forward = (from, to) => {
    from.on("data", (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
    from.on("end", () => setTimeout(() => to.end(), delayMs));
    from.on("error", () => to.destroy());
  };
  const server = createServer((client) => {
    counters.tcp++;
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("close", () => sockets.delete(client));
    upstream.on("close", () => sockets.delete(upstream));
    // Requests are counted as they leave the client; WebSocket frames from a client are masked,
    // so no frame payload can look like a request line.
    client.on("data", (chunk) => {
      for (const [, , path] of chunk.toString("latin1").matchAll(REQUEST_LINE)) {
        if (path.includes("transport=websocket")) counters.upgrades++;
        else counters.http++;
      }
    });
    forward(client, upstream);
    forward(upstream, client);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: server.address().port,
        counters: () => ({ ...counters }),
        reset: () => Object.assign(counters, { tcp: 0, http: 0, upgrades: 0 }),
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
