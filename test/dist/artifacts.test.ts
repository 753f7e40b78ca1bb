/**
 * The artifacts of `npm run build`: every file the package exports exists with its sourcemap and
 * declarations, the CDN script is browser-only code that needs no `eval`, and each format loads.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { distPath, readDist } from "./dist.js";

const LIBS = ["volley", "websocket", "volley.node", "server", "server-testing"];

describe("build output", () => {
  it.each(LIBS)("%s: ESM and CJS with sourcemaps and declarations for both", (name) => {
    for (const ext of ["mjs", "cjs"]) {
      const map = JSON.parse(readDist(`${name}.${ext}.map`)) as { sources: string[] };
      expect(map.sources.some((source) => source.startsWith("../src/"))).toBe(true);
      expect(readDist(`${name}.${ext}`)).toContain(`//# sourceMappingURL=${name}.${ext}.map`);
    }
    expect(readDist(`${name}.d.ts`)).toMatch(/export /);
    expect(readDist(`${name}.d.cts`)).toBe(readDist(`${name}.d.ts`));
  });

  it("the CDN script is minified, mapped, and carries no eval, Node module or Buffer", () => {
    const code = readDist("volley.min.js");
    expect(code).toContain("//# sourceMappingURL=volley.min.js.map");
    expect(JSON.parse(readDist("volley.min.js.map")).sources.length).toBeGreaterThan(5);
    expect(code.split("\n").length).toBeLessThan(5);
    expect(code).not.toMatch(/\beval\b/);
    expect(code).not.toMatch(/\bFunction\s*\(/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/node:/);
    // Node's `ws` only comes with the Node entry, through its platform parts.
    expect(code).not.toContain("nodebuffer");
  });

  it("the CDN script defines the global io with Manager, Socket and protocol", () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(readDist("volley.min.js"), sandbox);
    const io = sandbox.io as { (uri: string): unknown; Manager: unknown; Socket: unknown; protocol: unknown };
    expect(typeof io).toBe("function");
    expect(typeof io.Manager).toBe("function");
    expect(typeof io.Socket).toBe("function");
    expect(io.protocol).toBe(5);
  });

  it("the CDN script's errors keep their class names through minification", () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(readDist("volley.min.js"), sandbox);
    const io = sandbox.io as { Manager: new (uri: string, opts: object) => unknown };
    const nameOf = (opts: object): string => {
      try {
        new io.Manager("http://127.0.0.1:1", { autoConnect: false, ...opts });
        return "no error";
      } catch (error) {
        return `${(error as Error).name} ${(error as { code?: string }).code} ${String(error).split(":")[0]}`;
      }
    };
    expect(nameOf({ forceBase64: true })).toBe("UnsupportedOptionError ERR_UNSUPPORTED_OPTION UnsupportedOptionError");
    expect(nameOf({ reconnectionDelay: -1 })).toBe("InvalidArgumentError ERR_INVALID_ARGUMENT InvalidArgumentError");
  });

  it("the ESM and CJS builds export the same names", async () => {
    const require = createRequire(import.meta.url);
    for (const name of LIBS) {
      const esm = (await import(pathToFileURL(distPath(`${name}.mjs`)).href)) as Record<string, unknown>;
      const cjs = require(distPath(`${name}.cjs`)) as Record<string, unknown>;
      expect(Object.keys(cjs).filter((key) => key !== "__esModule").sort()).toEqual(Object.keys(esm).sort());
    }
  });

  it("the client entries import nothing from Node; the Node entry adds ws", () => {
    for (const name of ["volley", "websocket"]) {
      const code = readDist(`${name}.mjs`);
      expect(code).not.toMatch(/from\s+["'](node:|ws["'])/);
      expect(code).not.toMatch(/\bBuffer\s*[.(]/);
      expect(code).not.toContain("nodebuffer");
    }
    expect(readDist("volley.node.mjs")).toMatch(/from\s+["']ws["']/);
  });
});
