/**
 * What a page does with the client, run inside Chromium by `page.evaluate` (so it is
 * self-contained: no imports, only the page's global `io`). Every step waits for an event,
 * never for a duration; the test asserts on the returned record.
 */

/** The part of the public client API the pages use. */
interface PageSocket {
  readonly id: string | undefined;
  readonly connected: boolean;
  on(event: string, listener: (...args: never[]) => void): PageSocket;
  once(event: string, listener: (...args: never[]) => void): PageSocket;
  emit(event: string, ...args: unknown[]): PageSocket;
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  disconnect(): PageSocket;
}
type PageIo = (uriOrOptions?: string | object, options?: object) => PageSocket;

export interface ScenarioOptions {
  /** Options for `io()`; `undefined` calls `io()` with no argument at all. */
  options: Record<string, unknown> | undefined;
  /** The transport the session should end up on. */
  finalTransport: "websocket" | "polling";
}

export interface ScenarioRecord {
  finalTransport: string;
  text: unknown;
  arrayBuffer: { isArrayBuffer: boolean; bytes: number[] };
  blobBytes: number[];
  serverAck: unknown;
  namespace: unknown;
  disconnectReason: string;
  afterReconnect: unknown;
  sameIdAfterReconnect: boolean;
}

export async function clientScenario({ options, finalTransport }: ScenarioOptions): Promise<ScenarioRecord> {
  const io = (globalThis as unknown as { io: PageIo }).io;
  const next = (socket: PageSocket, event: string): Promise<unknown[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event`)), 20_000);
      socket.once(event, (...args: never[]) => {
        clearTimeout(timer);
        resolve(args);
      });
    });

  const socket = options === undefined ? io() : io(options);
  await next(socket, "connect");
  let current = (await socket.emitWithAck("transport")) as string;
  for (let i = 0; i < 200 && current !== finalTransport; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    current = (await socket.emitWithAck("transport")) as string;
  }

  const text = await socket.emitWithAck("echo", { text: "héllo wörld ✓", n: [1, 2, 3] });
  const reply = await socket.emitWithAck("echo", new Uint8Array([1, 2, 250]).buffer);
  const arrayBuffer = { isArrayBuffer: reply instanceof ArrayBuffer, bytes: [...new Uint8Array(reply as ArrayBuffer)] };
  const blobBytes = (await socket.emitWithAck("bytes", new Blob([new Uint8Array([7, 8, 9])]))) as number[];

  // The server asks, the page answers through the ack callback of a server emit.
  const answered = next(socket, "answer");
  socket.once("question", (n: number, callback: (answer: number) => void) => callback(n * 21));
  socket.emit("ask me");
  const [serverAck] = await answered;

  const admin = io("/admin", options ?? {});
  await next(admin, "connect");
  const namespace = await admin.emitWithAck("hello", "page");

  const idBefore = socket.id;
  const dropped = next(socket, "disconnect");
  const back = next(socket, "connect");
  socket.emit("drop transport");
  const [disconnectReason] = await dropped;
  await back;
  const afterReconnect = await socket.emitWithAck("echo", "again");
  const sameIdAfterReconnect = socket.id === idBefore;

  admin.disconnect();
  socket.disconnect();
  return {
    finalTransport: current,
    text,
    arrayBuffer,
    blobBytes,
    serverAck,
    namespace,
    disconnectReason: String(disconnectReason),
    afterReconnect,
    sameIdAfterReconnect,
  };
}
