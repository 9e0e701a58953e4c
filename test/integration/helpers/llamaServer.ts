/**
 * llama-server (llama.cpp's HTTP server) for the remote-engine integration tests. The binary is
 * built once, from the llama.cpp source bundled in node-llama-cpp, by
 * scripts/build-llama-server.sh into `.cache/llama-server/bin/` (`npm test` builds it in its
 * `llama-server` step); each test file starts its own server on a free port of 127.0.0.1.
 * test/harness/README.md, "llama-server for the remote-engine tests", has the details.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { connect, createServer } from "node:net";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import { CACHE_ROOT, REPO_ROOT, RESULTS_ROOT } from "../../harness/paths";

/** Where scripts/build-llama-server.sh puts the binary. */
export const LLAMA_SERVER_BINARY = join(CACHE_ROOT, "llama-server", "bin", "llama-server");
/** Each server's log, written as it comes (kept for failed runs; overwritten by the next run). */
export const LLAMA_SERVER_LOGS = join(RESULTS_ROOT, "llama-server");
/** `SELF_BRAKING_LLAMA_SERVER=<binary>` runs the tests against another llama-server build, as it is. */
const BINARY_OVERRIDE = "SELF_BRAKING_LLAMA_SERVER";
const BUILD_SCRIPT = join(REPO_ROOT, "scripts", "build-llama-server.sh");

/** Progress lines on stderr: test reporters keep stdout to themselves. */
function say(message: string): void {
  process.stderr.write(`[llama-server] ${message}\n`);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

let buildFailure: Error | undefined;

/**
 * The llama-server binary's path. Builds it (scripts/build-llama-server.sh, output streamed to
 * stderr; about 6 minutes cold on 2 cores) only when it is missing; a failed build throws, and is
 * not retried by later calls in the same process.
 */
export function ensureLlamaServer(): string {
  const override = process.env[BINARY_OVERRIDE];
  if (override) {
    if (!isExecutableFile(override)) throw new Error(`${BINARY_OVERRIDE}=${override} is not an executable file.`);
    return override;
  }
  if (isExecutableFile(LLAMA_SERVER_BINARY)) return LLAMA_SERVER_BINARY;
  if (buildFailure) throw buildFailure;

  say(`${LLAMA_SERVER_BINARY} is missing: building it with scripts/build-llama-server.sh (about 6 minutes on 2 cores)`);
  const started = Date.now();
  mkdirSync(CACHE_ROOT, { recursive: true });
  // Two test processes that both find the binary missing build one after the other: the second
  // finds the first one's stamp and returns at once.
  const hasFlock = spawnSync("flock", ["--version"], { stdio: "ignore" }).status === 0;
  const [command, args] = hasFlock ? ["flock", [join(CACHE_ROOT, "llama-server.lock"), "bash", BUILD_SCRIPT]] : ["bash", [BUILD_SCRIPT]];
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: ["ignore", 2, 2] });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.error || result.status !== 0 || !isExecutableFile(LLAMA_SERVER_BINARY)) {
    const how = result.error ? result.error.message : result.status !== 0 ? `exit ${result.status ?? result.signal}` : "no binary was written";
    buildFailure = new Error(
      `Building llama-server failed after ${seconds} s (${how}); the build's output is above.\n` +
        `It needs cmake, g++, ninja-build (or make) and git (test/harness/debian-packages.txt; \`node --import tsx test/harness/setup.ts\` installs them as root).\n` +
        `Retry by hand: bash scripts/build-llama-server.sh`,
    );
    throw buildFailure;
  }
  say(`built in ${seconds} s: ${LLAMA_SERVER_BINARY}`);
  return LLAMA_SERVER_BINARY;
}

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no TCP port from the system");
  return address.port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export async function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(2000);
    const answer = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once("connect", () => answer(true));
    socket.once("timeout", () => answer(false));
    socket.once("error", () => answer(false));
  });
}

/**
 * llama-server caps its context at the model's training context (the GGUF's `context_length`,
 * 4096 for a scripted model unless its spec says otherwise), so server tests write their models
 * with this much.
 */
export const SERVER_MODEL_CONTEXT = 32_768;

/** `spec` (by default the overthinking reasoning model) declaring a training context of `contextLength` tokens. */
export function serverModelSpec(spec: ScriptedModelSpec = reasoningModelSpec(OVERTHINKING), contextLength = SERVER_MODEL_CONTEXT): ScriptedModelSpec {
  return { ...spec, contextLength };
}

/** Writes `dir/name` (a scripted GGUF from serverModelSpec) and returns its path. */
export function writeServerModel(dir: string, name: string, options: { spec?: ScriptedModelSpec; contextLength?: number } = {}): string {
  const path = join(dir, name);
  writeFileSync(path, buildScriptedModel(serverModelSpec(options.spec, options.contextLength)).gguf);
  return path;
}

