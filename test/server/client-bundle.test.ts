/** The client bundle served from dist/ (built by `npm run build`), with ETag caching. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useHarness } from "./support/harness.js";

const h = useHarness();
const dist = (name: string) => readFileSync(fileURLToPath(new URL(`../../dist/${name}`, import.meta.url)));

describe("client bundle", () => {
  it("serves volley.min.js at {path}volley.min.js and {path}socket.io.js with an ETag", async () => {
    const { url } = await h.start({ path: "/rt" });
    const bundle = dist("volley.min.js");
    for (const name of ["volley.min.js", "socket.io.js"]) {
      const res = await fetch(`${url}/rt/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("public, max-age=0");
      const etag = res.headers.get("etag");
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(Buffer.from(await res.arrayBuffer()).equals(bundle)).toBe(true);
      const again = await fetch(`${url}/rt/${name}`, { headers: { "if-none-match": etag ?? "" } });
      expect(again.status).toBe(304);
    }
    const map = await fetch(`${url}/rt/volley.min.js.map`);
    expect(map.headers.get("content-type")).toBe("application/json");
    expect(Buffer.from(await map.arrayBuffer()).equals(dist("volley.min.js.map"))).toBe(true);
  });

  it("serves nothing with serveClient: false", async () => {
    const { url } = await h.start({ serveClient: false });
    const res = await fetch(`${url}/socket.io/socket.io.js`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 0, message: "Transport unknown" });
  });
});
