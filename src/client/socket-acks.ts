/**
 * The acknowledgements a Socket waits for: the pure `AckTable` of callbacks by id, plus one timer
 * from the Manager's clock armed at the earliest deadline. A Socket creates this on its first
 * acknowledgement, so an idle socket holds none.
 */
import { AckTimeoutError, DisconnectedError } from "../errors.js";
import { PacketType, type SioPacket } from "../protocol/socketio/packet.js";
import { AckTable } from "../protocol/socketio/namespace.js";
import type { Cancel } from "./clock.js";
import type { Socket } from "./socket.js";

export type Callback = (...args: unknown[]) => unknown;

export interface AckHandler {
  readonly fn: Callback;
  /** The callback takes an error first (timeout, emitWithAck, retries). */
  readonly withError: boolean;
  /** Its packet left (not waiting in the send buffer). */
  sent: boolean;
}

export class SocketAcks extends AckTable<AckHandler> {
  private cancelTimer: Cancel | undefined;
  /** The armed deadline; Infinity when none. */
  private timerAt = Infinity;

  /** @param socket calls the callbacks; its Manager's clock times them */
  constructor(private readonly socket: Socket) {
    super();
  }

  /** Registers `ack` under a fresh id; `timeout` (ms) or undefined for none. */
  add(ack: AckHandler, timeout: number | undefined): number {
    if (timeout === undefined) return this.register(ack);
    const deadline = this.socket.io.clock.now() + timeout;
    this.arm(deadline);
    return this.register(ack, deadline);
  }

  /** An ACK packet: calls its callback once; replies to unknown or settled ids are ignored. */
  onAck(packet: SioPacket): void {
    const handler = this.take(packet.id as number);
    if (handler === undefined) return;
    const data = packet.data as unknown[];
    if (handler.withError) data.unshift(null);
    handler.fn.apply(this.socket, data);
  }

  /**
   * Rejects acknowledgements that can no longer arrive: those whose packet left. Those still
   * buffered wait for the next connection, even after the socket left, as in socket.io-client.
   * Callbacks without an error parameter are released without a call, as socket.io-client never
   * calls them either.
   */
  fail(reason: string): void {
    this.settle(
      this.remove((h) => h.sent),
      () => new DisconnectedError(reason),
    );
  }

  /** Moves the timer to `at` if that is earlier; Infinity cancels it. */
  private arm(at: number): void {
    if (at >= this.timerAt && at !== Infinity) return;
    this.cancelTimer?.();
    this.timerAt = at;
    const clock = this.socket.io.clock;
    this.cancelTimer = at === Infinity ? undefined : clock.schedule(Math.max(0, at - clock.now()), () => this.onTimer());
  }

  private onTimer(): void {
    // none is armed now: an ack registered by a callback below must arm one
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
    const now = this.socket.io.clock.now();
    this.settle(
      this.remove((_, deadline) => deadline <= now),
      () => new AckTimeoutError(),
    );
  }

  /**
   * Calls back (with an error) the acknowledgements no longer waited for, after dropping their
   * buffered packets; the timer then follows the earliest remaining deadline. Timed callbacks
   * always take an error, so only untimed ones can be released without a call.
   */
  private settle(handlers: AckHandler[], error: () => Error): void {
    const socket = this.socket;
    // only a packet not sent yet can wait in the send buffer: it leaves with its acknowledgement
    if (handlers.some((h) => !h.sent)) socket.sendBuffer = socket.sendBuffer.filter((b) => !handlers.includes(b.ack as AckHandler));
    for (const handler of handlers) if (handler.withError) handler.fn.call(socket, error());
    this.arm(this.nextDeadline());
  }
}

/** The callback given to a server's event that asks for an acknowledgement: sends one ACK at most. */
export function ackReply(socket: Socket, id: number): (...args: unknown[]) => void {
  let sent = false;
  return (...args: unknown[]) => {
    if (sent) return;
    sent = true;
    socket.io._send(socket.io._encode({ type: PacketType.ACK, nsp: socket.nsp, id, data: args }));
  };
}
