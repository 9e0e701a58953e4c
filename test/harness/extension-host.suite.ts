/**
 * node:test face of the extension-host suite (run by scripts/vscode-tests.mjs): each test that
 * ran inside VS Code becomes a subtest here, so the runner's summary counts them.
 */
import { test } from "node:test";
import type { TestContext } from "node:test";
import type { HostRun } from "./extension-tests";
import { DESKTOP_VSCODE_VERSION, runExtensionTestsInCodeServer, runExtensionTestsInDesktop } from "./extension-tests";

function reportAsSubtests(run: HostRun): (t: TestContext) => Promise<void> {
  return async (t) => {
    t.diagnostic(`VS Code ${run.report.vscodeVersion}; ${Object.entries(run.timings).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(" · ")}`);
    for (const result of run.report.results) {
      await t.test(result.name, (st) => {
        for (const line of result.notes) st.diagnostic(line);
        if (!result.ok) throw new Error(`${result.file}: failed in the extension host after ${result.durationMs} ms:\n${result.error ?? ""}`);
      });
    }
  };
}

const hosts = (process.env.SELF_BRAKING_HOSTS ?? "code-server").split(",");

if (hosts.includes("code-server")) {
  test("extension host: code-server (VS Code 1.100.3, Node.js extension host)", { timeout: 30 * 60_000 }, async (t) => {
    await reportAsSubtests(await runExtensionTestsInCodeServer())(t);
  });
}

if (hosts.includes("desktop")) {
  test(`extension host: desktop VS Code ${DESKTOP_VSCODE_VERSION} (@vscode/test-electron)`, { timeout: 30 * 60_000 }, async (t) => {
    await reportAsSubtests(await runExtensionTestsInDesktop())(t);
  });
}
