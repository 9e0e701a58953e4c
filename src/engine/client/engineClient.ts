/**
 * What the extension and the CLI use to run the engine: starts the engine process on demand,
 * loads the configured model, answers one question at a time (others wait in a visible queue),
 * recovers from crashes (the running question fails with a clear error, the next one starts a
 * fresh engine) and unloads after an idle period. No vscode in here.
 */
import { EngineError } from "../common/errors";
import type { EngineRequest } from "../common/protocol";
import type { AskRequest, EngineStatus, GenerationResult, LoadConfig, LoadReport } from "../common/types";
import { AskHandle } from "./askHandle";
import type { AskControls } from "./askHandle";
import { EngineProcess } from "./engineProcess";
import { resolveEngineLaunch } from "./launch";
import type { EngineProcessOptions } from "./engineProcess";

export type EngineState = "stopped" | "starting" | "loading" | "ready" | "generating";

export interface EngineClientOptions {
  /** Default: engine.js next to the bundle that contains this client (dist/), or the TypeScript entry through tsx from source. */
  readonly enginePath?: string;
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** selfBraking.model.idleUnloadMinutes: stop the engine (freeing all its memory) after this long idle; 0 never. */
  readonly idleUnloadMinutes?: number;
  /** Questions allowed to wait behind the running one; more are refused. Default 4. */
  readonly maxQueue?: number;
  readonly startTimeoutMs?: number;
  readonly onLog?: EngineProcessOptions["onLog"];
}

interface Job {
  readonly handle: AskHandle;
  /** Runs on the engine; the handle is settled with the outcome once the job is off the queue. */
  readonly run: (proc: EngineProcess) => Promise<GenerationResult>;
  cancelled: boolean;
}

