// What a client child measures. Every function runs one scenario on a connected socket and
// returns its figures; CPU is process.cpuUsage() (user + system) around the loop, so time spent
// waiting for the server costs nothing. Every wait is bounded by `limitMs`.
import { performance } from "node:perf_hooks";

const BLOB = Buffer.alloc(16 * 1024, 3);

function measure() {
  const cpu = process.cpuUsage();
  const start = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { cpuUs: used.user + used.system, userUs: used.user, ms: performance.now() - start };
  };
}

function bounded(limitMs, what, body) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not done within ${limitMs} ms`)), limitMs);
    body((value) => {
      clearTimeout(timer);
      resolve(value);
    }, reject);
  });
}

const emitWithAck = (socket, event, ...args) => new Promise((resolve) => socket.emit(event, ...args, resolve));

/** Server→client: n events "e" ({i, t}) or "b" (16 KiB), with credit-based flow control. */
export function serverToClient(socket, { n, binary, window, limitMs }) {
  const event = binary ? "b" : "e";
  const step = Math.max(1, window / 4);
  return bounded(limitMs, "server→client", (done) => {
    let got = 0;
    let sink = 0;
    const stop = measure();
    socket.on(event, (data) => {
      sink += binary ? data.length : data.i;
      got++;
      if (got % step === 0) socket.emit("credit", got);
      if (got === n) {
        const figures = stop();
        socket.off(event);
        done({ ...figures, count: got, sink });
      }
    });
    socket.emit("s2c", { n, binary, window });
  });
}

/** Client→server: n events "c" ({i, t}) or "cb" (16 KiB), `batch` per macrotask, at most `window` unconfirmed. */
export async function clientToServer(socket, { n, binary, window, every, batch, limitMs }) {
  await emitWithAck(socket, "config", { every });
  const event = binary ? "cb" : "c";
  return bounded(limitMs, "client→server", (done, fail) => {
    let confirmed = 0;
    let sent = 0;
    let waiting = false;
    const stop = measure();
    const pump = () => {
      const limit = Math.min(n, confirmed + window, sent + batch);
      if (binary) for (; sent < limit; sent++) socket.emit(event, BLOB);
      else for (; sent < limit; sent++) socket.emit(event, { i: sent, t: Date.now() });
      if (sent === n) return finish();
      if (sent < confirmed + window) setImmediate(pump);
      else waiting = true;
    };
    const finish = () => {
      emitWithAck(socket, "count").then((count) => {
        const figures = stop();
        socket.off("progress");
        if (count !== n) fail(new Error(`server counted ${count} of ${n} events`));
        else done({ ...figures, count });
      }, fail);
    };
    socket.on("progress", (c) => {
      confirmed = c;
      if (waiting) {
        waiting = false;
        pump();
      }
    });
    pump();
  });
}

/** Acks: n emits with an ack callback, `inflight` at a time. */
export function acks(socket, { n, inflight, limitMs }) {
  return bounded(limitMs, "acks", (done) => {
    let sent = 0;
    let answered = 0;
    let sink = 0;
    const stop = measure();
    const onAck = (i) => {
      sink += i;
      answered++;
      if (answered === n) done({ ...stop(), count: answered, sink });
      else if (sent < n) send();
    };
    const send = () => socket.emit("a", sent++, onAck);
    while (sent < Math.min(n, inflight)) send();
  });
}

export const SCENARIOS = {
  s2c: serverToClient,
  c2s: clientToServer,
  acks,
};
