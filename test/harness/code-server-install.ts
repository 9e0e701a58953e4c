/**
 * Installs code-server (real VS Code, served to a browser) from the npm registry into
 * `.cache/code-server/<version>/`, once; later calls return at once.
 *
 * code-server's own postinstall runs `npm install` for its bundled VS Code, whose dependencies
 * build native modules and download ripgrep from GitHub. Without internet access, that download is
 * the one step that cannot work, so the install goes in two phases:
 *   1. `npm install --ignore-scripts`: fetches code-server and reads which @vscode/ripgrep versions
 *      its VS Code pins (lib/vscode/npm-shrinkwrap.json);
 *   2. places Debian's `rg` where @vscode/ripgrep looks for an earlier download
 *      (`<os.tmpdir()>/vscode-ripgrep-cache-<version>/<asset>.tar.gz`, with TMPDIR pointed at this
 *      cache folder), then `npm rebuild` runs the install scripts: code-server's postinstall, which
 *      installs and builds its VS Code's dependencies and finds ripgrep "already downloaded".
 * The install scripts are approved explicitly in the cache folder's package.json (`allowScripts`,
 * npm 11). Then the result is checked: every native module built, ripgrep in place.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { arch } from "node:os";
import { join } from "node:path";
import { withLock } from "./lock";
import { HarnessError, say, since } from "./log";
import { CACHE_ROOT } from "./paths";

/** The newest code-server that runs on Node 20 (4.101 and later want Node 22); VS Code 1.100.3. */
export const CODE_SERVER_VERSION = "4.100.3";

export interface CodeServerInstall {
  readonly version: string;
  /** The cache folder of this version. */
  readonly dir: string;
  /** code-server's entry point, run with this Node. */
  readonly entry: string;
  /** VS Code's root inside code-server (lib/vscode). */
  readonly vscodeRoot: string;
}

/** What @vscode/ripgrep 1.15.x downloads on Linux (its postinstall's VERSION and target). */
function ripgrepAssetName(): string {
  const targets: Record<string, string> = { x64: "x86_64-unknown-linux-musl", arm64: "aarch64-unknown-linux-musl" };
  const target = targets[arch()];
  if (process.platform !== "linux" || target === undefined) {
    throw new HarnessError(`The e2e harness installs code-server on Linux x64 or arm64 only (this is ${process.platform} ${arch()}).`);
  }
  return `ripgrep-v13.0.0-10-${target}.tar.gz`;
}

/** Native modules that code-server's VS Code builds; all must exist after the install. */
const BUILT_FILES = [
  "node_modules/@vscode/ripgrep/bin/rg",
  "node_modules/node-pty/build/Release/pty.node",
  "node_modules/@vscode/spdlog/build/Release/spdlog.node",
  "node_modules/kerberos/build/Release/kerberos.node",
  "node_modules/native-watchdog/build/Release/watchdog.node",
  "node_modules/@vscode/deviceid/build/Release/windows.node",
];

function layout(version: string): CodeServerInstall & { marker: string; log: string; tmp: string } {
  const dir = join(CACHE_ROOT, "code-server", version);
  const pkg = join(dir, "node_modules", "code-server");
  return {
    version,
    dir,
    entry: join(pkg, "out", "node", "entry.js"),
    vscodeRoot: join(pkg, "lib", "vscode"),
    marker: join(dir, "installed.json"),
    log: join(dir, "install.log"),
    tmp: join(dir, "tmp"),
  };
}

function nodeMajor(): number {
  return Number(process.versions.node.split(".")[0]);
}

function isInstalled(install: ReturnType<typeof layout>): boolean {
  if (!existsSync(install.marker) || !existsSync(install.entry)) return false;
  try {
    const marker = JSON.parse(readFileSync(install.marker, "utf8")) as { version?: string; nodeMajor?: number };
    return marker.version === install.version && marker.nodeMajor === nodeMajor();
  } catch {
    return false;
  }
}

/** Returns the installed code-server, installing it first if needed (about 5–8 minutes on 2 cores). */
export async function ensureCodeServer(version = CODE_SERVER_VERSION): Promise<CodeServerInstall> {
  const install = layout(version);
  if (isInstalled(install)) return install;
  if (nodeMajor() !== 20) {
    throw new HarnessError(`code-server ${version} runs on Node 20; this is Node ${process.versions.node}. Run the e2e tests with Node 20.`);
  }
  mkdirSync(join(CACHE_ROOT, "code-server"), { recursive: true });
  return withLock(`${install.dir}.lock`, `installing code-server ${version}`, async () => {
    if (isInstalled(install)) return install; // another process finished it meanwhile
    await installFresh(install);
    return install;
  });
}