export interface LlamaServerOptions {
  readonly model: string;
  /** `-c`, default 2048. The model must declare at least this much (see serverModelSpec); otherwise start fails. */
  readonly contextSize?: number;
  /** `--api-key`: every route except /health then needs `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Appended last, so they override the defaults (llama.cpp keeps the last value of a flag). */
  readonly extraArgs?: readonly string[];
  /** Log file name under test-results/llama-server/ (default: the model's file name). */
  readonly name?: string;
  /** How long to wait for GET /health to answer 200 (default 30 s). */
  readonly readyTimeoutMs?: number;
}

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningLlamaServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The command line's arguments (the binary not included). */
  readonly args: readonly string[];
  readonly logFile: string;
  /** Settles when the process has exited, however it ended. */
  readonly exited: Promise<ServerExit>;
  /** Everything the server printed so far (stdout and stderr interleaved; the last 8 MB). */
  log(): string;
  /**
   * Sends `signal` (default SIGKILL) and waits (up to 10 s) for the process to exit. SIGSTOP and
   * SIGTSTP wait until it is stopped, SIGCONT until it runs (as /proc shows; up to 2 s). For tests
   * of a server that crashes or hangs.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after a 5 s grace; resolves once the process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The defaults behind every server: one slot and one thread (-np 1 -t 1 -tb 1), a fixed sampling
 * seed, no Web UI, no warm-up run, no busy-polling threads (the CPUs are shared), no memory
 * fitting, no network (--offline) and no colour codes in the log.
 */
export const LLAMA_SERVER_DEFAULT_FLAGS: readonly string[] = [
  "-t", "1", "-tb", "1", "-np", "1", "--seed", "0",
  "--no-webui", "--no-warmup", "--poll", "0", "--fit", "off", "--offline", "--log-colors", "off",
];

const MAX_LOG_CHARS = 8 * 1024 * 1024;
const STOP_GRACE_MS = 5000;
const KILL_WAIT_MS = 10_000;
const BIND_ATTEMPTS = 3;

const running = new Set<ChildProcess>();
const logNames = new Map<string, number>();
let hooksInstalled = false;

/** Kills what is still running when the test process exits or is told to stop. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = (): void => {
    for (const child of running) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    running.clear();
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      // Nobody else handles it: end the way the signal would have ended the process.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function logFileFor(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_") || "llama-server";
  const count = (logNames.get(safe) ?? 0) + 1;
  logNames.set(safe, count);
  return join(LLAMA_SERVER_LOGS, `${count === 1 ? safe : `${safe}-${count}`}.log`);
}

/** Environment for the server: no inherited LLAMA_* variables (llama.cpp reads LLAMA_ARG_*, LLAMA_API_KEY, LLAMA_LOG_* as flags). */
function serverEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("LLAMA_")));
}

/** Waits (up to 2 s) until /proc says the process is stopped (`stopped`) or not; returns at once where /proc cannot tell. */
async function settlesStopped(pid: number | undefined, stopped: boolean): Promise<void> {
  if (pid === undefined) return;
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    let state: string | undefined;
    try {
      // "pid (comm) S …": the state follows the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    } catch {
      return;
    }
    if ((state === "T") === stopped) return;
    await sleep(5);
  }
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

interface Launched {
  readonly server: RunningLlamaServer;
  readonly exitedEarly: () => ServerExit | undefined;
}

