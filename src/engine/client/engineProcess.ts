/**
 * The engine child process seen from the parent: fork, handshake, validated messages routed
 * by request id, and what happens when it dies.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { EngineError } from "../common/errors";
import { parseEngineMessage } from "../common/protocol";
import type { EngineMessage, EngineRequest } from "../common/protocol";

export interface EngineProcessOptions {
  /** Path of dist/engine.js (or src/engine/process/main.ts with execArgv `--import tsx`). */
  readonly enginePath: string;
  /** Node options for the child; the parent's own (inspector, loaders) are not inherited. */
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
  readonly onLog?: (level: "debug" | "info" | "warn" | "error", message: string) => void;
}

export type MessageHandler = {
  onMessage(message: Exclude<EngineMessage, { kind: "hello" | "log" }>): void;
  onExit(error: EngineError): void;
};

const STDERR_LINES = 20;

export class EngineProcess {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly exitListeners = new Set<(error: EngineError | null) => void>();
  private readonly stderrTail: string[] = [];
  private exitExpected = false;
  /** Why the client killed the engine (the watchdog): what its requests fail with. */
  private terminationError: EngineError | null = null;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: EngineProcessOptions,
  ) {}

  static start(options: EngineProcessOptions): Promise<EngineProcess> {
    const child = fork(options.enginePath, [], {
      execArgv: [...(options.execArgv ?? [])],
      // In VS Code's extension host process.execPath is Electron: make it behave as node.
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: "1" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const proc = new EngineProcess(child, options);
    return proc.handshake();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private handshake(): Promise<EngineProcess> {
    const { child } = this;
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) {
        if (line.trim().length === 0) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_LINES) this.stderrTail.shift();
        this.options.onLog?.("warn", `engine stderr: ${line}`);
      }
    });
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => this.options.onLog?.("debug", `engine stdout: ${chunk.trimEnd()}`));
    return new Promise<EngineProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new EngineError("engine-start-failed", `The engine process did not start within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      let ready = false;
      child.on("message", (raw: unknown) => {
        const parsed = parseEngineMessage(raw);
        if (!parsed.ok) {
          this.options.onLog?.("error", `engine sent an ${parsed.problem}`);
          return;
        }
        const message = parsed.value;
        if (message.kind === "hello") {
          ready = true;
          clearTimeout(timer);
          resolve(this);
          return;
        }
        this.route(message);
      });
      child.on("error", (error) => {
        if (!ready) {
          clearTimeout(timer);
          reject(new EngineError("engine-start-failed", `The engine process could not be started: ${error.message}`));
        }
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (this.terminationError !== null) return; // already reported by terminate()
        this.exited = true;
        const error = this.exitExpected ? null : this.crashError(code, signal);
        if (!ready) {
          reject(error ?? new EngineError("engine-start-failed", "The engine process exited before it was ready."));
          return;
        }
        this.reportExit(error);
      });
    });
  }

  private crashError(code: number | null, signal: NodeJS.Signals | null): EngineError {
    const how = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
    const last = this.stderrTail.at(-1);
    return new EngineError(
      "engine-crashed",
      `The model engine stopped unexpectedly (${how})${last ? `; its last words: ${last}` : ""}. ` +
        "This can happen when the model runs out of memory or a GPU driver fails. Your conversation is kept: ask again to start a fresh engine.",
      { signal: signal ?? null, exitCode: code, stderr: this.stderrTail.join("\n").slice(-2000) },
    );
  }

  private route(message: Exclude<EngineMessage, { kind: "hello" }>): void {
    if (message.kind === "log") {
      this.options.onLog?.(message.level, message.message);
      return;
    }
    if (message.id === null) {
      this.options.onLog?.("error", `engine: ${message.kind === "error" ? message.error.message : message.kind}`);
      return;
    }
    const handler = this.handlers.get(message.id);
    if (!handler) {
      if (message.kind === "error") this.options.onLog?.("warn", `engine error for finished request ${message.id}: ${message.error.message}`);
      return;
    }
    handler.onMessage(message);
  }

  /** Sends a request; `handler` gets its replies until `release(id)`. */
  request(message: EngineRequest, handler: MessageHandler): void {
    if (this.exited) {
      handler.onExit(new EngineError("engine-crashed", "The engine process is not running."));
      return;
    }
    this.handlers.set(message.id, handler);
    this.send(message);
  }

  release(id: string): void {
    this.handlers.delete(id);
  }

  send(message: EngineRequest): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(message);
  }

  onExit(listener: (error: EngineError | null) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Asks the engine to free everything and exit; kills it if it does not within `timeoutMs`. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    if (this.exited) return;
    this.exitExpected = true;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ kind: "shutdown", id: `shutdown-${Date.now()}` });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.exitExpected = true;
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /**
   * Kills the engine (SIGKILL: it may be stopped or wedged) and fails its pending requests with
   * `error` at once: a process stuck in the kernel (a hung driver call) may not exit until that
   * call returns, and nobody should wait for it. It is reaped whenever it does exit.
   */
  terminate(error: EngineError): void {
    if (this.exited) return;
    this.terminationError = error;
    this.exited = true;
    this.child.kill("SIGKILL");
    this.reportExit(error);
  }

  private reportExit(error: EngineError | null): void {
    for (const handler of this.handlers.values()) handler.onExit(error ?? new EngineError("cancelled", "The engine was stopped."));
    this.handlers.clear();
    for (const listener of this.exitListeners) listener(error);
  }

}
