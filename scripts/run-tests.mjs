#!/usr/bin/env node
// Runs one test suite (unit, integration, package, e2e; test/vscode runs in VS Code via scripts/vscode-tests.mjs) with node's built-in test runner and tsx.
// Node 20's `--test` takes no globs, so the files are found here.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const suite = process.argv[2];
const extra = process.argv.slice(3);
const suites = { unit: "test/unit", integration: "test/integration", package: "test/package", e2e: "test/e2e" };
if (!(suite in suites)) {
  console.error(`usage: run-tests.mjs ${Object.keys(suites).join("|")} [node --test options]`);
  process.exit(2);
}

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith(".test.ts")) out.push(relative(process.cwd(), path));
  }
  return out;
}

const files = find(suites[suite]);
if (files.length === 0) {
  console.error(`No ${suite} tests found under ${suites[suite]}.`);
  process.exit(1);
}
const concurrency = suite === "unit" ? [] : ["--test-concurrency=1"];
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...concurrency, ...extra, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
