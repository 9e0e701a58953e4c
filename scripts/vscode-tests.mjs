#!/usr/bin/env node
// The extension-host suite: test/vscode/**/*.test.ts, run inside VS Code against the packaged
// .vsix, reported through node's test runner (spec reporter, "ℹ tests N" summary).
//   node scripts/vscode-tests.mjs [--host=all|code-server|desktop]
// code-server's extension host runs here (see test/harness/extension-tests.ts). Desktop VS Code
// (@vscode/test-electron) runs where a build is cached in .vscode-test/ or can be downloaded, and
// a display exists; elsewhere this prints "NOT RUN: <why>" and carries on.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { host: { type: "string", default: "all" } } });
const allowed = ["all", "code-server", "desktop"];
if (!allowed.includes(values.host)) {
  console.error(`usage: vscode-tests.mjs [--host=${allowed.join("|")}]`);
  process.exit(2);
}

const hosts = [];
if (values.host !== "desktop") hosts.push("code-server");
if (values.host !== "code-server") {
  const { tsImport } = await import("tsx/esm/api");
  const { desktopUnavailableReason } = await tsImport("../test/harness/extension-tests.ts", import.meta.url);
  const reason = await desktopUnavailableReason();
  if (reason === undefined) hosts.push("desktop");
  else {
    console.log(`NOT RUN: extension-host tests in desktop VS Code (@vscode/test-electron): ${reason}`);
    if (values.host === "desktop") process.exit(1);
  }
}

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "test/harness/extension-host.suite.ts"],
  { stdio: "inherit", cwd: fileURLToPath(new URL("..", import.meta.url)), env: { ...process.env, SELF_BRAKING_HOSTS: hosts.join(",") } },
);
process.exit(result.status ?? 1);
