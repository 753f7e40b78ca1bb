/**
 * Per-namespace client state that is pure protocol (PROTOCOL.md 2.6, 2.7, 2.13): acknowledgement
 * ids with their deadlines, the CONNECT payload with recovery keys, and the meaning of the
 * server's CONNECT / CONNECT_ERROR replies. The client (the Socket and its SocketAcks) drives it
 * and owns time: deadlines are numbers it computes from its clock, and it removes what ran out.
 */

interface AckEntry<T> {
  readonly value: T;
  readonly deadline: number;
}

/**
 * Pending acknowledgements of one namespace socket. Ids come from one counter that starts at 0
 * and is never reset, as the reference client does, so a late reply can never match a newer
 * request.
 */
export class AckTable<T> {
  private nextId = 0;
  private readonly entries = new Map<number, AckEntry<T>>();

  /** Registers `value` under a fresh id; `deadline` (absolute ms) or Infinity for none. */
  register(value: T, deadline = Infinity): number {
    const id = this.nextId++;
    this.entries.set(id, { value, deadline });
    return id;
  }

  /** Removes and returns the entry for `id`; undefined for an unknown or answered id. */
  take(id: number): T | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    return entry?.value;
  }

  /** Removes and returns, in id order, the entries `pick` selects by value and deadline. */
  remove(pick: (value: T, deadline: number) => boolean): T[] {
    const out: T[] = [];
    for (const [id, { value, deadline }] of this.entries) {
      if (pick(value, deadline)) {
        out.push(value);
        this.entries.delete(id);
      }
    }
    return out;
  }

  /** Earliest deadline, or Infinity. */
  nextDeadline(): number {
    let at = Infinity;
    for (const entry of this.entries.values()) if (entry.deadline < at) at = entry.deadline;
    return at;
  }
}

/** What the client remembers for connection state recovery (2.13). */
export interface RecoveryState {
  /** Private session id from the last CONNECT reply. */
  readonly pid: string;
  /** Offset of the last event received while holding a pid. */
  offset?: string;
}

/**
 * The CONNECT payload: recovery keys first, then the auth keys (2.13 step 5); `recovery` is
 * undefined without a session id. Undefined means a bare CONNECT (`40`).
 */
export function connectPayload(auth: object | undefined, recovery: RecoveryState | undefined): object | undefined {
  // a state holds `pid`, then `offset` once an event carried one: the order the keys must go in
  return recovery === undefined ? auth : { ...recovery, ...auth };
}

/** A server's accepting CONNECT reply. */
export interface ConnectReply {
  readonly sid: string;
  readonly pid: string | undefined;
}

/** Reads a CONNECT reply; undefined when it has no `sid` (a Socket.IO v2 server). */
export function readConnectReply(data: unknown): ConnectReply | undefined {
  // a string or number reply reads as one without sid
  const { sid, pid } = (data ?? {}) as { sid?: unknown; pid?: unknown };
  return typeof sid === "string" ? { sid, pid: typeof pid === "string" ? pid : undefined } : undefined;
}

/** Reads a CONNECT_ERROR payload: `{message, data}` or the legacy plain string. */
export function readConnectError(data: unknown): { message: string; data: unknown } {
  const { message, data: extra } = (typeof data === "string" ? { message: data } : (data ?? {})) as { message?: unknown; data?: unknown };
  return { message: typeof message === "string" ? message : "connection refused", data: extra };
}

/** The offset an event carries when recovery is on: its last argument, if a string (2.13 step 3). */
export function eventOffset(args: readonly unknown[]): string | undefined {
  const last = args[args.length - 1];
  return args.length > 1 && typeof last === "string" ? last : undefined;
}
