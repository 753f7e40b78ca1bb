/**
 * The client benchmark runs end to end in its quick mode: the socket.io server child, the three
 * clients (volley from dist/, socket.io-client, the raw ws floor) in their own children, the delay
 * proxy, the memory and size measurements. Only that every figure is produced is checked here;
 * timings are never judged in tests.
 */
import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLIENT_COLUMNS = ["volley", "socket.io-client", "raw"];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runQuickBench(): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["bench/run.mjs", "--quick", "--no-write"],
      { cwd: ROOT, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** The cells of the Markdown table row that starts with `label`, after the cell where the label ends. */
function row(stdout: string, label: string): string[] {
  const line = stdout.split("\n").find((l) => l.startsWith(`| ${label}`));
  expect(line, `row "${label}"`).toBeDefined();
  return (line ?? "").slice(label.length + 2).split("|").slice(1, -1).map((cell) => cell.trim());
}

const NUMBER = /^\d[\d,.]*( [kM])?$/;

describe("npm run bench --quick", () => {
  let run: Run;

  beforeAll(async () => {
    run = await runQuickBench();
  }, 110_000);

  it("exits 0 without errors", () => {
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("### Errors");
  });

  it.each([
    "server→client, 5,000 small events",
    "client→server, 3,000 small events",
    "acks, 1,000 with 100 in flight",
    "acks, 500 one at a time",
    "16 KiB binary server→client, 300 events",
    "16 KiB binary client→server, 300 events",
  ])("%s: CPU per event and events/s for every client", (label) => {
    const cpu = row(run.stdout, `${label}: client CPU µs/event`);
    const rate = row(run.stdout, `${label}: events/s`);
    for (const cells of [cpu, rate]) expect(cells.slice(0, CLIENT_COLUMNS.length)).toEqual(CLIENT_COLUMNS.map(() => expect.stringMatching(NUMBER)));
    expect(cpu.slice(3)).toEqual([expect.stringMatching(/x$/), expect.stringMatching(/x$/), expect.stringMatching(/x$/)]);
  });

  it("memory per idle connection for every client", () => {
    for (const label of ["heap bytes per connection", "RSS bytes per connection"]) {
      // RSS can shrink after gc on a small count: a negative figure is still a figure.
      expect(row(run.stdout, label).slice(0, 3)).toEqual(CLIENT_COLUMNS.map(() => expect.stringMatching(/^-?\d[\d,.]*$/)));
    }
  });

  it("connect rows: every mode each client has, n/a where it has none", () => {
    const modes: Record<string, string[]> = {
      default: ["volley", "socket.io-client"],
      "websocket-only": CLIENT_COLUMNS,
      "websocket-first": ["volley"],
    };
    for (const [mode, clients] of Object.entries(modes)) {
      for (const client of CLIENT_COLUMNS) {
        const cells = row(run.stdout, `${mode} | ${client}`);
        if (clients.includes(client)) expect(cells.slice(0, 6)).toEqual(cells.slice(0, 6).map(() => expect.stringMatching(NUMBER)));
        else expect(cells).toEqual(cells.map(() => "n/a"));
      }
    }
  });

  it("sizes of every artifact next to socket.io-client's", () => {
    for (const label of ["volley: dist/volley.min.js", "volley: dist/volley.mjs", "volley: websocket-only", "socket.io-client: dist/socket.io.min.js"]) {
      expect(row(run.stdout, label).slice(0, 3)).toEqual([0, 1, 2].map(() => expect.stringMatching(/^\d[\d,]*$/)));
    }
  });

  it("the targets table names every target", () => {
    const targets = run.stdout.slice(run.stdout.indexOf("### Targets"));
    expect(targets.match(/\| (pass|\*\*miss\*\*) \|/g)).toHaveLength(8);
  });
});
