/**
 * A minimal test API for tests that run inside VS Code's extension host, where node's test
 * runner cannot (it runs files in child processes, which have no `vscode` module).
 * scripts/vscode-tests.mjs bundles every `test/vscode/**\/*.test.ts` with this file, VS Code loads
 * the bundle as its extension tests module and calls `run()`; the results go to the JSON file
 * named by SELF_BRAKING_TEST_REPORT, and the outer runner reports them through node's test runner.
 */
import { writeFileSync } from "node:fs";
import { version as vscodeVersion } from "vscode";

export interface HostTestResult {
  readonly name: string;
  /** The test file that registered it (repository-relative). */
  readonly file: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
  /** Lines a test recorded with `note()` (measurements). */
  readonly notes: readonly string[];
}

export interface HostTestReport {
  readonly vscodeVersion: string;
  readonly results: readonly HostTestResult[];
}

type TestBody = () => unknown;

const tests: { name: string; file: string; body: TestBody; timeoutMs: number }[] = [];
let currentNotes: string[] = [];
let currentFile = "(unknown file)";

/** Called by the generated entry before it loads each test file. */
export function setCurrentFile(path: string): void {
  currentFile = path;
}

/** Registers a test; tests run one after another, in file order (files sorted by name). */
export function test(name: string, body: TestBody, options: { timeoutMs?: number } = {}): void {
  tests.push({ name, file: currentFile, body, timeoutMs: options.timeoutMs ?? 30_000 });
}

/** Records a line (a measurement) that the outer runner prints with the test's result. */
export function note(line: string): void {
  currentNotes.push(line);
}

function withTimeout(promise: Promise<unknown>, ms: number, name: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function runAll(): Promise<HostTestResult[]> {
  const results: HostTestResult[] = [];
  for (const { name, file, body, timeoutMs } of tests) {
    currentNotes = [];
    const started = performance.now();
    let error: string | undefined;
    try {
      await withTimeout(Promise.resolve().then(body), timeoutMs, name);
    } catch (caught) {
      error = describeError(caught);
    }
    const durationMs = Math.round(performance.now() - started);
    results.push({ name, file, ok: error === undefined, durationMs, notes: currentNotes, ...(error !== undefined ? { error } : {}) });
  }
  return results;
}

/** VS Code's extension-tests entry point. Rejects when a test failed, so VS Code exits non-zero. */
export async function run(): Promise<void> {
  const results = await runAll();
  const report: HostTestReport = { vscodeVersion, results };
  const reportFile = process.env.SELF_BRAKING_TEST_REPORT;
  if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 2));
  else for (const r of results) console.log(`${r.ok ? "ok" : "FAILED"} ${r.name} (${r.durationMs} ms)${r.error ? `\n${r.error}` : ""}`);
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} extension-host tests failed`);
}
