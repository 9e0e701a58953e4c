/**
 * `npm start` (scripts/start.mjs): the packaged extension served in code-server until Ctrl+C.
 * State (user settings, the installed extension, the workspace) persists in `.cache/start/`, so a
 * chosen model survives restarts.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startCodeServer } from "./code-server";
import { ensureCodeServer } from "./code-server-install";
import { say, since } from "./log";
import { CACHE_ROOT, REPO_ROOT } from "./paths";
import { SAMPLE_WORKSPACE } from "./session";
import { ensureSystemPackages } from "./system-packages";

const STATE_DIR = join(CACHE_ROOT, "start");
const WORKSPACE = join(STATE_DIR, "workspace");
const DEMO_MODEL = join(STATE_DIR, "demo-model.gguf");
const CLI = join(REPO_ROOT, "dist", "cli.js");

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The demo model: the CLI's `demo-model` command writes the tiny generated GGUF that scripted
 * replies come from (docs/ENGINE.md, "The scripted model"). Returns undefined when the
 * CLI is not built or cannot make one.
 */
function demoModel(): string | undefined {
  if (existsSync(DEMO_MODEL)) return DEMO_MODEL;
  if (!existsSync(CLI)) return undefined;
  if (spawnSync(process.execPath, [CLI, "demo-model", "--help"], { stdio: "ignore" }).status !== 0) return undefined;
  const made = spawnSync(process.execPath, [CLI, "demo-model", DEMO_MODEL], { stdio: ["ignore", process.stderr, process.stderr] });
  return made.status === 0 && existsSync(DEMO_MODEL) ? DEMO_MODEL : undefined;
}

/** The model path already chosen in this state's settings (remote "Machine" settings first: Choose Model writes there in code-server), if any. */
function chosenModel(): string | undefined {
  for (const scope of ["Machine", "User"]) {
    const file = join(STATE_DIR, "user-data", scope, "settings.json");
    if (!existsSync(file)) continue;
    try {
      const value = (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)["selfBraking.model.path"];
      if (typeof value === "string" && value !== "") return value;
    } catch {
      continue;
    }
  }
  return undefined;
}

export interface ServeOptions {
  readonly vsix: string;
  /** Preferred port (default 8080, else any free one). */
  readonly port?: number;
}

export async function serve({ vsix, port = 8080 }: ServeOptions): Promise<void> {
  const started = Date.now();
  ensureSystemPackages();
  await ensureCodeServer();
  mkdirSync(STATE_DIR, { recursive: true });
  if (!existsSync(WORKSPACE)) cpSync(SAMPLE_WORKSPACE, WORKSPACE, { recursive: true });

  const userSettings: Record<string, unknown> = {};
  const model = chosenModel();
  const demo = model === undefined ? demoModel() : undefined;
  if (demo) userSettings["selfBraking.model.path"] = demo;

  const codeServer = await startCodeServer({
    workspace: WORKSPACE,
    vsix,
    stateDir: STATE_DIR,
    userSettings,
    ...((await portIsFree(port)) ? { port } : {}),
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping code-server`);
    await codeServer.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("Ctrl+C"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  const modelLine = model
    ? `model: ${model} (selfBraking.model.path)`
    : demo
      ? `model: the demo model ${demo} (scripted replies, not a real reasoner)`
      : "model: none yet: choose a GGUF file in the view (`self-braking demo-model` could not make the demo model)";
  process.stdout.write(
    [
      "",
      `Self-Braking Reasoner is running in VS Code ${"(code-server " + codeServer.install.version + ")"}, ready in ${since(started)}:`,
      "",
      `    ${codeServer.workbenchUrl()}`,
      "",
      `  workspace: ${WORKSPACE}`,
      `  ${modelLine}`,
      `  state (settings, extension): ${STATE_DIR}   log: ${codeServer.logFile}`,
      "  Open the Self-Braking Reasoner icon in the activity bar. Ctrl+C stops.",
      "",
    ].join("\n") + "\n",
  );
  // Keep running until a signal arrives.
  await new Promise<never>(() => undefined);
}
