/**
 * The published declarations: the socket.io-client app of test/types/fixtures/switching
 * compiles unchanged against dist/volley.d.ts, with the declarations themselves checked
 * (the bundler inlines and renames types, which can break what src/ gets right).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../helpers/tsc.js";
import { distPath } from "./dist.js";

describe("published types", () => {
  it("the socket.io-client app fixture compiles against dist/volley.d.ts", async () => {
    distPath("volley.d.ts");
    const result = await compile("test/types/fixtures/switching/tsconfig.volley-dist.json");
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);
});