function launch(binary: string, args: string[], port: number, logFile: string, append: boolean): Launched {
  mkdirSync(LLAMA_SERVER_LOGS, { recursive: true });
  const file: WriteStream = createWriteStream(logFile, { flags: append ? "a" : "w" });
  file.write(`$ ${binary} ${args.join(" ")}\n`);
  file.on("error", (error) => {
    text += `\n[llama-server helper] cannot write ${logFile}: ${error.message}\n`;
  });
  let text = "";
  const child = spawn(binary, args, { cwd: REPO_ROOT, env: serverEnv(), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const record = (chunk: Buffer): void => {
    text += chunk.toString("utf8");
    if (text.length > MAX_LOG_CHARS) text = text.slice(-MAX_LOG_CHARS);
    file.write(chunk);
  };
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);

  let exit: ServerExit | undefined;
  const exited = new Promise<ServerExit>((resolve) => {
    const done = (result: ServerExit, note: string): void => {
      if (exit) return;
      exit = result;
      running.delete(child);
      // Settles once the log file is complete, so a test may read it right after stop().
      if (file.writable) file.end(`\n[llama-server helper] ${note}\n`, () => resolve(result));
      else resolve(result);
    };
    // "close" comes after the process exited and its output was read to the end.
    child.once("close", (code, signal) => done({ code, signal }, `exited: code ${code}, signal ${signal}`));
    child.once("error", (error) => {
      text += `\n[spawn error] ${error.message}\n`;
      done({ code: null, signal: null }, `spawn error: ${error.message}`);
    });
  });

  const signal = (name: NodeJS.Signals): void => {
    if (exit) return;
    try {
      child.kill(name);
    } catch {
      // already gone
    }
  };

  /** Whether the process exits within `ms` (the timer is cleared, so it does not hold the test process open). */
  const exitsWithin = async (ms: number): Promise<boolean> => {
    const timer = new AbortController();
    try {
      return await Promise.race([exited.then(() => true), sleep(ms, false, { signal: timer.signal })]);
    } finally {
      timer.abort();
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exit) return;
      signal("SIGTERM");
      signal("SIGCONT"); // a server stopped by a test (SIGSTOP) handles SIGTERM only once it runs again
      if (!(await exitsWithin(STOP_GRACE_MS))) {
        signal("SIGKILL");
        await exited;
      }
    })();
    return stopping;
  };

  const kill = async (name: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    signal(name);
    if (name === "SIGSTOP" || name === "SIGTSTP" || name === "SIGCONT") {
      await settlesStopped(child.pid, name !== "SIGCONT");
      return;
    }
    const gone = await exitsWithin(KILL_WAIT_MS);
    if (!gone) throw new Error(`llama-server (pid ${child.pid}) did not exit within ${KILL_WAIT_MS / 1000} s of ${name}; stop() kills it.`);
  };

  const server: RunningLlamaServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    args,
    logFile,
    exited,
    log: () => text,
    kill,
    stop,
  };
  return { server, exitedEarly: () => exit };
}

async function healthStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined; // not listening yet
  }
}

/** The context the server actually gave its slot (it caps -c at the model's training context). */
async function slotContext(server: RunningLlamaServer, apiKey: string | undefined): Promise<number | undefined> {
  const response = await fetch(`${server.url}/props`, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(5000) });
  if (!response.ok) return undefined;
  const props = (await response.json()) as { default_generation_settings?: { n_ctx?: unknown } };
  const nCtx = props.default_generation_settings?.n_ctx;
  return typeof nCtx === "number" ? nCtx : undefined;
}

/**
 * Starts llama-server on `options.model` on a free port of 127.0.0.1 and resolves once GET /health
 * answers 200. The log goes to a string (`log()`) and to test-results/llama-server/<name>.log.
 * Call `stop()` when done (an `after` hook); a process exit kills whatever is left.
 */
export async function startLlamaServer(options: LlamaServerOptions): Promise<RunningLlamaServer> {
  const binary = ensureLlamaServer();
  installExitHooks();
  const contextSize = options.contextSize ?? 2048;
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const logFile = logFileFor(options.name ?? basename(options.model));

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = [
      "-m", options.model, "--host", "127.0.0.1", "--port", String(port), "-c", String(contextSize),
      ...LLAMA_SERVER_DEFAULT_FLAGS,
      ...(options.apiKey !== undefined ? ["--api-key", options.apiKey] : []),
      ...(options.extraArgs ?? []),
    ];
    const { server, exitedEarly } = launch(binary, args, port, logFile, attempt > 1);
    const deadline = Date.now() + timeoutMs;
    let status: number | undefined;
    while (!exitedEarly() && Date.now() < deadline) {
      status = await healthStatus(server.url);
      if (status === 200) break;
      await sleep(50);
    }
    const early = exitedEarly();
    if (early) {
      // Another process took the port between freePort() and the server's bind: try another one.
      if (/couldn't bind/i.test(server.log()) && attempt < BIND_ATTEMPTS) continue;
      throw new Error(
        `llama-server exited while starting (code ${early.code}, signal ${early.signal}): ${binary} ${args.join(" ")}\n` +
          `${tail(server.log())}\nThe full log: ${logFile}`,
      );
    }
    if (status !== 200) {
      await server.stop();
      throw new Error(
        `llama-server did not answer GET /health with 200 within ${timeoutMs / 1000} s (last: ${status ?? "no connection"}): ${binary} ${args.join(" ")}\n` +
          `${tail(server.log())}\nThe full log: ${logFile}`,
      );
    }
    const nCtx = await slotContext(server, options.apiKey).catch(() => undefined);
    if (nCtx !== undefined && nCtx < contextSize) {
      await server.stop();
      throw new Error(
        `llama-server capped the context at ${nCtx} tokens (asked for ${contextSize}): the model's training context is smaller. ` +
          `Write the model with writeServerModel()/serverModelSpec() and a contextLength of at least ${contextSize}.\n${tail(server.log(), 15)}`,
      );
    }
    return server;
  }
}
