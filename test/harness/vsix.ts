/**
 * The packaged extension the e2e tests install: `out/self-braking-linux-x64.vsix`, repackaged
 * (`node scripts/package.mjs`) when it is missing or older than what goes into it.
 * `SELF_BRAKING_VSIX=<file>` uses that file as it is.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { HarnessError, say, since } from "./log";
import { REPO_ROOT, VSIX_PATH } from "./paths";

/** What the package is made from: if any is newer than the .vsix, it is stale. */
const INPUTS = ["src", "media", "package.json", "package-lock.json", ".vscodeignore", "scripts/build.mjs", "scripts/package.mjs"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why the .vsix must be (re)built, or undefined when it is up to date. */
function staleReason(): string | undefined {
  if (!existsSync(VSIX_PATH)) return "it does not exist yet";
  const built = statSync(VSIX_PATH).mtimeMs;
  const newer = INPUTS.find((input) => newestMtime(join(REPO_ROOT, input)) > built);
  return newer ? `${newer} changed since it was built` : undefined;
}

/** Returns the path of an up-to-date .vsix, packaging it first if needed. */
export function ensureVsix(): string {
  const override = process.env.SELF_BRAKING_VSIX;
  if (override) {
    if (!existsSync(override)) throw new HarnessError(`SELF_BRAKING_VSIX=${override}: no such file.`);
    return override;
  }
  const reason = staleReason();
  if (reason === undefined) return VSIX_PATH;
  const started = Date.now();
  say(`packaging the extension (${reason})`);
  const result = spawnSync(process.execPath, ["scripts/package.mjs"], { cwd: REPO_ROOT, stdio: ["ignore", process.stderr, process.stderr] });
  if (result.status !== 0 || !existsSync(VSIX_PATH)) {
    throw new HarnessError(`Packaging failed (node scripts/package.mjs exited ${result.status ?? result.signal}); the e2e tests need ${VSIX_PATH}.`);
  }
  say(`packaged ${VSIX_PATH} in ${since(started)}`);
  return VSIX_PATH;
}
