/**
 * One e2e session: the packaged extension installed into a fresh code-server, a sample workspace,
 * and Debian's Chromium showing the workbench. Records how long each stage took.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser";
import { ensureCodeServer } from "./code-server-install";
import type { RunningCodeServer } from "./code-server";
import { startCodeServer } from "./code-server";
import { RESULTS_ROOT, REPO_ROOT } from "./paths";
import { ensureSystemPackages } from "./system-packages";
import { ensureVsix } from "./vsix";
import { openWorkbench } from "./workbench";

export const EXTENSION_ID = "self-braking.self-braking";
/** Committed sample files that every session (and `npm start`) opens as its workspace. */
export const SAMPLE_WORKSPACE = join(REPO_ROOT, "test", "harness", "sample-workspace");

export interface SessionOptions {
  readonly userSettings?: Readonly<Record<string, unknown>>;
}

export interface E2ESession {
  readonly codeServer: RunningCodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** A temporary copy of the sample workspace. */
  readonly workspace: string;
  /** Milliseconds per stage: prerequisites, vsix, codeServer, browser, workbench. */
  readonly timings: Readonly<Record<string, number>>;
  /** Browser console errors seen so far. */
  readonly consoleErrors: readonly string[];
  /** Saves a screenshot, code-server's log and the console errors under test-results/e2e/; returns the screenshot's path. */
  saveFailureEvidence(testName: string): Promise<string>;
  close(): Promise<void>;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

export async function startSession(options: SessionOptions = {}): Promise<E2ESession> {
  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[stage] = Date.now() - started;
    }
  };

  await timed("prerequisites", async () => {
    ensureSystemPackages();
    await ensureCodeServer();
  });
  const vsix = await timed("vsix", () => ensureVsix());
  const workspace = mkdtempSync(join(tmpdir(), "self-braking-workspace-"));
  cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });

  const codeServer = await timed("codeServer", () =>
    startCodeServer({ workspace, vsix, ...(options.userSettings ? { userSettings: options.userSettings } : {}) }),
  );
  let browser: Browser | undefined;
  try {
    browser = await timed("browser", () => launchBrowser());
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
    await timed("workbench", () => openWorkbench(page, codeServer.workbenchUrl()));

    const session: E2ESession = {
      codeServer,
      browser,
      page,
      workspace,
      timings,
      consoleErrors,
      async saveFailureEvidence(testName) {
        const dir = join(RESULTS_ROOT, "e2e");
        mkdirSync(dir, { recursive: true });
        const base = join(dir, slug(testName));
        await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
        copyFileSync(codeServer.logFile, `${base}.code-server.log`);
        writeFileSync(`${base}.console.txt`, consoleErrors.join("\n") + "\n");
        return `${base}.png`;
      },
      async close() {
        await browser?.close().catch(() => undefined);
        await codeServer.stop();
        rmSync(workspace, { recursive: true, force: true });
      },
    };
    return session;
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
    rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
}
