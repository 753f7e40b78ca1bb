/**
 * Type tests of the public API: typed event maps shaped like socket.io-client's, the ack
 * forms, and the options. `expectTypeOf` and `@ts-expect-error` are checked by the compiler run
 * in test/types/tsc.test.ts (a `@ts-expect-error` that is not an error fails that run).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { io, Manager, type ConnectError, type DisconnectReason, type ManagerOptions, type Socket, type SocketOptions } from "../../src/index.js";

interface ServerToClientEvents {
  noArg: () => void;
  basicEmit: (a: number, b: string, c: ArrayBuffer) => void;
  withAck: (d: string, callback: (e: number) => void) => void;
}

interface ClientToServerEvents {
  hello: () => void;
  join: (room: string, ack: (ok: boolean, members: number) => void) => void;
}

describe("typed events", () => {
  it("types listeners and emits from the event maps", () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://localhost:1", { autoConnect: false });
    socket.on("basicEmit", (a, b, c) => {
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(b).toEqualTypeOf<string>();
      expectTypeOf(c).toEqualTypeOf<ArrayBuffer>();
    });
    socket.on("withAck", (d, callback) => {
      expectTypeOf(d).toEqualTypeOf<string>();
      callback(1);
    });
    socket.emit("hello");
    socket.emit("join", "room", (ok, members) => {
      expectTypeOf(ok).toEqualTypeOf<boolean>();
      expectTypeOf(members).toEqualTypeOf<number>();
    });
    // @ts-expect-error unknown event
    socket.emit("nope");
    // @ts-expect-error wrong argument type
    socket.emit("join", 42, () => {});
    // @ts-expect-error wrong listener parameter type
    socket.on("basicEmit", (a: string) => a);
    socket.io.disconnect();
  });

  it("types the reserved events", () => {
    const socket = io("http://localhost:1", { autoConnect: false });
    socket.on("connect_error", (err) => expectTypeOf(err).toEqualTypeOf<ConnectError>());
    socket.on("disconnect", (reason) => expectTypeOf(reason).toEqualTypeOf<DisconnectReason>());
    socket.io.on("reconnect_attempt", (n) => expectTypeOf(n).toEqualTypeOf<number>());
    // @ts-expect-error reserved events are not emitted by apps... through the typed map either
    socket.io.on("reconnect_attempt", (n: string) => n);
    socket.io.disconnect();
  });

  it("puts an error first in ack callbacks of timeout(), and types emitWithAck", async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://localhost:1", { autoConnect: false });
    socket.timeout(1000).emit("join", "room", (err, ok, members) => {
      expectTypeOf(err).toEqualTypeOf<Error | null>();
      expectTypeOf(ok).toEqualTypeOf<boolean>();
      expectTypeOf(members).toEqualTypeOf<number>();
    });
    expectTypeOf(socket.emitWithAck("join", "room")).toEqualTypeOf<Promise<boolean>>();
    // the value, not the error timeout() puts first in the callback
    expectTypeOf(socket.timeout(1000).emitWithAck("join", "room")).toEqualTypeOf<Promise<boolean>>();
    // @ts-expect-error the ack callback is not passed to emitWithAck
    void socket.emitWithAck("join", "room", () => {}).catch(() => {});
    socket.io.disconnect();
  });

  it("keeps untyped sockets untyped, like socket.io-client", () => {
    const socket = io("http://localhost:1", { autoConnect: false });
    socket.on("anything", (a: string, b: { x: number }) => [a, b]);
    socket.emit("anything", 1, "two", (reply: string) => reply);
    socket.io.disconnect();
  });
});

describe("options", () => {
  it("accepts every socket.io-client option name, typed", () => {
    const options: Partial<ManagerOptions & SocketOptions> = {
      path: "/socket.io",
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      timeout: 20000,
      autoConnect: true,
      forceNew: false,
      multiplex: true,
      transports: ["polling", "websocket"],
      upgrade: true,
      rememberUpgrade: false,
      tryAllTransports: false,
      timestampRequests: true,
      timestampParam: "t",
      withCredentials: false,
      extraHeaders: { a: "b" },
      closeOnBeforeunload: false,
      forceBase64: false,
      query: { token: "x" },
      auth: { token: "x" },
      retries: 0,
      ackTimeout: 1000,
    };
    const manager = new Manager("http://localhost", { ...options, autoConnect: false });
    // @ts-expect-error misspelled option
    new Manager("http://localhost", { autoconnect: false });
    // @ts-expect-error wrong option type, also refused at run time
    expect(() => new Manager("http://localhost", { reconnectionDelay: "1s", autoConnect: false })).toThrow(/reconnectionDelay/);
    manager.disconnect();
  });
});
