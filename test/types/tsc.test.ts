/**
 * Runs the compiler over the project configurations (the type tests included) and checks that
 * the client configuration really has no Node types: a fixture using Buffer must fail.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

function compile(config: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", config, "--noEmit", "--pretty", "false"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += String(d)));
    child.stderr.on("data", (d: Buffer) => (output += String(d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("tsc", () => {
  it.each(["tsconfig.client.json", "tsconfig.server.json", "tsconfig.json"])("-p %s exits 0", async (config) => {
    const result = await compile(config);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("fails on a client fixture that uses Buffer", async () => {
    const result = await compile("test/types/fixtures/tsconfig.json");
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Cannot find name 'Buffer'/);
  }, 60_000);
});
