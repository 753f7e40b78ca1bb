// Sizes of what a user ships: min, gzip (level 9) and brotli (quality 11) from node:zlib.
//   dist/volley.min.js      the CDN script (every feature)
//   dist/volley.mjs         the ESM build, bundled as an app would (`import { io } from "volley"`)
//   websocket-only          an app importing `io` from volley/websocket (dist/websocket.mjs)
//   socket.io.min.js        socket.io-client 4.8's CDN script, for comparison
// The two app bundles are made like test/dist/size.test.ts makes them: rollup + terser with
// browser resolution.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import nodeResolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import { rollup } from "rollup";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);

function sizes(code) {
  const bytes = Buffer.from(code);
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function bundleApp(source) {
  const plugin = {
    name: "app",
    resolveId(id) {
      if (id === "app") return "\0app";
      if (id === "volley") return join(ROOT, "dist", "volley.mjs");
      if (id === "volley/websocket") return join(ROOT, "dist", "websocket.mjs");
      return null;
    },
    load: (id) => (id === "\0app" ? source : null),
  };
  const build = await rollup({ input: "app", plugins: [plugin, nodeResolve({ browser: true })], logLevel: "silent" });
  try {
    const { output } = await build.generate({ format: "es", plugins: [terser({ ecma: 2020, compress: { passes: 2 } })] });
    return output[0].code;
  } finally {
    await build.close();
  }
}

const APP = `const socket = io("https://example.com"); socket.on("news", (data) => socket.emit("ack", data));`;

/** Rows of { name, min, gzip, brotli } (null figures where an artifact is missing). */
export async function measureSizes() {
  const file = (path) => (existsSync(path) ? sizes(readFileSync(path)) : null);
  const app = async (entry, needs) =>
    existsSync(join(ROOT, "dist", needs)) ? sizes(await bundleApp(`import { io } from "${entry}"; ${APP}`)) : null;
  return [
    { name: "volley: dist/volley.min.js (CDN script)", figures: file(join(ROOT, "dist", "volley.min.js")) },
    { name: "volley: dist/volley.mjs, bundled app", figures: await app("volley", "volley.mjs") },
    { name: "volley: websocket-only bundled app", figures: await app("volley/websocket", "websocket.mjs") },
    {
      name: "socket.io-client: dist/socket.io.min.js",
      figures: file(join(dirname(require.resolve("socket.io-client/package.json")), "dist", "socket.io.min.js")),
    },
  ];
}