async function installFresh(install: ReturnType<typeof layout>): Promise<void> {
  const started = Date.now();
  say(`installing code-server ${install.version} into ${install.dir} (first use only; log: ${install.log})`);
  rmSync(install.dir, { recursive: true, force: true });
  mkdirSync(install.tmp, { recursive: true });
  writeFileSync(
    join(install.dir, "package.json"),
    JSON.stringify(
      {
        name: "self-braking-e2e-code-server",
        private: true,
        description: "Written by test/harness/code-server-install.ts: code-server for the e2e tests.",
        dependencies: { "code-server": install.version },
        // Name-only entries: the version is pinned above, and npm cannot verify a version from a
        // lockfile written with omit-lockfile-registry-resolved.
        allowScripts: { "code-server": true, argon2: true },
      },
      null,
      2,
    ) + "\n",
  );
  const logStream = createWriteStream(install.log);
  let failure: Error | undefined;
  try {
    await npm(["install", "--ignore-scripts", "--no-audit", "--no-fund"], install, logStream);
    say(`  fetched code-server and its dependencies (${since(started)})`);
    const ripgrepVersions = pinnedRipgrepVersions(install.vscodeRoot);
    placeDebianRipgrep(install.tmp, ripgrepVersions);
    say(`  Debian's rg placed as @vscode/ripgrep ${ripgrepVersions.join(", ")}'s download; building VS Code's native modules`);
    await npm(["rebuild", "--no-audit", "--no-fund"], install, logStream);
  } catch (error) {
    failure = error as Error;
  }
  await new Promise<void>((resolve) => logStream.end(resolve));
  if (failure) throw new HarnessError(`${failure.message}\n${tail(install.log, 40)}\nThe full log: ${install.log}`);
  const missing = BUILT_FILES.filter((file) => !existsSync(join(install.vscodeRoot, file)));
  if (missing.length > 0) {
    throw new HarnessError(
      `code-server's install scripts did not complete: missing ${missing.join(", ")} under ${install.vscodeRoot}.\n` +
        `Were its install scripts blocked (npm's allowScripts / ignore-scripts settings)? The log: ${install.log}`,
    );
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(install.marker, JSON.stringify({ version: install.version, nodeMajor: nodeMajor(), node: process.version, seconds, installedAt: new Date().toISOString() }, null, 2) + "\n");
  say(`code-server ${install.version} installed in ${since(started)}`);
}

/** The @vscode/ripgrep versions in VS Code's (and its extensions') shrinkwraps. */
function pinnedRipgrepVersions(vscodeRoot: string): string[] {
  const versions = new Set<string>();
  for (const file of ["npm-shrinkwrap.json", "extensions/npm-shrinkwrap.json"]) {
    const path = join(vscodeRoot, file);
    if (!existsSync(path)) continue;
    const shrinkwrap = JSON.parse(readFileSync(path, "utf8")) as { packages?: Record<string, { version?: string }> };
    for (const [key, entry] of Object.entries(shrinkwrap.packages ?? {})) {
      if (key.endsWith("node_modules/@vscode/ripgrep") && entry.version) versions.add(entry.version);
    }
  }
  if (versions.size === 0) throw new HarnessError(`No @vscode/ripgrep found in ${vscodeRoot}/npm-shrinkwrap.json: has code-server's layout changed?`);
  return [...versions];
}

/** Packs Debian's rg as the tarball @vscode/ripgrep would have downloaded, in `<tmp>/vscode-ripgrep-cache-<v>/`. */
function placeDebianRipgrep(tmp: string, versions: string[]): void {
  const rg = spawnSync("sh", ["-c", "command -v rg"], { encoding: "utf8" }).stdout.trim();
  if (rg === "") throw new HarnessError("ripgrep (rg) is not installed: apt-get install ripgrep");
  const staging = mkdtempSync(join(tmp, "rg-"));
  copyFileSync(rg, join(staging, "rg"));
  for (const version of versions) {
    const cacheDir = join(tmp, `vscode-ripgrep-cache-${version}`);
    mkdirSync(cacheDir, { recursive: true });
    const tar = spawnSync("tar", ["-czf", join(cacheDir, ripgrepAssetName()), "-C", staging, "rg"], { encoding: "utf8" });
    if (tar.status !== 0) throw new HarnessError(`tar failed packing rg: ${tar.stderr}`);
  }
  rmSync(staging, { recursive: true, force: true });
}

function npm(args: string[], install: ReturnType<typeof layout>, log: NodeJS.WritableStream): Promise<void> {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // @vscode/ripgrep looks for its download in os.tmpdir(): our cache folder.
    TMPDIR: install.tmp,
    // node-pty's install runs `npx node-gyp`: answer npx's prompt.
    npm_config_yes: "true",
    // Unreviewed install scripts of VS Code's own dependencies (nested installs) must still run.
    npm_config_strict_allow_scripts: "false",
    // node-gyp: use every core.
    JOBS: "max",
    // code-server's postinstall refuses to run as root without it (npm 11 warns it is unknown).
    ...(isRoot ? { npm_config_unsafe_perm: "true" } : {}),
  };
  log.write(`\n$ npm ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, { cwd: install.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", reject);
    child.on("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(" ")} failed (exit ${code ?? signal}).`))));
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
