/**
 * A user-written in-memory transport and a scripted Socket.IO server behind it: the Engine.IO
 * handshake on open, then every frame the client sends goes to `onFrame`. Tests drive time
 * with the FakeClock and microtasks with `settle()`.
 */
import type { Frame } from "../../src/protocol/binary.js";
import type { Transport, TransportContext, TransportFactory, TransportHandlers } from "../../src/index.js";

export const HANDSHAKE = '0{"sid":"eio-1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

/** Lets queued microtasks (engine flushes, transport callbacks) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export class MemoryConnection implements Transport {
  readonly name = "memory";
  handlers: TransportHandlers | undefined;
  closed = false;
  readonly received: Frame[] = [];

  constructor(
    private readonly server: MemoryServer,
    readonly url: string,
  ) {}

  open(handlers: TransportHandlers): void {
    this.handlers = handlers;
    queueMicrotask(() => {
      if (this.closed) return;
      if (this.server.refuse) {
        this.drop("transport error");
        return;
      }
      handlers.onOpen();
      this.push(HANDSHAKE);
    });
  }

  send(frames: readonly Frame[]): void {
    for (const frame of frames) {
      this.received.push(frame);
      this.server.onFrame(this, frame);
    }
  }

  close(): void {
    this.closed = true;
    this.handlers = undefined;
  }

  /** Server → client frame. */
  push(frame: Frame): void {
    this.handlers?.onFrame(frame);
  }

  /** The server side goes away. */
  drop(reason: "transport close" | "transport error" = "transport close"): void {
    const handlers = this.handlers;
    this.handlers = undefined;
    this.closed = true;
    handlers?.onClose(reason, new Error(reason));
  }
}

/** Socket.IO server script: answers CONNECT with a sid, acks "echo" events; override `onFrame` as needed. */
export class MemoryServer {
  readonly connections: MemoryConnection[] = [];
  refuse = false;
  private sids = 0;

  readonly transport: TransportFactory = {
    name: "memory",
    create: (context: TransportContext) => {
      const connection = new MemoryConnection(this, context.url());
      this.connections.push(connection);
      return connection;
    },
  };

  get last(): MemoryConnection {
    const c = this.connections[this.connections.length - 1];
    if (!c) throw new Error("no connection yet");
    return c;
  }

  /** Text frames the client sent on every connection, in order. */
  get sent(): string[] {
    return this.connections.flatMap((c) => c.received.filter((f): f is string => typeof f === "string"));
  }

  onFrame(connection: MemoryConnection, frame: Frame): void {
    if (typeof frame !== "string") return;
    const connect = /^40(\/[^,]*,)?/.exec(frame);
    if (connect) {
      connection.push(`40${connect[1] ?? ""}{"sid":"sio-${++this.sids}"}`);
      return;
    }
    const echo = /^42(\d+)\["echo",(.*)\]$/.exec(frame);
    if (echo) connection.push(`43${echo[1]}[${echo[2]}]`);
  }
}
