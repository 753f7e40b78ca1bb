/**
 * Runs the compiler over the project configurations (the type tests included), checks that
 * the client configuration really has no Node types (a fixture using Buffer must fail), and
 * compiles an app written against socket.io-client's types against volley's unchanged.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../helpers/tsc.js";

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

describe("switching from socket.io-client", () => {
  // socket.io-client's types first: they prove the fixture is valid socket.io-client code,
  // `@ts-expect-error` lines included; volley's must accept and reject the same.
  it.each(["socket.io-client", "volley", "volley-websocket"])("the app fixture compiles against %s types", async (types) => {
    const result = await compile(`test/types/fixtures/switching/tsconfig.${types}.json`);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);
});
