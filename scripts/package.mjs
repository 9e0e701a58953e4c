#!/usr/bin/env node
// Builds a production bundle and packages the platform-specific linux-x64 .vsix with @vscode/vsce.
// What goes in is decided by .vscodeignore; test/package/vsix.test.ts checks the result.
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";

export const VSIX_PATH = "out/self-braking-linux-x64.vsix";

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

mkdirSync("out", { recursive: true });
run(process.execPath, ["scripts/build.mjs", "--production"]);
run(process.execPath, [
  "node_modules/@vscode/vsce/vsce",
  "package",
  "--target",
  "linux-x64",
  "--out",
  VSIX_PATH,
  "--allow-missing-repository",
  "--skip-license",
  // README links point into docs/ of this repository; keep them relative (there is no public repository URL).
  "--no-rewrite-relative-links",
]);
const size = statSync(VSIX_PATH).size;
console.log(`package: ${VSIX_PATH} ${(size / 1024 / 1024).toFixed(1)} MB`);
// Restore the development build (source maps) for the debugger and tests.
run(process.execPath, ["scripts/build.mjs"]);
