/**
 * Runs the vscode-API tests (test/vscode/**\/*.test.ts) inside a real extension host, against the
 * packaged extension:
 *  - in code-server: its web workbench takes VS Code's `extensionDevelopmentPath` and
 *    `extensionTestsPath` through the URL's `payload` (as `@vscode/test-web` does), loads the test
 *    bundle in the Node.js extension host, and reports the exit code to
 *    `window.codeAutomationExit`, which the browser exposes;
 *  - in desktop VS Code, through @vscode/test-electron, where a VS Code build can be had.
 * The tests' results come back in a JSON report (test/vscode/harness.ts).
 */
import { spawnSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build } from "esbuild";
import type { HostTestReport } from "../vscode/harness";
import { launchBrowser } from "./browser";
import { startCodeServer } from "./code-server";
import { ensureCodeServer } from "./code-server-install";
import { HarnessError } from "./log";
import { REPO_ROOT, RESULTS_ROOT } from "./paths";
import { EXTENSION_ID, SAMPLE_WORKSPACE } from "./session";
import { ensureSystemPackages } from "./system-packages";
import { ensureVsix } from "./vsix";
import { SLOW_MS } from "./workbench";

const TESTS_ROOT = join(REPO_ROOT, "test", "vscode");
/** The desktop build @vscode/test-electron uses: the same VS Code as code-server 4.100.3. */
export const DESKTOP_VSCODE_VERSION = "1.100.3";
/** A whole run (extension host start, all tests) must finish within this. */
const RUN_TIMEOUT_MS = 10 * 60_000;

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return testFiles(path);
      return name.endsWith(".test.ts") ? [path] : [];
    });
}

/**
 * Bundles every test file with the harness into one CommonJS module exporting `run()`. The entry
 * tells the harness which file registers which tests (the extension host shows bundle lines in
 * stack traces, not source lines).
 */
async function bundleTests(outFile: string): Promise<void> {
  const files = testFiles(TESTS_ROOT);
  if (files.length === 0) throw new HarnessError(`No extension-host tests under ${TESTS_ROOT}.`);
  const entry = [
    `const harness = require("./test/vscode/harness");`,
    ...files.map((file) => {
      const path = relative(REPO_ROOT, file);
      return `harness.setCurrentFile(${JSON.stringify(path)});\nrequire(${JSON.stringify(`./${path}`)});`;
    }),
    `module.exports = { run: harness.run };`,
  ].join("\n");
  await build({
    stdin: { contents: entry, resolveDir: REPO_ROOT, loader: "js", sourcefile: "extension-tests-entry.js" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode"],
    outfile: outFile,
    logLevel: "warning",
  });
}

function readReport(file: string): HostTestReport | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as HostTestReport) : undefined;
}

function timeout<T>(ms: number, message: string): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export interface HostRun {
  readonly report: HostTestReport;
  /** Stage durations in ms. */
  readonly timings: Readonly<Record<string, number>>;
}

