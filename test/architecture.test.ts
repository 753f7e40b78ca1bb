/**
 * The layering rules of the design, checked on the source: the protocol core is pure (it
 * imports only itself and reaches for no timer, clock, network or host global), and nothing
 * in the client reaches for Node modules or `ws`. Files are parsed with the TypeScript
 * compiler, so comments and strings never count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");
const PROTOCOL = join(SRC, "protocol");

const FORBIDDEN_GLOBALS = new Set([
  "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "clearTimeout", "clearInterval", "clearImmediate",
  "Date", "performance", "WebSocket", "fetch", "XMLHttpRequest", "globalThis", "window", "self", "global",
  "process", "Buffer", "console", "require", "module", "__dirname", "__filename",
  "atob", "btoa", "TextEncoder", "TextDecoder",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(m|c)?tsx?$/.test(entry.name) ? [path] : [];
  });
}

interface Scan {
  imports: string[];
  identifiers: Set<string>;
}

/** Module specifiers (static, dynamic, re-exports, require) and free identifiers of a file. */
function scan(fileName: string, text: string): Scan {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const identifiers = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) imports.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push(node.argument.literal.text);
    } else if (ts.isIdentifier(node) && !isMemberName(node)) {
      identifiers.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, identifiers };
}

/** `x.name`, `{ name: v }`, `class { name() {} }`: a member name, not a reference to a global. */
function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === node;
  if (ts.isQualifiedName(parent)) return parent.right === node;
  return (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent)) &&
    parent.name === node
  );
}

function forbiddenIn(result: Scan): string[] {
  return [...result.identifiers].filter((name) => FORBIDDEN_GLOBALS.has(name)).sort();
}

describe("the scanner", () => {
  it("ignores comments, strings and member names, and sees real references and imports", () => {
    const result = scan(
      "sample.ts",
      [
        '// setTimeout(() => {}); console.log("x")',
        '/* Date.now() */ const s = "fetch(globalThis)" + `process ${1}`;',
        "const o = { Buffer: 1 }; o.Buffer; class K { self() {} }",
        'import { a } from "./a.js"; export { b } from "../b.js";',
        'const later = setTimeout; const t = Date.now(); const w = await import("ws"); type T = import("node:fs").Stats;',
      ].join("\n"),
    );
    expect(forbiddenIn(result)).toStrictEqual(["Date", "setTimeout"]);
    expect(result.imports).toStrictEqual(["./a.js", "../b.js", "ws", "node:fs"]);
  });
});

describe("src/protocol is pure", () => {
  const files = sourceFiles(PROTOCOL);

  it("has files to check", () => {
    expect(files.map((f) => relative(SRC, f).split(sep).join("/"))).toEqual(
      expect.arrayContaining(["protocol/engine/codec.ts", "protocol/socketio/codec.ts", "protocol/error.ts"]),
    );
  });

  it.each(files.map((f) => [relative(ROOT, f).split(sep).join("/"), f]))("%s", (_, file) => {
    const result = scan(file, readFileSync(file, "utf8"));
    expect(forbiddenIn(result), "forbidden globals").toStrictEqual([]);
    for (const specifier of result.imports) {
      expect(specifier.startsWith("."), `${specifier}: only relative imports`).toBe(true);
      expect(specifier.endsWith(".js"), `${specifier}: ESM imports carry .js`).toBe(true);
      const target = resolve(dirname(file), specifier);
      expect(target.startsWith(PROTOCOL + sep), `${specifier}: stays inside src/protocol`).toBe(true);
    }
  });
});

describe("client code never imports Node modules or ws", () => {
  const files = sourceFiles(SRC).filter((f) => {
    const path = relative(SRC, f).split(sep).join("/");
    return !path.startsWith("server/") && path !== "node.ts" && path !== "node-base64.ts" && path !== "node-http.ts";
  });

  it.each(files.map((f) => [relative(ROOT, f).split(sep).join("/"), f]))("%s", (_, file) => {
    const { imports } = scan(file, readFileSync(file, "utf8"));
    const bad = imports.filter((s) => s.startsWith("node:") || s === "ws" || s.startsWith("ws/") || /^(fs|http|https|net|tls|path|url|crypto|stream|events|zlib|os|child_process)(\/|$)/.test(s));
    expect(bad).toStrictEqual([]);
  });
});
