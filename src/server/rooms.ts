/**
 * In-memory rooms of one namespace: room -> socket ids and socket id -> rooms, kept in step.
 * An empty room is deleted at once, so nothing grows after its sockets leave.
 */

export class Rooms {
  readonly rooms = new Map<string, Set<string>>();
  readonly sids = new Map<string, Set<string>>();

  add(id: string, rooms: Iterable<string>): void {
    let mine = this.sids.get(id);
    if (!mine) this.sids.set(id, (mine = new Set()));
    for (const room of rooms) {
      mine.add(room);
      let members = this.rooms.get(room);
      if (!members) this.rooms.set(room, (members = new Set()));
      members.add(id);
    }
  }

  remove(id: string, room: string): void {
    this.sids.get(id)?.delete(room);
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(id);
    if (members.size === 0) this.rooms.delete(room);
  }

  removeAll(id: string): void {
    const mine = this.sids.get(id);
    if (!mine) return;
    for (const room of mine) this.remove(id, room);
    this.sids.delete(id);
  }

  roomsOf(id: string): Set<string> {
    return this.sids.get(id) ?? new Set();
  }

  /**
   * Ids of the sockets in any of `rooms` (every socket when `rooms` is empty), minus those in
   * any of `except`.
   */
  select(rooms: ReadonlySet<string>, except: ReadonlySet<string>): Set<string> {
    const excluded = new Set<string>();
    for (const room of except) for (const id of this.rooms.get(room) ?? []) excluded.add(id);
    const out = new Set<string>();
    if (rooms.size === 0) {
      for (const id of this.sids.keys()) if (!excluded.has(id)) out.add(id);
      return out;
    }
    for (const room of rooms) for (const id of this.rooms.get(room) ?? []) if (!excluded.has(id)) out.add(id);
    return out;
  }
}
