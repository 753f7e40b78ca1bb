import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// Node 20 has no global WebSocket unless started with --experimental-websocket: the Node
// client integration tests run a second time in that mode, on the platform WebSocket.
const PLATFORM_WEBSOCKET = ["test/integration/client-*.test.ts", "test/dist/platform-websocket.test.ts"];
// The same Node client tests once more on the built Node entry, as published: the build
// renames private members, and this is where a wrong rename would show.
const BUILT_NODE_ENTRY = fileURLToPath(new URL("dist/volley.node.mjs", import.meta.url));

export default defineConfig({
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Listener leaks and unhandled rejections are bugs here, never noise.
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          // The heavy reliability and cluster suites run under `npm run test:reliability`.
          exclude: [...configDefaults.exclude, "test/reliability/heavy/**", "test/cluster/**", "test/dist/platform-websocket.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "platform-websocket",
          include: PLATFORM_WEBSOCKET,
          execArgv: ["--experimental-websocket"],
        },
      },
      {
        extends: true,
        resolve: { alias: [{ find: /^(\.\.\/)+src\/node\.js$/, replacement: BUILT_NODE_ENTRY }] },
        test: {
          name: "built-node-entry",
          include: ["test/integration/client-*.test.ts", "test/reliability/*.test.ts"],
        },
      },
    ],
  },
});
