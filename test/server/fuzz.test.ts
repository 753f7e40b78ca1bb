/**
 * Seeded fuzzing over real transports: random and mutated Engine.IO / Socket.IO frames sent
 * over WebSockets and polling POSTs. The server must neither crash nor disturb a healthy
 * client, and every fuzzed session must be gone at the end.
 */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { seededRandom as rng } from "../helpers/random.js";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();


const CORPUS = [
  "40",
  '40{"token":"x"}',
  "40/chat,",
  '42["echo",1,"two",{"3":[true]}]',
  '421["echo","ack"]',
  '451-["echo",{"_placeholder":true,"num":0}]',
  "43[]",
  "41",
  "2probe",
  "3",
  "5",
  "6",
  "1",
  '42["error","boom"]',
  '42[{"toString":"foo"}]',
  '45999999-["x"]',
  '42["disconnect"]',
  "4" + "[".repeat(5000),
];
const ALPHABET = '0123456789[]{}",:-/_abcx\x1e\u00e9\u20ac';

function mutate(text: string, random: () => number): string {
  const pick = (s: string) => s[Math.floor(random() * s.length)] ?? "";
  let out = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const op = Math.floor(random() * 4);
    if (op === 0) out = out.slice(0, at) + pick(ALPHABET) + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1);
    else if (op === 2) out = out.slice(0, at);
    else out = out.slice(0, at) + pick(ALPHABET) + out.slice(at + 1);
  }
  return out;
}

function frame(random: () => number): string | Buffer {
  const r = random();
  if (r < 0.1) return Buffer.from(Array.from({ length: Math.floor(random() * 16) }, () => Math.floor(random() * 256)));
  const base = CORPUS[Math.floor(random() * CORPUS.length)] ?? "4";
  return r < 0.4 ? base : mutate(base, random);
}

describe("fuzzing", () => {
  it("survives random and mutated frames over WebSockets and polling (seed 7)", async () => {
    const random = rng(7);
    const { url, io } = await h.start({ maxHttpBufferSize: 10_000 }, (server) => {
      server.of("/chat");
      server.on("connection", (s) => s.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)?.(...args)));
    });
    const healthy = h.client("/", { transports: ["websocket"] });
    await connected(healthy);

    for (let session = 0; session < 20; session++) {
      const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
      ws.on("error", () => undefined);
      await once(ws, "open");
      ws.send("40");
      for (let i = 0; i < 15 && ws.readyState === ws.OPEN; i++) ws.send(frame(random));
      ws.close();
      await once(ws, "close");
    }

    for (let session = 0; session < 10; session++) {
      const open = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
      const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
      for (let i = 0; i < 8; i++) {
        const records = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const f = frame(random);
          return typeof f === "string" ? f : "b" + f.toString("base64");
        });
        const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: records.join("\x1e") });
        await res.text();
        if (res.status !== 200) break;
      }
      await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "1" }).then((r) => r.text());
    }

    expect(await healthy.timeout(2000).emitWithAck("echo", "still here")).toBe("still here");
    const late = h.client("/", { transports: ["polling"] });
    await connected(late);
    for (let i = 0; i < 100 && io.engine.clientsCount > 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(io.engine.clientsCount).toBe(2);
  });
});
