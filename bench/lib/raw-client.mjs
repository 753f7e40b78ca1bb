// The floor: the least work any Socket.IO client must do over `ws`. Engine.IO v4 + Socket.IO v5
// on one WebSocket, main namespace only, written out by hand: the open frame, "40", "2" answered
// with "3", "42[...]" parsed with one JSON.parse, "42[...]" sent with one JSON.stringify, acks,
// and binary attachments (placeholders at the top level of the arguments, which is all the
// scenarios send). No emitter, no buffering, no reconnection, no validation.
import WebSocket from "ws";

/** Opens a connection to the main namespace; resolves once the CONNECT reply arrived. */
export function connectRaw(base) {
  const url = `${base.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
  return new Promise((resolve, reject) => {
    const socket = new RawSocket(url, resolve, reject);
    socket.ws.on("error", reject);
  });
}

class RawSocket {
  constructor(url, onConnect, onError) {
    this.handlers = new Map();
    this.acks = new Map();
    this.nextId = 0;
    this.pending = null; // a binary packet waiting for its attachments
    this.ws = new WebSocket(url);
    this.ws.on("message", (data, isBinary) => {
      if (isBinary) return this.attachment(data);
      const text = data.toString();
      switch (text.charCodeAt(0)) {
        case 0x30: // "0": open
          return this.ws.send("40");
        case 0x32: // "2": ping
          return this.ws.send("3");
        case 0x34: // "4": message
          return this.packet(text, onConnect);
        default:
          return undefined;
      }
    });
    this.ws.on("close", () => onError(new Error("closed")));
  }

  on(event, handler) {
    this.handlers.set(event, handler);
    return this;
  }

  emit(event, ...args) {
    const last = args[args.length - 1];
    let id = "";
    if (typeof last === "function") {
      id = String(this.nextId++);
      this.acks.set(id, args.pop());
    }
    const buffers = args.filter((a) => Buffer.isBuffer(a));
    if (buffers.length === 0) return this.ws.send(`42${id}${JSON.stringify([event, ...args])}`);
    let num = 0;
    const data = args.map((a) => (Buffer.isBuffer(a) ? { _placeholder: true, num: num++ } : a));
    this.ws.send(`45${buffers.length}-${id}${JSON.stringify([event, ...data])}`);
    for (const b of buffers) this.ws.send(b);
    return undefined;
  }

  off(event) {
    this.handlers.delete(event);
    return this;
  }

  disconnect() {
    this.ws.close();
  }

  packet(text, onConnect) {
    const type = text.charCodeAt(1) - 0x30;
    let i = 2;
    let attachments = 0;
    if (type === 5 || type === 6) {
      const dash = text.indexOf("-", 2);
      attachments = Number(text.slice(2, dash));
      i = dash + 1;
    }
    if (text.charCodeAt(i) === 0x2f /* "/" */) return; // other namespaces are not used here
    const start = i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const id = start === i ? undefined : text.slice(start, i);
    const data = i < text.length ? JSON.parse(text.slice(i)) : undefined;
    if (type === 0) return onConnect(this);
    if (attachments > 0) {
      this.pending = { type: type - 3, id, data, buffers: [], attachments };
      return;
    }
    this.dispatch(type, id, data);
  }

  attachment(buffer) {
    const p = this.pending;
    p.buffers.push(buffer);
    if (p.buffers.length < p.attachments) return;
    this.pending = null;
    const data = p.data.map((a) => (a !== null && typeof a === "object" && a._placeholder === true ? p.buffers[a.num] : a));
    this.dispatch(p.type, p.id, data);
  }

  dispatch(type, id, data) {
    if (type === 2) {
      const handler = this.handlers.get(data[0]);
      if (handler === undefined) return;
      if (id === undefined) return handler(...data.slice(1));
      return handler(...data.slice(1), (...reply) => this.ws.send(`43${id}${JSON.stringify(reply)}`));
    }
    if (type === 3) {
      const ack = this.acks.get(id);
      this.acks.delete(id);
      if (ack !== undefined) ack(...data);
    }
  }
}