/** Runs the suite in code-server's extension host. */
export async function runExtensionTestsInCodeServer(): Promise<HostRun> {
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (stage: string): void => {
    timings[stage] = Date.now() - mark;
    mark = Date.now();
  };
  ensureSystemPackages();
  await ensureCodeServer();
  const vsix = ensureVsix();
  lap("prerequisites");

  const scratch = mkdtempSync(join(tmpdir(), "self-braking-extension-tests-"));
  const bundle = join(scratch, "extension-tests.js");
  const reportFile = join(scratch, "report.json");
  const workspace = join(scratch, "workspace");
  const hostOutput: string[] = [];
  let codeServer: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
    await bundleTests(bundle);
    codeServer = await startCodeServer({ workspace, vsix, env: { SELF_BRAKING_TEST_REPORT: reportFile } });
    lap("codeServer");

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("console", (message) => hostOutput.push(message.text()));
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    await page.exposeFunction("codeAutomationExit", (code: number) => exited(code));

    const developmentPath = codeServer.installedExtensionPath(EXTENSION_ID);
    await page.goto(
      codeServer.workbenchUrl([
        ["extensionDevelopmentPath", codeServer.remoteUri(developmentPath)],
        ["extensionTestsPath", codeServer.remoteUri(bundle)],
      ]),
      { timeout: SLOW_MS },
    );
    const limit = timeout<number>(RUN_TIMEOUT_MS, `The extension-host tests did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes.`);
    const code = await Promise.race([exitCode, limit.promise]).finally(limit.cancel);
    lap("tests");

    const report = readReport(reportFile);
    if (!report) throw new HarnessError(`The extension host exited with ${code} without writing its report (the tests module did not load or crashed).`);
    if (code !== 0 && report.results.every((r) => r.ok)) throw new HarnessError(`The extension host exited with ${code} although every test passed.`);
    return { report, timings };
  } catch (error) {
    const dir = join(RESULTS_ROOT, "vscode");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "browser-console.txt"), hostOutput.join("\n") + "\n");
    if (codeServer) writeFileSync(join(dir, "code-server.log"), readFileSync(codeServer.logFile));
    throw new HarnessError(`${(error as Error).message}\nBrowser console and code-server log: ${dir}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Whether desktop VS Code can run here: a build already in .vscode-test/, or a reachable download
 * server, and (on Linux) a display. Returns the reason it cannot, or undefined.
 */
export async function desktopUnavailableReason(): Promise<string | undefined> {
  const cached = existsSync(join(REPO_ROOT, ".vscode-test", `vscode-${process.platform === "linux" ? "linux-x64" : process.platform}-${DESKTOP_VSCODE_VERSION}`, "is-complete"));
  if (!cached) {
    try {
      await lookup("update.code.visualstudio.com");
    } catch (error) {
      return `this machine cannot download a VS Code ${DESKTOP_VSCODE_VERSION} build (update.code.visualstudio.com: ${(error as NodeJS.ErrnoException).code ?? String(error)}); the same tests ran in code-server's extension host`;
    }
  }
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return "no display for desktop VS Code (run under `xvfb-run -a`)";
  }
  return undefined;
}

/** Runs the suite in desktop VS Code through @vscode/test-electron (downloads VS Code into .vscode-test/). */
export async function runExtensionTestsInDesktop(): Promise<HostRun> {
  const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import("@vscode/test-electron");
  const started = Date.now();
  const vsix = ensureVsix();
  const scratch = mkdtempSync(join(tmpdir(), "self-braking-desktop-tests-"));
  try {
    const bundle = join(scratch, "extension-tests.js");
    const reportFile = join(scratch, "report.json");
    const extensionsDir = join(scratch, "extensions");
    const workspace = join(scratch, "workspace");
    cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
    await bundleTests(bundle);
    const executable = await downloadAndUnzipVSCode({ version: DESKTOP_VSCODE_VERSION });
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
    const install = spawnSync(cli ?? executable, [...cliArgs, "--extensions-dir", extensionsDir, "--install-extension", vsix], { encoding: "utf8", shell: process.platform === "win32" });
    if (install.status !== 0) throw new HarnessError(`VS Code could not install ${vsix}:\n${install.stdout}${install.stderr}`);
    const installed = readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${EXTENSION_ID}-`));
    if (!installed) throw new HarnessError(`${EXTENSION_ID} is not in ${extensionsDir} after installing ${vsix}.`);
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: join(extensionsDir, installed),
      extensionTestsPath: bundle,
      extensionTestsEnv: { SELF_BRAKING_TEST_REPORT: reportFile },
      launchArgs: [workspace, "--extensions-dir", extensionsDir, "--user-data-dir", join(scratch, "user-data"), "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes"],
    }).catch(() => undefined); // a failing test rejects; the report says which
    const report = readReport(reportFile);
    if (!report) throw new HarnessError("Desktop VS Code exited without writing the tests' report.");
    return { report, timings: { total: Date.now() - started } };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
