/**
 * The built package as the tests of this folder see it: paths into dist/ that fail loudly when
 * the build has not run (`npm test` builds first), and small helpers to run the package's tools.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = join(ROOT, "dist");

/** Absolute path of a built file; throws when it is missing. */
export function distPath(name: string): string {
  const path = join(DIST, name);
  if (!existsSync(path)) throw new Error(`dist/${name} is missing: run \`npm run build\` first (npm test does)`);
  return path;
}

export function readDist(name: string): string {
  return readFileSync(distPath(name), "utf8");
}

/** Gzip size at level 9, the figure CDNs and bundle-size tools report. */
export function gzipSize(code: string | Uint8Array): number {
  return gzipSync(code, { level: 9 }).byteLength;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project root and resolves with its exit code and output (never rejects on exit code). */
export function run(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: options.env ?? process.env, timeout: options.timeout ?? 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return fail(error);
        done({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Path of a tool installed in node_modules/.bin. */
export function bin(name: string): string {
  const path = join(ROOT, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${name} is not installed: run \`npm ci\``);
  return path;
}
