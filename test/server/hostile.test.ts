/** Hostile inputs of PROTOCOL.md 2.12 over raw TCP, HTTP and WebSocket: the server keeps running. */
import { connect as tcp, type Socket as TcpSocket } from "node:net";
import { describe, expect, it } from "vitest";
import { connected, once, useHarness } from "./support/harness.js";

const h = useHarness();

function raw(port: number, text: string): Promise<TcpSocket> {
  return new Promise((resolve) => {
    const s = tcp(port, "127.0.0.1", () => {
      s.write(text);
      resolve(s);
    });
    s.on("error", () => undefined);
  });
}

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

async function readUntil(s: TcpSocket, marker: string): Promise<string> {
  let text = "";
  while (!text.includes(marker)) text += String(await once<Buffer>(s, "data"));
  return text;
}

describe("hostile peers", () => {
  it("an invalid frame (RSV bits) right after a WebSocket handshake closes only that socket (CVE-2022-21676)", async () => {
    const { port, io } = await h.start();
    const healthy = h.client("/", { transports: ["websocket"] });
    await connected(healthy);
    const s = await raw(port, upgradeRequest("/socket.io/?EIO=4&transport=websocket"));
    await readUntil(s, "\r\n\r\n");
    s.write(Buffer.from([0xf1, 0x80, 0, 0, 0, 0]));
    await once(s, "close");
    expect(healthy.connected).toBe(true);
    expect(io.engine.clientsCount).toBe(1);
  });

  it("an upgrade on another path, then a reset, does not crash (CVE-2022-41940)", async () => {
    const { port } = await h.start();
    const s = await raw(port, upgradeRequest("/elsewhere"));
    s.resetAndDestroy();
    const t = await raw(port, upgradeRequest("/other?x=1"));
    await once(t, "close");
    const ok = h.client("/");
    await connected(ok);
  });

  it("a second POST while one is pending gets 400 and ends the session", async () => {
    const { port, url } = await h.start();
    const open = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const slow = await raw(port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n40`);
    await new Promise((r) => setTimeout(r, 50));
    const second = await fetch(url + path, { method: "POST", body: "40" });
    expect(second.status).toBe(400);
    slow.destroy();
    expect((await fetch(url + path)).status).toBe(400);
  });

  it("a namespace of 10 000 characters and deeply nested JSON are refused without harm to others", async () => {
    const { url } = await h.start();
    for (const body of ["40/" + "n".repeat(10_000) + ",", "42" + "[".repeat(100_000)]) {
      const open = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
      const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
      const path = `${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
      await (await fetch(path, { method: "POST", body: "40" })).text();
      expect((await fetch(path, { method: "POST", body })).status).toBe(200);
    }
    const ok = h.client("/");
    await connected(ok);
  });
});
