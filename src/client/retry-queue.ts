/**
 * At-least-once emits (`retries`), as socket.io-client does them: one packet in flight, in
 * order; an attempt whose ack fails (timeout, disconnection) is sent again until `retries` is
 * exhausted. An attempt still waiting in the socket's send buffer is not resent on reconnection
 * (it leaves with the buffer), which avoids socket.io-client's duplicate.
 */

type Callback = (...args: unknown[]) => unknown;

/** Per-emit flags of a Socket. */
export interface EmitFlags {
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
  withError?: boolean;
  fromQueue?: boolean;
}

interface Queued {
  readonly args: unknown[];
  readonly flags: EmitFlags;
  tryCount: number;
  pending: boolean;
}

export class RetryQueue {
  private readonly entries: Queued[] = [];

  /**
   * @param retries attempts after the first
   * @param ready whether an attempt can be made now (the socket is connected)
   * @param send emits `[event, ...args, callback]` with the given flags
   */
  constructor(
    private readonly retries: number,
    private readonly ready: () => boolean,
    private readonly send: (args: unknown[], flags: EmitFlags) => void,
  ) {}

  /** Queues `[event, ...args]` with its acknowledgement callback, which gets an error first. */
  push(data: unknown[], flags: EmitFlags, ack: Callback | undefined): void {
    const entry: Queued = { args: data, flags: { ...flags, fromQueue: true, withError: true }, tryCount: 0, pending: false };
    data.push((err: Error | null, ...reply: unknown[]) => {
      if (entry !== this.entries[0]) return;
      // a reply, or the last attempt's error (errors come without a reply)
      if (err === null || entry.tryCount > this.retries) {
        this.entries.shift();
        ack?.(err, ...reply);
      }
      entry.pending = false;
      this.drain();
    });
    this.entries.push(entry);
    this.drain();
  }

  /** Sends the head of the queue if it is not already in flight. */
  drain(): void {
    const head = this.entries[0];
    if (head === undefined || head.pending || !this.ready()) return;
    head.pending = true;
    head.tryCount++;
    this.send(head.args, head.flags);
  }
}
