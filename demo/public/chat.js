// The chat page. `io` is the global defined by /socket.io/socket.io.js (the volley bundle).
"use strict";

const socket = io();
const $ = (id) => document.getElementById(id);
const state = { nickname: "", room: "lobby", rooms: ["lobby"], unread: new Set(), typingTimer: 0, typing: new Map() };

// Connection status: connecting -> connected -> reconnecting (attempt n) -> connected ...
function setStatus(kind, text) {
  const el = $("status");
  el.className = `status ${kind}`;
  el.textContent = text ?? kind;
}
socket.on("connect", () => setStatus("connected"));
socket.on("disconnect", () => setStatus(socket.active ? "reconnecting" : "disconnected"));
socket.on("connect_error", () => setStatus(socket.active ? "reconnecting" : "disconnected"));
socket.io.on("reconnect_attempt", (attempt) => setStatus("reconnecting", `reconnecting (attempt ${attempt})`));

function add(kind, room, build) {
  const li = document.createElement("li");
  li.className = kind;
  li.dataset.room = room;
  li.hidden = room !== state.room;
  build(li);
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(li);
  if (atBottom) list.scrollTop = list.scrollHeight;
  if (room !== state.room) markUnread(room);
  return li;
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

function notice(room, text) {
  add("notice", room, (li) => li.append(text));
}

function showMessage(message, mine) {
  return add(mine ? "message mine" : "message", message.room, (li) => {
    li.dataset.id = message.id;
    li.append(span("who", message.nickname), span("text", message.text), span("tick", mine ? "\u{1F552}" : ""));
  });
}

// Rooms: the lobby is everyone; other rooms are joined and left with acked events.
function renderRooms() {
  const list = $("rooms");
  list.replaceChildren(
    ...state.rooms.map((room) => {
      const li = document.createElement("li");
      li.className = room === state.room ? "current" : "";
      const open = document.createElement("button");
      open.type = "button";
      open.className = state.unread.has(room) ? "room unread" : "room";
      open.textContent = `#${room}`;
      open.addEventListener("click", () => switchRoom(room));
      li.append(open);
      if (room !== "lobby") {
        const leave = document.createElement("button");
        leave.type = "button";
        leave.className = "leave";
        leave.title = `Leave #${room}`;
        leave.textContent = "\u00d7";
        leave.addEventListener("click", () => leaveRoom(room));
        li.append(leave);
      }
      return li;
    }),
  );
}

function markUnread(room) {
  if (state.unread.has(room) || !state.rooms.includes(room)) return;
  state.unread.add(room);
  renderRooms();
}

function switchRoom(room) {
  state.room = room;
  state.unread.delete(room);
  for (const li of $("messages").children) li.hidden = li.dataset.room !== room;
  $("message").placeholder = `Message #${room}`;
  renderRooms();
  renderTyping();
}

function leaveRoom(room) {
  socket.emit("leave", room, (reply) => {
    if (!reply.ok) return;
    state.rooms = state.rooms.filter((r) => r !== room);
    notice("lobby", `you left #${room}`);
    switchRoom(state.room === room ? "lobby" : state.room);
  });
}

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  socket.emit("join", $("room").value, (reply) => {
    if (!reply.ok) return notice(state.room, reply.error);
    $("room").value = "";
    if (!state.rooms.includes(reply.room)) state.rooms.push(reply.room);
    notice(reply.room, `you joined #${reply.room}`);
    switchRoom(reply.room);
  });
});

$("nickname-form").addEventListener("submit", (event) => {
  event.preventDefault();
  socket.emit("nickname", $("nickname").value, (reply) => {
    if (reply.ok) state.nickname = reply.nickname;
    $("nickname").value = state.nickname;
  });
});

// Messages: shown at once with a clock; the server's ack turns it into a tick, a timeout into "!".
let counter = 0;
$("message-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value.trim();
  if (!text) return;
  $("message").value = "";
  stopTyping();
  const message = { id: `${Date.now().toString(36)}-${++counter}`, room: state.room, nickname: state.nickname, text };
  const li = showMessage(message, true);
  socket.timeout(10_000).emit("chat message", message, (err, reply) => {
    const tick = li.querySelector(".tick");
    const ok = !err && reply.ok;
    tick.textContent = ok ? "\u2713" : "!";
    tick.title = ok ? "delivered" : err ? "not delivered (no answer)" : reply.error;
    li.classList.toggle("failed", !ok);
  });
});

socket.on("chat message", (message) => {
  const mine = [...$("messages").children].some((li) => li.dataset.id === message.id && li.classList.contains("mine"));
  if (!mine) showMessage(message, false);
  state.typing.delete(`${message.room}/${message.nickname}`);
  renderTyping();
});

// "user is typing": sent when typing starts and stops (after 2 s without a key).
function stopTyping() {
  if (!state.typingTimer) return;
  clearTimeout(state.typingTimer);
  state.typingTimer = 0;
  socket.emit("typing", { room: state.room, typing: false });
}
$("message").addEventListener("input", () => {
  if (!state.typingTimer) socket.emit("typing", { room: state.room, typing: true });
  else clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, 2000);
});

function renderTyping() {
  const names = [...state.typing.values()].filter((t) => t.room === state.room).map((t) => t.nickname);
  $("typing").textContent = names.length === 0 ? "" : `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing\u2026`;
}
socket.on("typing", ({ room, nickname, typing }) => {
  const key = `${room}/${nickname}`;
  if (typing) state.typing.set(key, { room, nickname });
  else state.typing.delete(key);
  renderTyping();
});

socket.on("welcome", ({ nickname }) => {
  // After a reconnect the server knows a new session: keep the chosen nickname and rooms.
  if (state.nickname && state.nickname !== nickname) socket.emit("nickname", state.nickname, () => {});
  else state.nickname = nickname;
  for (const room of state.rooms) if (room !== "lobby") socket.emit("join", room, () => {});
  $("nickname").value = state.nickname;
  notice("lobby", `you are ${state.nickname}`);
});
socket.on("notice", ({ room, text }) => notice(room, text));
socket.on("online", (count) => ($("online").textContent = `${count} online`));

renderRooms();
$("message").focus();
