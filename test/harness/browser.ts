/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser.
 */
import { spawnSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { HarnessError } from "./log";

/**
 * Flags for a headless Chromium on a closed network: no sandbox (root in CI), no GPU, and none of
 * the background connections (sync, component updates, QUIC probes) that the network refuses.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** `$CHROMIUM_PATH`, else Debian's `chromium` on PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  const found = spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).stdout.trim();
  if (found === "") throw new HarnessError("Chromium is not installed: apt-get install chromium (or set CHROMIUM_PATH).");
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}
