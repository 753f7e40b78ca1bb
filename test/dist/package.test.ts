/**
 * The package as published: publint finds nothing to fix, and "Are the types wrong?" resolves
 * typed entry points for every subpath under Node's ESM and CJS resolution and under bundlers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, distPath, ROOT, run } from "./dist.js";

describe("published package", () => {
  const workDir = mkdtempSync(join(tmpdir(), "volley-pack-"));
  let tarball = "";

  beforeAll(async () => {
    distPath("volley.mjs");
    const packed = await run("npm", ["pack", "--silent", "--pack-destination", workDir]);
    expect(packed.code, packed.stderr).toBe(0);
    tarball = join(workDir, packed.stdout.trim().split("\n").pop() ?? "");
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("passes publint (strict)", async () => {
    const { messages, pkg } = await publint({ pkgDir: ROOT, strict: true });
    const report = messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    expect(report).toEqual([]);
  });

  it("passes arethetypeswrong for node16 ESM, node16 CJS and bundler resolution", async () => {
    const result = await run(bin("attw"), [tarball, "--profile", "node16", "--format", "table-flipped", "--no-emoji", "--no-color"]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    for (const subpath of ["volley", "volley/websocket", "volley/server", "volley/server/testing"]) {
      expect(result.stdout).toContain(subpath);
    }
  });
});
