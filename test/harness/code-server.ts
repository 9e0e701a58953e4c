/**
 * Starts code-server on 127.0.0.1 (a free port, `--auth none`) with its own user-data,
 * extensions and config folders, optionally installing a .vsix first; stops it with everything
 * it started (it runs in its own process group).
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { CodeServerInstall } from "./code-server-install";
import { ensureCodeServer } from "./code-server-install";
import { HarnessError } from "./log";

/** User settings for a quiet, offline, deterministic workbench. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "git.openRepositoryInParentFolders": "never",
};

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  readonly workspace: string;
  /** A .vsix to install into the (fresh) extensions folder before starting. */
  readonly vsix?: string;
  /** Merged over QUIET_SETTINGS into the user settings.json. */
  readonly userSettings?: Readonly<Record<string, unknown>>;
  /** Extra environment for code-server and its extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** Fixed port (default: a free one). */
  readonly port?: number;
  /** Keep user data and extensions here across runs (default: a temporary folder, removed on stop). */
  readonly stateDir?: string;
}

export interface RunningCodeServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  readonly install: CodeServerInstall;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** code-server's own output (stdout and stderr). */
  readonly logFile: string;
  /** The workbench URL for the workspace, with an optional `payload` (extension development/tests). */
  workbenchUrl(payload?: ReadonlyArray<readonly [string, string]>): string;
  /** A `vscode-remote://` URI for a path on this machine, as the workbench addresses the server's files. */
  remoteUri(path: string): string;
  /** The folder an installed extension lives in (`<publisher>.<name>-<version>[-<target>]`). */
  installedExtensionPath(extensionId: string): string;
  /** Stops code-server and every process it started; removes temporary folders. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

interface Folders {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly xdg: string;
  readonly config: string;
  readonly temporary: boolean;
}

function prepareFolders(options: CodeServerOptions): Folders {
  const temporary = options.stateDir === undefined;
  const root = options.stateDir ?? mkdtempSync(join(tmpdir(), "self-braking-code-server-"));
  const folders: Folders = {
    root,
    userData: join(root, "user-data"),
    extensions: join(root, "extensions"),
    xdg: join(root, "xdg"),
    config: join(root, "config.yaml"),
    temporary,
  };
  for (const dir of [folders.userData, folders.extensions, folders.xdg, join(folders.userData, "User")]) mkdirSync(dir, { recursive: true });
  // Our own config file keeps code-server from writing ~/.config/code-server; the rest are flags.
  writeFileSync(folders.config, "# written by test/harness/code-server.ts\nauth: none\ncert: false\n");
  mergeSettings(join(folders.userData, "User", "settings.json"), { ...QUIET_SETTINGS, ...options.userSettings });
  // code-server's window is a remote window: `machine`-scoped settings (selfBraking.model.path)
  // count only in the remote ("Machine") settings there; from the user settings they are read or
  // ignored depending on when the extension's defaults register (microsoft/vscode#79983).
  if (options.userSettings) mergeSettings(join(folders.userData, "Machine", "settings.json"), options.userSettings);
  return folders;
}

function mergeSettings(file: string, values: Readonly<Record<string, unknown>>): void {
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...existing, ...values }, null, 2) + "\n");
}

function serverEnv(folders: Folders, extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // code-server keeps logs and a heartbeat under XDG folders: keep them in ours.
    XDG_CONFIG_HOME: join(folders.xdg, "config"),
    XDG_DATA_HOME: join(folders.xdg, "data"),
    XDG_CACHE_HOME: join(folders.xdg, "cache"),
    // No extension marketplace (it is unreachable and not needed).
    EXTENSIONS_GALLERY: "{}",
    ...extra,
  };
}

function commonFlags(folders: Folders): string[] {
  return ["--config", folders.config, "--user-data-dir", folders.userData, "--extensions-dir", folders.extensions];
}

function installVsix(install: CodeServerInstall, folders: Folders, vsix: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(vsix)) throw new HarnessError(`No extension package at ${vsix}.`);
  const result = spawnSync(process.execPath, [install.entry, ...commonFlags(folders), "--force", "--install-extension", vsix], {
    env,
    encoding: "utf8",
    timeout: 180_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new HarnessError(`code-server could not install ${vsix} (exit ${result.status ?? result.signal}):\n${output.trim()}`);
  }
}

async function waitUntilServing(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new HarnessError(`code-server exited (${child.exitCode ?? child.signalCode}) before serving:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(new URL("healthz", url), { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new HarnessError(`code-server did not answer at ${url} within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const install = await ensureCodeServer();
  const folders = prepareFolders(options);
  const env = serverEnv(folders, options.env);
  if (options.vsix) installVsix(install, folders, options.vsix, env);

  const port = options.port ?? (await freePort());
  const url = `http://${HOST}:${port}/`;
  const logFile = join(folders.root, "code-server.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const args = [
    install.entry,
    ...commonFlags(folders),
    "--auth",
    "none",
    "--bind-addr",
    `${HOST}:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    options.workspace,
  ];
  // Its own process group, so that stop() reaches the extension host, file watchers and pty host too.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // If the test process ends without stop() (a crash, process.exit), leave nothing behind.
  const killOnExit = (): void => {
    killGroup(child, "SIGKILL");
    if (folders.temporary) rmSync(folders.root, { recursive: true, force: true });
  };
  process.once("exit", killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      killGroup(child, "SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) killGroup(child, "SIGKILL");
    }
    // Children (extension host, watchers) get the SIGTERM too; make sure none outlives us.
    await sleep(300);
    killGroup(child, "SIGKILL");
    log.end();
    if (folders.temporary) rmSync(folders.root, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitUntilServing(url, child, logFile, 90_000);
  } catch (error) {
    const message = (error as Error).message;
    await stop();
    throw new HarnessError(message);
  }

  return {
    url,
    port,
    install,
    workspace: options.workspace,
    userDataDir: folders.userData,
    extensionsDir: folders.extensions,
    logFile,
    workbenchUrl(payload) {
      const query = new URLSearchParams({ folder: options.workspace });
      if (payload && payload.length > 0) query.set("payload", JSON.stringify(payload));
      return `${url}?${query.toString()}`;
    },
    remoteUri(path) {
      return `vscode-remote://${HOST}:${port}${path}`;
    },
    installedExtensionPath(extensionId) {
      const prefix = `${extensionId.toLowerCase()}-`;
      const match = readdirSync(folders.extensions).find((name) => name.toLowerCase().startsWith(prefix));
      if (!match) throw new HarnessError(`${extensionId} is not installed in ${folders.extensions}.`);
      return join(folders.extensions, match);
    },
    stop,
  };
}
