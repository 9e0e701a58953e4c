/**
 * The layer rules of eslint.config.mjs, exercised: imports that cross the process wall or point
 * up are errors, the allowed ones are not. (docs/ARCHITECTURE.md draws the layers.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

/** The restricted-import messages ESLint gives `from` importing `specifier`. */
async function importProblems(from: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from "${specifier}";\nexport const y = x;\n`, { filePath: from });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer rules", () => {
  const refused: Array<[string, string, RegExp]> = [
    ["src/extension/probe.ts", "../engine/process/engine", /process wall/],
    ["src/cli/commands/probe.ts", "../../engine/process/load/loader", /process wall/],
    ["src/engine/client/probe.ts", "../process/engine", /process wall/],
    ["src/engine/common/probe.ts", "../client/engineClient", /imports neither side/],
    ["src/engine/process/probe.ts", "../client/askHandle", /does not use the client/],
    ["src/engine/client/probe.ts", "node-llama-cpp", /behind the process wall/],
    ["src/extension/probe.ts", "node-llama-cpp", /Only src\/engine\/process/],
    ["src/core/probe.ts", "../engine/common/types", /upper layers/],
    ["src/webview/probe.ts", "../extension/statusBar", /only through src\/protocol\.ts/],
    ["src/scripted-model/probe.ts", "../core/format", /depends on nothing/],
    ["src/extension/probe.ts", "../../test/harness/must", /never imports tests/],
  ];
  for (const [from, specifier, expected] of refused) {
    it(`refuses ${from} → ${specifier}`, async () => {
      const problems = await importProblems(from, specifier);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0] ?? "", expected);
    });
  }

  const allowed: Array<[string, string]> = [
    ["src/extension/probe.ts", "../engine/client/engineClient"],
    ["src/extension/probe.ts", "../engine/common/types"],
    ["src/cli/commands/probe.ts", "../../engine/client/engineClient"],
    ["src/engine/process/probe.ts", "../common/protocol"],
    ["src/engine/process/probe.ts", "node-llama-cpp"],
    ["src/webview/probe.ts", "../core/format"],
  ];
  for (const [from, specifier] of allowed) {
    it(`allows ${from} → ${specifier}`, async () => {
      assert.deepEqual(await importProblems(from, specifier), []);
    });
  }
});
