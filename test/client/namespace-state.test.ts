import { describe, expect, it } from "vitest";
import { AckTable, connectPayload, eventOffset, readConnectError, readConnectReply } from "../../src/protocol/socketio/namespace.js";

describe("AckTable", () => {
  it("allocates ids from 0, never reused, and answers each id once", () => {
    const t = new AckTable<string>();
    expect([t.register("a"), t.register("b"), t.register("c")]).toEqual([0, 1, 2]);
    expect(t.take(1)).toBe("b");
    expect(t.take(1)).toBeUndefined();
    expect(t.take(99)).toBeUndefined();
    expect(t.register("d")).toBe(3);
    expect(t.remove(() => true)).toEqual(["a", "c", "d"]);
  });

  it("removes entries by deadline and reports the next one", () => {
    const t = new AckTable<string>();
    t.register("none");
    t.register("late", 200);
    t.register("soon", 100);
    expect(t.nextDeadline()).toBe(100);
    expect(t.remove((_, deadline) => deadline <= 99)).toEqual([]);
    expect(t.remove((_, deadline) => deadline <= 150)).toEqual(["soon"]);
    expect(t.take(2)).toBeUndefined();
    expect(t.nextDeadline()).toBe(200);
    expect(t.remove((_, deadline) => deadline <= 1000)).toEqual(["late"]);
    expect(t.take(1)).toBeUndefined();
    expect(t.nextDeadline()).toBe(Infinity);
    expect(t.take(0)).toBe("none");
  });

  it("removes what the filter selects", () => {
    const t = new AckTable<{ sent: boolean }>();
    t.register({ sent: true });
    t.register({ sent: false });
    expect(t.remove((v) => v.sent)).toEqual([{ sent: true }]);
    expect(t.remove(() => true)).toEqual([{ sent: false }]);
  });
});

describe("CONNECT payload and replies", () => {
  it("puts recovery keys first, then auth (PROTOCOL.md vector 34)", () => {
    const p = connectPayload({ token: "t" }, { pid: "1G73I7id-TVBMcjpAAAB", offset: "Q85pa1h" });
    expect(JSON.stringify(p)).toBe('{"pid":"1G73I7id-TVBMcjpAAAB","offset":"Q85pa1h","token":"t"}');
    expect(connectPayload(undefined, undefined)).toBeUndefined();
    expect(connectPayload({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(JSON.stringify(connectPayload(undefined, { pid: "p" }))).toBe('{"pid":"p"}');
  });

  it("reads accepting replies and spots v2 servers", () => {
    expect(readConnectReply({ sid: "s", pid: "p" })).toEqual({ sid: "s", pid: "p" });
    expect(readConnectReply({ sid: "s" })).toEqual({ sid: "s", pid: undefined });
    expect(readConnectReply(undefined)).toBeUndefined();
    expect(readConnectReply({ sid: 1 })).toBeUndefined();
  });

  it("reads refusals in both forms", () => {
    expect(readConnectError({ message: "Not authorized", data: { code: 42 } })).toEqual({ message: "Not authorized", data: { code: 42 } });
    expect(readConnectError("Not authorized")).toEqual({ message: "Not authorized", data: undefined });
    expect(readConnectError({})).toEqual({ message: "connection refused", data: undefined });
  });

  it("takes the offset from an event's last string argument", () => {
    expect(eventOffset(["news", "n1", "Q85pa7Z"])).toBe("Q85pa7Z");
    expect(eventOffset(["news", 1])).toBeUndefined();
    expect(eventOffset(["news"])).toBeUndefined();
  });
});
