#!/usr/bin/env node
// `npm test`: prerequisites (and the llama-server build), lint, type check, unit, integration (real llama.cpp on a generated GGUF), the
// packaged .vsix, e2e in real VS Code (code-server + Chromium) and the extension-host suite.
// Every step runs; a summary of each suite's counts is printed at the end.
import { spawn } from "node:child_process";

const steps = [
  // Debian packages (as root; otherwise the exact apt command is printed) and code-server, before
  // the suites that use them: the GPU-offload integration tests need Mesa's Vulkan driver.
  { name: "prerequisites", command: ["node", "--import", "tsx", "test/harness/setup.ts"] },
  // llama-server, built from node-llama-cpp's bundled llama.cpp for the remote-engine integration tests
  // (cmake, g++, ninja-build and git come from the step above). About 6 minutes the first time on 2
  // cores, then a stamp makes it instant; test/integration/helpers/llamaServer.ts builds it too if missing.
  { name: "llama-server", command: ["bash", "scripts/build-llama-server.sh"] },
  { name: "lint", command: ["npx", "eslint", "."] },
  { name: "typecheck", command: ["npm", "run", "--silent", "typecheck"] },
  { name: "unit", command: ["node", "scripts/run-tests.mjs", "unit"] },
  { name: "build", command: ["node", "scripts/build.mjs"] },
  { name: "integration", command: ["node", "scripts/run-tests.mjs", "integration"], needs: ["build"] },
  { name: "package", command: ["node", "scripts/package.mjs"], needs: ["build"] },
  { name: "package tests", command: ["node", "scripts/run-tests.mjs", "package"], needs: ["package"] },
  { name: "e2e", command: ["node", "scripts/run-tests.mjs", "e2e"], needs: ["package"] },
  { name: "extension host", command: ["node", "scripts/vscode-tests.mjs"], needs: ["package"] },
];

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const [cmd, ...args] = step.command;
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const counts = {};
    let notRun = null;
    const scan = (chunk) => {
      const text = chunk.toString();
      for (const line of text.split("\n")) {
        const m = /^ℹ (tests|pass|fail|skipped|cancelled|todo) (\d+)/.exec(line);
        if (m) counts[m[1]] = (counts[m[1]] ?? 0) + Number(m[2]);
        const n = /^NOT RUN: (.*)$/.exec(line);
        if (n) notRun = n[1];
      }
    };
    child.stdout.on("data", (c) => (process.stdout.write(c), scan(c)));
    child.stderr.on("data", (c) => (process.stderr.write(c), scan(c)));
    child.on("close", (code) => resolve({ code: code ?? 1, counts, notRun, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = new Map();
for (const step of steps) {
  const blocked = (step.needs ?? []).find((n) => results.get(n)?.code !== 0);
  if (blocked) {
    results.set(step.name, { code: 1, counts: {}, notRun: `skipped because ${blocked} failed`, seconds: 0 });
    continue;
  }
  console.log(`\n━━ ${step.name}: ${step.command.join(" ")}`);
  results.set(step.name, await run(step));
}

console.log("\n━━ summary");
let failed = 0;
for (const [name, r] of results) {
  const c = r.counts;
  const tally = c.tests !== undefined ? ` tests ${c.tests} · pass ${c.pass ?? 0} · fail ${c.fail ?? 0} · skipped ${c.skipped ?? 0}` : "";
  const status = r.code === 0 ? "ok  " : "FAIL";
  if (r.code !== 0) failed++;
  console.log(`${status} ${name.padEnd(15)}${tally}${r.notRun ? ` · ${r.notRun}` : ""} (${r.seconds.toFixed(0)} s)`);
}
console.log(failed === 0 ? "\nAll steps passed." : `\n${failed} step(s) failed.`);
process.exit(failed === 0 ? 0 : 1);
