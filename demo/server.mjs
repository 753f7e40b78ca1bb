// The chat demo: the volley reference server with the classic Socket.IO chat app.
//   npm start                 builds, then serves http://localhost:3000
//   PORT=8080 npm start       another port (PORT=0 picks a free one; the URL is printed)
//
// The page loads the client with a plain <script src="/socket.io/socket.io.js">, which the
// reference server serves itself, and calls io() with no URL, as the Socket.IO seed apps do.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "volley/server";

const PUBLIC = fileURLToPath(new URL("./public/", import.meta.url));
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
const FILES = new Set(["/index.html", "/chat.js", "/chat.css", "/favicon.svg"]);
const LOBBY = "lobby";
const MAX_TEXT = 2000;

/** Static files of the page, under a CSP without unsafe-eval or inline scripts. */
async function serveStatic(req, res) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const file = path === "/" ? "/index.html" : path;
  if (req.method !== "GET" || !FILES.has(file)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const body = await readFile(join(PUBLIC, file));
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'",
    "cache-control": "no-cache",
  });
  res.end(body);
}

const clean = (value, max) => (typeof value === "string" ? value.trim().slice(0, max) : "");
const roomName = (value) => clean(value, 24).toLowerCase().replace(/[^a-z0-9_-]/g, "");

/** The chat app: nicknames, rooms, typing indicators, join/leave notices, acked messages. */
function chat(io) {
  let guests = 0;
  let online = 0;
  const nicknames = new Map();
  const nick = (socket) => nicknames.get(socket.id) ?? "someone";

  io.on("connection", (socket) => {
    nicknames.set(socket.id, `guest-${++guests}`);
    online += 1;
    socket.join(LOBBY);
    socket.emit("welcome", { nickname: nick(socket), room: LOBBY });
    socket.to(LOBBY).emit("notice", { room: LOBBY, text: `${nick(socket)} joined` });
    io.emit("online", online);

    socket.on("nickname", (value, ack) => {
      const name = clean(value, 24);
      if (!name) return typeof ack === "function" && ack({ ok: false, error: "empty nickname" });
      const before = nick(socket);
      nicknames.set(socket.id, name);
      if (before !== name) io.to(LOBBY).emit("notice", { room: LOBBY, text: `${before} is now ${name}` });
      if (typeof ack === "function") ack({ ok: true, nickname: name });
    });

    socket.on("join", (value, ack) => {
      const room = roomName(value);
      if (!room) return typeof ack === "function" && ack({ ok: false, error: "invalid room name" });
      socket.join(room);
      socket.to(room).emit("notice", { room, text: `${nick(socket)} joined #${room}` });
      if (typeof ack === "function") ack({ ok: true, room });
    });

    socket.on("leave", (value, ack) => {
      const room = roomName(value);
      if (!room || room === LOBBY) return typeof ack === "function" && ack({ ok: false, error: "cannot leave the lobby" });
      socket.to(room).emit("notice", { room, text: `${nick(socket)} left #${room}` });
      socket.leave(room);
      if (typeof ack === "function") ack({ ok: true, room });
    });

    socket.on("typing", (value) => {
      const room = roomName(value?.room) || LOBBY;
      socket.to(room).emit("typing", { room, nickname: nick(socket), typing: value?.typing === true });
    });

    // The seed app: `io.emit('chat message', msg)`; here per room, the lobby being everyone.
    socket.on("chat message", (value, ack) => {
      const text = clean(value?.text, MAX_TEXT);
      const room = roomName(value?.room) || LOBBY;
      if (!text) return typeof ack === "function" && ack({ ok: false, error: "empty message" });
      const message = { id: clean(value?.id, 64), room, nickname: nick(socket), text, at: Date.now() };
      io.to(room).emit("chat message", message);
      if (typeof ack === "function") ack({ ok: true, at: message.at });
    });

    socket.on("disconnect", () => {
      online -= 1;
      io.to(LOBBY).emit("notice", { room: LOBBY, text: `${nick(socket)} left` });
      io.emit("online", online);
      nicknames.delete(socket.id);
    });
  });
}

const httpServer = createServer((req, res) => {
  serveStatic(req, res).catch(() => res.writeHead(500).end());
});
const io = new Server(httpServer);
chat(io);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "localhost";
httpServer.listen(port, host, () => {
  const address = httpServer.address();
  console.log(`volley chat demo on http://${host}:${typeof address === "object" && address ? address.port : port}`);
});

const stop = () => {
  io.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
