/**
 * Connection state recovery (PROTOCOL.md 2.13) for one namespace: recent events stamped with
 * an offset, and the state of sockets that dropped for a recoverable reason, both kept for
 * `maxDisconnectionDuration` and pruned on every write, so nothing outlives that window.
 */
import { randomBytes } from "node:crypto";

/** Options of `connectionStateRecovery`. */
export interface RecoveryOptions {
  /** How long a dropped socket's state and the events it missed are kept, in ms. @default 120000 */
  readonly maxDisconnectionDuration?: number;
  /** Skip the middlewares when a socket is recovered. @default true */
  readonly skipMiddlewares?: boolean;
}

/** The disconnect reasons after which a socket's state is kept. */
export const RECOVERABLE: ReadonlySet<string> = new Set(["transport error", "transport close", "ping timeout", "forced close", "server shutting down"]);

interface StoredEvent {
  readonly offset: string;
  readonly at: number;
  readonly data: readonly unknown[];
  readonly rooms: ReadonlySet<string>;
  readonly except: ReadonlySet<string>;
}

export interface SavedSession {
  readonly sid: string;
  readonly pid: string;
  readonly rooms: readonly string[];
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/** A restored socket's state and the events (with their offsets) it missed, oldest first. */
export interface Restored {
  readonly session: SavedSession;
  readonly missed: readonly (readonly unknown[])[];
}

export class RecoveryStore {
  readonly maxDuration: number;
  readonly skipMiddlewares: boolean;
  private events: StoredEvent[] = [];
  private readonly sessions = new Map<string, SavedSession>();
  private readonly prefix = randomBytes(4).toString("base64url");
  private counter = 0;

  constructor(options: RecoveryOptions) {
    this.maxDuration = options.maxDisconnectionDuration ?? 120_000;
    this.skipMiddlewares = options.skipMiddlewares ?? true;
  }

  /** Stores an event and returns its data with the new offset appended. */
  stamp(data: readonly unknown[], rooms: ReadonlySet<string>, except: ReadonlySet<string>): unknown[] {
    const now = Date.now();
    this.prune(now);
    const offset = `${this.prefix}.${(this.counter++).toString(36)}`;
    const stamped = [...data, offset];
    this.events.push({ offset, at: now, data: stamped, rooms, except });
    return stamped;
  }

  save(session: Omit<SavedSession, "at">): void {
    const now = Date.now();
    this.prune(now);
    this.sessions.set(session.pid, { ...session, at: now });
  }

  /** The session for `pid` when it is still kept and `offset` is still in the buffer. */
  restore(pid: string, offset: string): Restored | undefined {
    this.prune(Date.now());
    const session = this.sessions.get(pid);
    if (!session) return undefined;
    const index = this.events.findIndex((e) => e.offset === offset);
    if (index === -1) return undefined;
    this.sessions.delete(pid);
    const rooms = new Set([session.sid, ...session.rooms]);
    const missed: (readonly unknown[])[] = [];
    for (const e of this.events.slice(index + 1)) {
      const targeted = e.rooms.size === 0 || [...e.rooms].some((r) => rooms.has(r));
      if (targeted && ![...e.except].some((r) => rooms.has(r))) missed.push(e.data);
    }
    return { session, missed };
  }

  private prune(now: number): void {
    const limit = now - this.maxDuration;
    let drop = 0;
    while (drop < this.events.length && (this.events[drop]?.at ?? now) < limit) drop++;
    if (drop > 0) this.events = this.events.slice(drop);
    for (const [pid, s] of this.sessions) if (s.at < limit) this.sessions.delete(pid);
  }
}
