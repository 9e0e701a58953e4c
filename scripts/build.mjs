#!/usr/bin/env node
// Bundles the extension host code, the webview, the engine child process and the CLI with esbuild.
// node-llama-cpp stays external: it finds its native binaries by path and is loaded with `await import()`.
import { build, context } from "esbuild";
import { existsSync, chmodSync, readFileSync } from "node:fs";

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
  {
    bundle: true,
    platform: "browser",
    target: "es2022",
    format: "iife",
    sourcemap: production ? false : "linked",
    minify: production,
    entryPoints: ["src/webview/main.ts"],
    outfile: "dist/webview.js",
    logLevel: "info",
  },
].filter((t) => existsSync(t.entryPoints[0]));

if (watch) {
  const contexts = await Promise.all(targets.map((t) => context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log("esbuild: watching for changes (run `npm run typecheck` beside it)");
} else {
  await Promise.all(targets.map((t) => build(t)));
  if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);
}
