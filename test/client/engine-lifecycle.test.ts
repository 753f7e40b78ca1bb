// @vitest-environment happy-dom
/** Browser page lifecycle: offline and beforeunload, and that every listener goes away. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/client/engine.js";
import type { EngineOptions } from "../../src/client/engine-options.js";
import { upgrade } from "../../src/client/upgrade.js";
import { FakeClock } from "../helpers/fake-clock.js";
import { MemoryNetwork, Recorder } from "../transport/harness.js";

const HANDSHAKE = '0{"sid":"s1","upgrades":["websocket"],"pingInterval":1000,"pingTimeout":500}';

/** Counts the page listeners added and not yet removed, per event type. */
let live: Map<string, number>;
let restore: () => void;
beforeEach(() => {
  live = new Map();
  const add = globalThis.addEventListener.bind(globalThis);
  const remove = globalThis.removeEventListener.bind(globalThis);
  globalThis.addEventListener = ((type: string, fn: EventListener) => {
    live.set(type, (live.get(type) ?? 0) + 1);
    add(type, fn);
  }) as typeof globalThis.addEventListener;
  globalThis.removeEventListener = ((type: string, fn: EventListener) => {
    live.set(type, (live.get(type) ?? 0) - 1);
    remove(type, fn);
  }) as typeof globalThis.removeEventListener;
  restore = () => {
    globalThis.addEventListener = add;
    globalThis.removeEventListener = remove;
  };
});
afterEach(() => restore());

const total = (): number => [...live.values()].reduce((a, b) => a + b, 0);

async function openEngine(options: Partial<EngineOptions> = {}) {
  const net = new MemoryNetwork();
  const clock = new FakeClock();
  const rec = new Recorder();
  const kit = { transports: [net.factory("polling", { pausable: true, payloads: true }), net.factory("websocket")], upgrade };
  const engine = new Engine("http://example.test", { kit, ...options }, rec, clock);
  engine.open();
  net.last().push(HANDSHAKE);
  await rec.opened;
  return { net, clock, rec, engine };
}

describe("engine in a browser page", () => {
  it("going offline closes with transport close and removes the listeners", async () => {
    const { rec, net, clock } = await openEngine();
    expect(live.get("offline")).toBe(1);
    expect(live.get("beforeunload") ?? 0).toBe(0);
    globalThis.dispatchEvent(new Event("offline"));
    const { reason, cause } = await rec.closed;
    expect(reason).toBe("transport close");
    expect(cause).toMatchObject({ code: "ERR_OFFLINE" });
    expect(total()).toBe(0);
    expect(net.live).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it("closeOnBeforeunload closes silently when the page unloads", async () => {
    const { rec, net, clock } = await openEngine({ closeOnBeforeunload: true });
    expect(live.get("beforeunload")).toBe(1);
    globalThis.dispatchEvent(new Event("beforeunload"));
    expect(net.live).toEqual([]);
    expect(rec.log).toEqual(["open"]);
    expect(total()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("without closeOnBeforeunload, unloading does nothing", async () => {
    const { rec, engine } = await openEngine();
    globalThis.dispatchEvent(new Event("beforeunload"));
    expect(engine.writable).toBe(true);
    engine.close();
    expect(rec.log).toEqual(["open", "close:forced close"]);
    expect(total()).toBe(0);
  });

  it("every way of closing leaves no listener, timer or transport", async () => {
    const endings: ((s: Awaited<ReturnType<typeof openEngine>>) => void)[] = [
      (s) => s.engine.close(),
      (s) => s.clock.advance(10_000),
      (s) => s.net.last("polling").push("1"),
      (s) => s.net.last("polling").push("x"),
      (s) => s.net.last("polling").drop("transport error"),
    ];
    for (const end of endings) {
      const s = await openEngine({ closeOnBeforeunload: true });
      expect(total()).toBe(2);
      end(s);
      await s.rec.closed;
      expect(total()).toBe(0);
      expect(s.clock.pending).toBe(0);
      expect(s.net.live).toEqual([]);
    }
  });
});
