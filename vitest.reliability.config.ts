import { defineConfig } from "vitest/config";

// The heavy reliability suite (thousands of clients, leak cycles) and the Redis cluster:
// one file at a time, so figures are not skewed by a neighbour on a 2-core machine, and with
// --expose-gc so heap figures are taken after a real collection.
export default defineConfig({
  test: {
    include: ["test/reliability/heavy/**/*.test.ts", "test/cluster/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    execArgv: ["--expose-gc"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
