#!/usr/bin/env node
// Bundles the extension host code, the webview, the engine child process and the CLI with esbuild.
// node-llama-cpp stays external: it finds its native binaries by path and is loaded with `await import()`.
import { build, context } from "esbuild";
import { existsSync, chmodSync, cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const nodeCommon = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: production ? false : "linked",
  minify: production,
  external: ["vscode", "node-llama-cpp", "@node-llama-cpp/*"],
  logLevel: "info",
  define: { __VERSION__: JSON.stringify(version) },
};

/** A webview page's script: one browser bundle (IIFE) per page. */
function browserPage(entry, outfile) {
  return {
    bundle: true,
    platform: "browser",
    target: "es2022",
    format: "iife",
    sourcemap: production ? false : "linked",
    minify: production,
    entryPoints: [entry],
    outfile,
    logLevel: "info",
  };
}

const targets = [
  {
    ...nodeCommon,
    entryPoints: ["src/extension/extension.ts"],
    outfile: "dist/extension.js",
    // Lets activate() report how long loading its own bundle took, besides activate() itself.
    banner: { js: "\"use strict\";globalThis.__selfBrakingLoadStart = performance.now();" },
  },
  { ...nodeCommon, entryPoints: ["src/engine/process/main.ts"], outfile: "dist/engine.js" },
  { ...nodeCommon, entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } },
  browserPage("src/webview/main.ts", "dist/webview.js"),
  browserPage("src/webview/calibration/main.ts", "dist/calibration.js"),
].filter((t) => existsSync(t.entryPoints[0]));

/**
 * KaTeX's stylesheet and fonts, which the chat page loads from dist/katex/ (the webview's CSP
 * allows styles and fonts only from the extension's own folders). The stylesheet refers to the
 * fonts as fonts/<name>, so they keep that layout.
 */
function copyKatexAssets() {
  const from = "node_modules/katex/dist";
  rmSync("dist/katex", { recursive: true, force: true });
  mkdirSync("dist/katex", { recursive: true });
  cpSync(`${from}/katex.min.css`, "dist/katex/katex.min.css");
  // VS Code's Chromium takes the first source KaTeX lists, woff2; the woff and ttf fallbacks would only add 0.8 MB
  cpSync(`${from}/fonts`, "dist/katex/fonts", { recursive: true, filter: (source) => !/\.(woff|ttf)$/.test(source) });
}

copyKatexAssets();

if (watch) {
  const contexts = await Promise.all(targets.map((t) => context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log("esbuild: watching for changes (run `npm run typecheck` beside it)");
} else {
  await Promise.all(targets.map((t) => build(t)));
  if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);
}
