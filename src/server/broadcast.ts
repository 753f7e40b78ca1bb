/**
 * Broadcast operators: a target set (rooms, exceptions) and flags, immutable, chainable.
 * A broadcast is encoded once and the same frames go to every recipient; with an ack, one
 * ack id is shared by all recipients and their replies are collected.
 */
import { AckTimeoutError } from "../errors.js";
import { PacketType } from "../protocol/socketio/packet.js";
import type { Namespace } from "./namespace.js";
import { checkEventName, splitAck, type Socket } from "./socket.js";

interface Flags {
  readonly volatile?: boolean;
  readonly timeout?: number;
}

type Rooms = string | readonly string[];

function union(set: ReadonlySet<string>, rooms: Rooms): Set<string> {
  const out = new Set(set);
  for (const r of typeof rooms === "string" ? [rooms] : rooms) out.add(r);
  return out;
}

export class BroadcastOperator {
  constructor(
    private readonly nsp: Namespace,
    private readonly rooms: ReadonlySet<string> = new Set(),
    private readonly exceptRooms: ReadonlySet<string> = new Set(),
    private readonly flags: Flags = {},
  ) {}

  /** Targets the sockets in `room` (several calls add rooms: a union). */
  to(room: Rooms): BroadcastOperator {
    return new BroadcastOperator(this.nsp, union(this.rooms, room), this.exceptRooms, this.flags);
  }

  in(room: Rooms): BroadcastOperator {
    return this.to(room);
  }

  /** Leaves out the sockets in `room`. */
  except(room: Rooms): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, union(this.exceptRooms, room), this.flags);
  }

  /** Skips recipients whose transport cannot write at once. */
  get volatile(): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, volatile: true });
  }

  /** An ack callback gets `(err, replies)`; `err` is an `AckTimeoutError` when some did not answer within `ms`. */
  timeout(ms: number): BroadcastOperator {
    return new BroadcastOperator(this.nsp, this.rooms, this.exceptRooms, { ...this.flags, timeout: ms });
  }

  /**
   * Sends an event to every target; a trailing callback collects the replies.
   * @example io.to("room1").except("muted").emit("news", item);
   */
  emit(event: string, ...args: unknown[]): boolean {
    checkEventName(event);
    const [data, ack] = splitAck(args);
    const targets = this.targets();
    const packet = { type: PacketType.EVENT, nsp: this.nsp.name, data: [event, ...data] };
    if (!ack) {
      const volatile = this.flags.volatile === true;
      this.nsp.sendTo(targets, { ...packet, data: this.nsp.stamp(packet.data, this.rooms, this.exceptRooms, volatile) }, volatile);
      return true;
    }
    const id = this.nsp.nextAckId();
    const replies: unknown[] = [];
    const recipients: Socket[] = [];
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      // Late replies are ignored, as in socket.io: the caller's `replies` never changes afterwards.
      for (const s of recipients) s.forgetAck(id);
      ack(error, replies);
    };
    const sent = this.nsp.sendTo(targets, { ...packet, id }, this.flags.volatile === true, (socket) => {
      recipients.push(socket);
      socket.expectAck(id, (...reply) => {
        replies.push(reply[0]);
        if (replies.length === sent) finish(null);
      });
    });
    // With no recipient the callback still runs later, never during `emit` (as in socket.io).
    if (sent === 0) queueMicrotask(() => finish(null));
    else if (this.flags.timeout !== undefined) timer = setTimeout(() => finish(new AckTimeoutError()), this.flags.timeout);
    return true;
  }

  /** Emits and resolves with every target's first ack argument; a timeout rejects with the replies so far in `responses`. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.emit(event, ...args, (error: Error | null, replies: unknown[]) => (error ? reject(Object.assign(error, { responses: replies })) : resolve(replies)));
    });
  }

  /** The target sockets (this server only: there is no cluster adapter). */
  fetchSockets(): Promise<Socket[]> {
    return Promise.resolve(this.targets());
  }

  socketsJoin(room: Rooms): void {
    for (const s of this.targets()) s.join(room);
  }

  socketsLeave(room: Rooms): void {
    for (const s of this.targets()) for (const r of typeof room === "string" ? [room] : room) s.leave(r);
  }

  disconnectSockets(close = false): void {
    for (const s of this.targets()) s.disconnect(close);
  }

  private targets(): Socket[] {
    const out: Socket[] = [];
    for (const id of this.nsp.adapter.select(this.rooms, this.exceptRooms)) {
      const s = this.nsp.sockets.get(id);
      if (s) out.push(s);
    }
    return out;
  }
}
