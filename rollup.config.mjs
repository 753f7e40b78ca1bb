// Builds every artifact of the package into dist/:
//   volley.{mjs,cjs}            the client (both transports)
//   websocket.{mjs,cjs}         the WebSocket-only client: no polling, no upgrade code
//   volley.node.{mjs,cjs}       the Node client entry (injects `ws`), the `node` export condition
//   server.{mjs,cjs}            the reference server; ws and node:* external
//   server-testing.{mjs,cjs}    fault-injection helpers for tests
//   volley.min.js               minified IIFE for <script> tags: defines the global `io`
//   *.d.ts / *.d.cts            bundled declarations for import and require
//
// TypeScript is only transpiled here, one file at a time; only the private-name analysis reads
// the whole program. The type check runs as a test (test/types/tsc.test.ts) with the client and
// server configs.
import { copyFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import terser from "@rollup/plugin-terser";
import { dts } from "rollup-plugin-dts";
import ts from "typescript";
import { privateRenames, renameTransformer } from "./scripts/private-renames.mjs";

/**
 * Relative `./x.js` imports name the `.ts` source (ESM style); transpile each file alone,
 * optionally giving private members their short names.
 */
function transpile(renames) {
  const transformers = renames && { before: [renameTransformer(renames)] };
  const compilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: true,
    removeComments: true,
    sourceMap: true,
    inlineSources: true,
  };
  return {
    name: "transpile-typescript",
    resolveId(source, importer) {
      if (!importer || !source.startsWith(".") || !source.endsWith(".js")) return null;
      const candidate = resolve(dirname(importer), `${source.slice(0, -3)}.ts`);
      return existsSync(candidate) ? candidate : null;
    },
    transform(code, id) {
      if (!id.endsWith(".ts")) return null;
      const out = ts.transpileModule(code, { fileName: id, compilerOptions, reportDiagnostics: true, transformers });
      const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) this.error(ts.flattenDiagnosticMessageText(errors[0].messageText, "\n"));
      return { code: out.outputText, map: JSON.parse(out.sourceMapText) };
    },
  };
}

const isNodeBuiltin = (id) => id.startsWith("node:");
const nodeExternal = (id) => id === "ws" || isNodeBuiltin(id);
const clientExternal = () => false;
const clientRenames = privateRenames();

/** ESM and CJS builds of one entry, with sourcemaps. */
const lib = (input, name, external, renames) => ({
  input,
  external,
  plugins: [transpile(renames)],
  output: [
    { file: `dist/${name}.mjs`, format: "es", sourcemap: true },
    { file: `dist/${name}.cjs`, format: "cjs", sourcemap: true, exports: "named" },
  ],
});

/** Declarations, written once as .d.ts (import) and once as .d.cts (require). */
const types = (input, name) => ({
  input,
  external: (id) => nodeExternal(id) || id === "http" || id === "https",
  plugins: [
    dts({ tsconfig: "tsconfig.json", compilerOptions: { noEmit: false } }),
    {
      name: "copy-d-cts",
      writeBundle() {
        copyFileSync(`dist/${name}.d.ts`, `dist/${name}.d.cts`);
      },
    },
  ],
  output: { file: `dist/${name}.d.ts`, format: "es" },
});

/** The CDN bundle: the whole client in one minified script. */
const iife = {
  input: "src/browser.ts",
  plugins: [transpile(clientRenames)],
  output: {
    file: "dist/volley.min.js",
    format: "iife",
    name: "io",
    sourcemap: true,
    plugins: [terser({ ecma: 2020, compress: { passes: 2 }, mangle: { properties: { regex: /^\$/ } }, format: { comments: false } })],
  },
};

// Client artifacts first, the server's last.
export default [
  lib("src/index.ts", "volley", clientExternal, clientRenames),
  lib("src/websocket.ts", "websocket", clientExternal, clientRenames),
  lib("src/node.ts", "volley.node", nodeExternal, clientRenames),
  iife,
  types("src/index.ts", "volley"),
  types("src/websocket.ts", "websocket"),
  types("src/node.ts", "volley.node"),
  lib("src/server/index.ts", "server", nodeExternal),
  lib("src/server/testing.ts", "server-testing", nodeExternal),
  types("src/server/index.ts", "server"),
  types("src/server/testing.ts", "server-testing"),
];