let counter = 0;
function nextId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export class EngineClient {
  private proc: EngineProcess | null = null;
  private starting: Promise<EngineProcess> | null = null;
  private loadedKey: string | null = null;
  private reportValue: LoadReport | null = null;
  private readonly queue: Job[] = [];
  private active: Job | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private stateValue: EngineState = "stopped";
  private readonly stateListeners = new Set<(state: EngineState) => void>();
  private disposed = false;
  private readonly controls: AskControls;

  constructor(
    private config: LoadConfig,
    private readonly options: EngineClientOptions = {},
  ) {
    this.controls = {
      answerNow: (id) => this.answerNow(id),
      cancel: (id) => this.cancel(id),
      continueThinking: (id, extra) => this.continueThinking(id, extra),
    };
  }

  get state(): EngineState {
    return this.stateValue;
  }

  /** What the engine reported when it loaded the current model (null when none is loaded). */
  get report(): LoadReport | null {
    return this.reportValue;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Questions waiting behind the running one. */
  get queueLength(): number {
    return this.queue.length;
  }

  onStateChange(listener: (state: EngineState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** New model settings: the next question loads the model again if they changed. */
  setLoadConfig(config: LoadConfig): void {
    this.config = config;
  }

  /** Asks a question. Events stream on the handle; `handle.result` has the accounting. */
  ask(request: AskRequest): AskHandle {
    const handle = new AskHandle(nextId("ask"), this.controls);
    return this.enqueue(handle, async (proc) => {
      await this.ensureLoaded(proc, handle);
      if (this.active?.cancelled) throw new EngineError("cancelled", "The question was cancelled before the model started answering.");
      return this.exchange(proc, { kind: "ask", id: handle.id, request }, handle);
    });
  }

  /**
   * "Continue thinking" after a brake. While that answer is still streaming it resumes in place
   * (the same handle is returned); afterwards it streams on a new handle.
   */
  continueThinking(targetId: string, extraThinkingTokens?: number): AskHandle {
    const running = this.active;
    if (running && running.handle.id === targetId && running.handle.state === "running" && this.proc) {
      this.proc.send({ kind: "continueThinking", id: nextId("continue"), target: targetId, ...(extraThinkingTokens ? { extraThinkingTokens } : {}) });
      return running.handle;
    }
    const handle = new AskHandle(nextId("continue"), this.controls);
    return this.enqueue(handle, (proc) =>
      this.exchange(proc, { kind: "continueThinking", id: handle.id, target: targetId, ...(extraThinkingTokens ? { extraThinkingTokens } : {}) }, handle),
    );
  }

  /** Starts the engine process without loading a model (to warm it up). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const handle = new AskHandle(nextId("start"), this.controls);
      handle.result.catch(reject);
      this.enqueue(handle, async () => {
        resolve();
        return EMPTY_RESULT;
      });
    });
  }

  /** Loads the configured model now (it is otherwise loaded by the first question). */
  load(): Promise<LoadReport> {
    return new Promise<LoadReport>((resolve, reject) => {
      const handle = new AskHandle(nextId("load"), this.controls);
      handle.result.catch(reject);
      this.enqueue(handle, async (proc) => {
        resolve(await this.ensureLoaded(proc, handle));
        return EMPTY_RESULT;
      });
    });
  }

  /** Frees the model's memory but keeps the engine process. */
  async unload(): Promise<void> {
    const proc = this.proc;
    this.loadedKey = null;
    this.reportValue = null;
    if (!proc || !proc.alive) return;
    await new Promise<void>((resolve) => {
      const id = nextId("unload");
      proc.request({ kind: "unload", id }, { onMessage: () => (proc.release(id), resolve()), onExit: () => resolve() });
    });
    if (!this.active) this.setState("stopped");
  }

  async status(): Promise<EngineStatus> {
    const proc = this.proc;
    if (!proc || !proc.alive) return { loaded: false, report: null, rssBytes: 0, generating: false, canContinue: false };
    return new Promise<EngineStatus>((resolve, reject) => {
      const id = nextId("status");
      proc.request(
        { kind: "status", id },
        {
          onMessage: (message) => {
            proc.release(id);
            if (message.kind === "status") resolve(message.status);
            else if (message.kind === "error") reject(EngineError.fromData(message.error));
          },
          onExit: reject,
        },
      );
    });
  }

  /** Stops the engine process (freeing all its memory); the next question starts it again. */
  async stop(): Promise<void> {
    this.clearIdle();
    const proc = this.proc;
    this.proc = null;
    this.loadedKey = null;
    this.reportValue = null;
    if (proc) await proc.shutdown();
    this.setState("stopped");
  }

  /** Stops the engine and fails every waiting question. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.handle.fail(new EngineError("cancelled", "The engine was shut down."));
    await this.stop();
  }

  // ---- queue ----

  private enqueue(handle: AskHandle, run: Job["run"]): AskHandle {
    if (this.disposed) {
      handle.fail(new EngineError("cancelled", "The engine has been shut down."));
      return handle;
    }
    const limit = this.options.maxQueue ?? 4;
    if (this.active && this.queue.length >= limit) {
      handle.fail(new EngineError("busy", `The model is busy: ${this.queue.length} question${this.queue.length === 1 ? " is" : "s are"} already waiting. Try again when it has answered.`));
      return handle;
    }
    this.clearIdle();
    this.queue.push({ handle, run, cancelled: false });
    this.announceQueue();
    void this.pump();
    return handle;
  }

  private announceQueue(): void {
    this.queue.forEach((job, i) => job.handle.emit({ type: "queued", position: i + 1 }));
  }

  private async pump(): Promise<void> {
    if (this.active) return;
    const job = this.queue.shift();
    if (!job) {
      this.scheduleIdle();
      return;
    }
    this.active = job;
    this.announceQueue();
    job.handle.markRunning();
    let outcome: { ok: true; result: GenerationResult } | { ok: false; error: EngineError };
    try {
      const proc = await this.ensureProcess(job.handle);
      outcome = { ok: true, result: await job.run(proc) };
    } catch (error) {
      outcome = { ok: false, error: error instanceof EngineError ? error : new EngineError("internal", error instanceof Error ? error.message : String(error)) };
    }
    // Off the queue first, so whoever awaits the result finds the client idle.
    this.active = null;
    this.setState(this.proc?.alive ? (this.loadedKey ? "ready" : "stopped") : "stopped");
    if (outcome.ok) job.handle.complete(outcome.result);
    else job.handle.fail(outcome.error);
    void this.pump();
  }

  private async ensureProcess(handle: AskHandle): Promise<EngineProcess> {
    if (this.proc?.alive) return this.proc;
    if (!this.starting) {
      this.setState("starting");
      handle.emit({ type: "engine-starting" });
      const launch = this.options.enginePath === undefined ? resolveEngineLaunch() : { enginePath: this.options.enginePath, execArgv: [] };
      this.starting = EngineProcess.start({
        enginePath: launch.enginePath,
        execArgv: this.options.execArgv ?? launch.execArgv,
        env: this.options.env,
        startTimeoutMs: this.options.startTimeoutMs,
        onLog: this.options.onLog,
      });
    }
    try {
      const proc = await this.starting;
      this.proc = proc;
      this.loadedKey = null;
      this.reportValue = null;
      proc.onExit(() => {
        if (this.proc === proc) {
          this.proc = null;
          this.loadedKey = null;
          this.reportValue = null;
          this.setState("stopped");
        }
      });
      return proc;
    } catch (error) {
      this.setState("stopped");
      throw error;
    } finally {
      this.starting = null;
    }
  }

  private async ensureLoaded(proc: EngineProcess, handle: AskHandle): Promise<LoadReport> {
    const key = JSON.stringify(this.config);
    if (this.loadedKey === key && this.reportValue) return this.reportValue;
    // the engine unloads the current model before loading another: if this load fails, nothing is loaded
    this.loadedKey = null;
    this.reportValue = null;
    this.setState("loading");
    const id = `${handle.id}:load`;
    const report = await new Promise<LoadReport>((resolve, reject) => {
      proc.request(
        { kind: "load", id, config: this.config },
        {
          onMessage: (message) => {
            if (message.kind === "loadProgress") handle.emit({ type: "loading", progress: message.progress });
            else if (message.kind === "loaded") {
              proc.release(id);
              resolve(message.report);
            } else if (message.kind === "error") {
              proc.release(id);
              reject(EngineError.fromData(message.error));
            }
          },
          onExit: reject,
        },
      );
    });
    this.loadedKey = key;
    this.reportValue = report;
    handle.emit({ type: "loaded", report });
    this.setState("ready");
    return report;
  }

  /** Sends a streaming request: events go to the handle, the promise settles with the outcome. */
  private exchange(proc: EngineProcess, request: Extract<EngineRequest, { kind: "ask" | "continueThinking" }>, handle: AskHandle): Promise<GenerationResult> {
    this.setState("generating");
    return new Promise<GenerationResult>((resolve, reject) => {
      proc.request(request, {
        onMessage: (message) => {
          switch (message.kind) {
            case "event":
              handle.emit(message.event);
              return;
            case "done":
              proc.release(request.id);
              resolve(message.result);
              return;
            case "error":
              proc.release(request.id);
              reject(EngineError.fromData(message.error));
              return;
            default:
              return;
          }
        },
        onExit: reject,
      });
    });
  }

  private answerNow(id: string): void {
    if (this.active?.handle.id === id && this.proc) this.proc.send({ kind: "answerNow", id: nextId("answer-now"), target: id });
  }

  private cancel(id: string): void {
    const index = this.queue.findIndex((job) => job.handle.id === id);
    if (index >= 0) {
      const [job] = this.queue.splice(index, 1);
      job?.handle.fail(new EngineError("cancelled", "The question was cancelled before the model started answering."));
      this.announceQueue();
      return;
    }
    if (this.active?.handle.id === id) {
      this.active.cancelled = true;
      this.proc?.send({ kind: "cancel", id: nextId("cancel"), target: id });
    }
  }

  private scheduleIdle(): void {
    this.clearIdle();
    const minutes = this.options.idleUnloadMinutes ?? 0;
    if (minutes <= 0 || !this.proc) return;
    this.idleTimer = setTimeout(() => void this.stop(), minutes * 60_000);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private setState(state: EngineState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** Placeholder result for jobs that produce none (an explicit load). */
const EMPTY_RESULT: GenerationResult = {
  answer: "",
  thinking: "",
  thinkingMode: "not-applicable",
  braked: false,
  brake: null,
  probes: [],
  stopReason: "eos",
  tokens: { prompt: 0, promptEvaluated: 0, thinking: 0, cue: 0, probe: 0, answer: 0, discarded: 0, reEvaluated: 0, saved: { estimate: 0, method: "" } },
  timings: { ttftMs: 0, promptEvalMs: 0, thinkingMs: 0, brakeToAnswerMs: null, totalMs: 0, tokensPerSecond: 0, engineMs: 0 },
  continued: 0,
};
