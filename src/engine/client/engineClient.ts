/**
 * What the extension and the CLI use to run the engine: starts the engine process on demand,
 * loads the configured model, answers one question at a time (the caller queues: the chat
 * session does), recovers from crashes (the running question fails with a clear error, the next
 * one starts a fresh engine), keeps a watchdog on every exchange (an engine that stops
 * responding is killed, never waited on forever) and unloads after an idle period. No vscode here.
 */
import { EngineError } from "../common/errors";
import type { EngineRequest } from "../common/protocol";
import type { AskEvent, AskRequest, EngineStatus, FitEstimate, FitOptions, GenerationResult, GpuChoice, LoadConfig, LoadReport, MachineState } from "../common/types";
import { AskHandle } from "./askHandle";
import type { AskControls } from "./askHandle";
import { Deadline } from "./deadline";
import type { WatchdogLimits } from "./deadline";
import { EngineProcess } from "./engineProcess";
import type { EngineProcessOptions, MessageHandler } from "./engineProcess";
import { resolveEngineLaunch } from "./launch";
import { Relay } from "./relay";

export type EngineState = "stopped" | "starting" | "loading" | "ready" | "generating";

export interface EngineClientOptions {
  /** Default: engine.js next to the bundle that contains this client (dist/), or the TypeScript entry through tsx from source. */
  readonly enginePath?: string;
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** selfBraking.model.idleUnloadMinutes: stop the engine (freeing all its memory) after this long idle; 0 never. */
  readonly idleUnloadMinutes?: number;
  readonly startTimeoutMs?: number;
  /** When to give up on an engine that stopped responding (defaults: {@link DEFAULT_WATCHDOG}). */
  readonly watchdog?: Partial<WatchdogLimits>;
  readonly onLog?: EngineProcessOptions["onLog"];
}

/**
 * `stallMs`: measured on the slow scripted model on a loaded 2-core machine, the longest silence
 * of a working engine reading and thinking was 1.7 s (docs/BENCHMARKS.md, "Stop and the
 * watchdog"); a minute leaves a wide margin for real models on slow machines. Stop settles
 * within a second on a healthy engine, so ten seconds of silence after it only catch a stuck one.
 */
export const DEFAULT_WATCHDOG: WatchdogLimits = { stallMs: 60_000, cancelGraceMs: 10_000, controlMs: 10_000 };

/** However much it still says, an engine that has not stopped this many grace periods after Stop is stuck. */
const CANCEL_LIMIT_FACTOR = 3;

/** The one thing the engine is working on for the client: a question, a continuation or a load. */
interface Operation {
  /** The id Stop and Answer now name (the handle's, for a question). */
  readonly id: string;
  readonly emit: (event: AskEvent) => void;
  /** The question's handle (none for a load). */
  readonly handle?: AskHandle;
  /** The id of the engine request in flight for it (its load, then its question). */
  requestId: string | null;
  cancelled: boolean;
  /** After Stop: silence from the engine past the grace period, or no end at all by the hard limit, means it is stuck. */
  grace: Deadline | null;
  graceLimit: Deadline | null;
  /** Settles when the client is done with the operation (idle again). */
  readonly ended: Promise<void>;
  readonly end: () => void;
}

type Reply = Parameters<MessageHandler["onMessage"]>[0];

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
  private active: Operation | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private stateValue: EngineState = "stopped";
  private readonly stateListeners = new Set<(state: EngineState) => void>();
  private disposed = false;
  private readonly controls: AskControls;
  private readonly limits: WatchdogLimits;

  constructor(
    private config: LoadConfig,
    private readonly options: EngineClientOptions = {},
  ) {
    this.limits = { ...DEFAULT_WATCHDOG, ...options.watchdog };
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

  /** Whether a question (or a load) is running. */
  get busy(): boolean {
    return this.active !== null;
  }

  onStateChange(listener: (state: EngineState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** New model settings: the next question loads the model again if they changed. */
  setLoadConfig(config: LoadConfig): void {
    this.config = config;
  }

  /**
   * Asks a question. Events stream on the handle; `handle.result` has the accounting. One at a
   * time: while another question runs, the handle fails with `busy` (the caller queues).
   */
  ask(request: AskRequest): AskHandle {
    const handle = new AskHandle(nextId("ask"), this.controls);
    this.settle(
      handle,
      this.run(operationFor(handle), async (proc, op) => {
        await this.ensureLoaded(proc, op);
        // Stopped while the engine started or the model was cached (nothing was sent to cancel).
        if (op.cancelled) throw cancelledBeforeAnswer();
        return this.stream(proc, op, { kind: "ask", id: handle.id, request });
      }),
    );
    return handle;
  }

  /** Starts the engine process without loading a model (to warm it up). */
  async start(): Promise<void> {
    this.refuseWhenBusy();
    await this.ensureProcess(null);
    this.scheduleIdle();
  }

  /** Loads the configured model now (it is otherwise loaded by the first question); `onEvent` hears its progress. */
  load(onEvent: (event: AskEvent) => void = () => undefined): Promise<LoadReport> {
    return this.run(newOperation(nextId("load"), onEvent), (proc, op) => this.ensureLoaded(proc, op));
  }

  /** Frees the model's memory but keeps the engine process. */
  async unload(): Promise<void> {
    const proc = this.proc;
    this.loadedKey = null;
    this.reportValue = null;
    if (!proc || !proc.alive) return;
    await this.control(proc, { kind: "unload", id: nextId("unload") }, (message) => (message.kind === "ok" ? true : undefined), this.limits.controlMs * 3);
    if (!this.active) this.setState("stopped");
  }

  /** The engine's state; an engine that does not answer within the control deadline is killed. */
  async status(): Promise<EngineStatus> {
    const proc = this.proc;
    if (!proc || !proc.alive) return { loaded: false, report: null, rssBytes: 0, generating: false, canContinue: false };
    return this.control(proc, { kind: "status", id: nextId("status") }, (message) => (message.kind === "status" ? message.status : undefined), this.limits.controlMs);
  }

  /**
   * Whether the GGUF at `modelPath` fits this machine with these settings: the engine reads its
   * header and the machine's memory (nothing is loaded). A read-only query: it may run beside a
   * question. Missing or damaged files reject with the load's EngineError codes.
   */
  async fit(modelPath: string, options: FitOptions): Promise<FitEstimate> {
    const proc = await this.queryProcess();
    return this.control(proc, { kind: "fit", id: nextId("fit"), modelPath, options }, (message) => (message.kind === "fit" ? message.fit : undefined), this.queryMs());
  }

  /** This machine's RAM and GPU as the backend for `gpu` sees them (for estimates of models not downloaded yet). */
  async machine(gpu: GpuChoice): Promise<MachineState> {
    const proc = await this.queryProcess();
    return this.control(proc, { kind: "machine", id: nextId("machine"), gpu }, (message) => (message.kind === "machine" ? message.machine : undefined), this.queryMs());
  }

  /** The engine process for a query, started when needed (a query does not count as an operation: it is never refused as busy). */
  private async queryProcess(): Promise<EngineProcess> {
    if (this.disposed) throw new EngineError("cancelled", "The engine has been shut down.");
    this.clearIdle();
    try {
      return await this.ensureProcess(null);
    } catch (error) {
      throw asEngineError(error);
    } finally {
      if (!this.active) this.setState(this.proc?.alive ? (this.loadedKey ? "ready" : "stopped") : "stopped");
      this.scheduleIdle();
    }
  }

  /** A query may import node-llama-cpp and open a backend first (seconds): it gets the stall limit, at least a minute. */
  private queryMs(): number {
    return Math.max(this.limits.stallMs, this.limits.controlMs * 6, 60_000);
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

  /** Stops the engine; a running question ends with the engine. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  // ---- one operation at a time ----

  private refuseWhenBusy(): void {
    if (this.disposed) throw new EngineError("cancelled", "The engine has been shut down.");
    if (this.active) throw new EngineError("busy", "The model is answering another question. Wait for it to finish or stop it.");
  }

  /** Runs an operation on the engine; the client is idle again when the returned promise settles. */
  private async run<T>(op: Operation, work: (proc: EngineProcess, op: Operation) => Promise<T>): Promise<T> {
    this.refuseWhenBusy();
    this.clearIdle();
    this.active = op;
    try {
      const proc = await this.ensureProcess(op);
      return await work(proc, op);
    } catch (error) {
      throw asEngineError(error);
    } finally {
      op.grace?.clear();
      op.graceLimit?.clear();
      if (this.active === op) this.active = null;
      this.setState(this.proc?.alive ? (this.loadedKey ? "ready" : "stopped") : "stopped");
      this.scheduleIdle();
      op.end();
    }
  }

  private settle(handle: AskHandle, outcome: Promise<GenerationResult>): void {
    outcome.then(
      (result) => handle.complete(result),
      (error: unknown) => handle.fail(asEngineError(error)),
    );
  }

  private async ensureProcess(op: Operation | null): Promise<EngineProcess> {
    if (this.proc?.alive) return this.proc;
    if (!this.starting) {
      this.setState("starting");
      op?.emit({ type: "engine-starting" });
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
      if (op?.cancelled) throw cancelledBeforeAnswer();
      return proc;
    } catch (error) {
      this.setState("stopped");
      throw error;
    } finally {
      this.starting = null;
    }
  }

  private async ensureLoaded(proc: EngineProcess, op: Operation): Promise<LoadReport> {
    const key = JSON.stringify(this.config);
    if (this.loadedKey === key && this.reportValue) return this.reportValue;
    // the engine unloads the current model before loading another: if this load fails, nothing is loaded
    this.loadedKey = null;
    this.reportValue = null;
    this.setState("loading");
    const id = `${op.id}:load`;
    const report = await this.exchange<LoadReport>(proc, op, { kind: "load", id, config: this.config }, (message, settle) => {
      if (message.kind === "loadProgress") op.emit({ type: "loading", progress: message.progress });
      else if (message.kind === "loaded") settle.resolve(message.report);
    });
    this.loadedKey = key;
    this.reportValue = report;
    op.emit({ type: "loaded", report });
    this.setState("ready");
    if (op.cancelled) throw cancelledBeforeAnswer();
    return report;
  }

  /** A streaming request (a question or a continuation): events go to the handle, the promise settles with the outcome. */
  private stream(proc: EngineProcess, op: Operation, request: Extract<EngineRequest, { kind: "ask" | "continueThinking" }>, sent?: Relay): Promise<GenerationResult> {
    this.setState("generating");
    return this.exchange<GenerationResult>(
      proc,
      op,
      request,
      (message, settle) => {
        if (message.kind === "event") op.emit(message.event);
        else if (message.kind === "done") settle.resolve(message.result);
      },
      sent,
    );
  }

  /**
   * Sends a long request for an operation under the watchdog: every message from the engine
   * pushes the stall deadline back; silence past it kills the engine.
   */
  private exchange<T>(
    proc: EngineProcess,
    op: Operation,
    request: Extract<EngineRequest, { kind: "load" | "ask" | "continueThinking" }>,
    onMessage: (message: Reply, settle: { resolve: (value: T) => void }) => void,
    /** The request was already sent and its replies are held there (a continuation the engine chose to stream anew). */
    sent?: Relay,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stall = new Deadline(this.limits.stallMs, () =>
        proc.terminate(unresponsive(`nothing came from it for ${seconds(this.limits.stallMs)} while it was ${request.kind === "load" ? "loading the model" : "answering"}`, "selfBraking.model.stallTimeoutSeconds")),
      );
      const finish = (): void => {
        stall.clear();
        proc.release(request.id);
        if (op.requestId === request.id) op.requestId = null;
      };
      op.requestId = request.id;
      const handler: MessageHandler = {
        onMessage: (message) => {
          stall.reset();
          op.grace?.reset();
          if (message.kind === "error") {
            finish();
            reject(EngineError.fromData(message.error));
            return;
          }
          onMessage(message, {
            resolve: (value) => {
              finish();
              resolve(value);
            },
          });
        },
        onExit: (error) => {
          finish();
          reject(error);
        },
      };
      if (sent) sent.handOver(handler);
      else proc.request(request, handler);
    });
  }

  /** A control request with a reply deadline: an engine that does not answer is stuck and is killed. */
  private control<T>(proc: EngineProcess, request: Extract<EngineRequest, { kind: "status" | "unload" | "fit" | "machine" }>, pick: (message: Reply) => T | undefined, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = new Deadline(ms, () => proc.terminate(unresponsive(`it did not answer a ${request.kind} request within ${seconds(ms)}`)));
      proc.request(request, {
        onMessage: (message) => {
          if (message.kind === "error") {
            deadline.clear();
            proc.release(request.id);
            reject(EngineError.fromData(message.error));
            return;
          }
          const value = pick(message);
          if (value === undefined) return;
          deadline.clear();
          proc.release(request.id);
          resolve(value);
        },
        onExit: (error) => {
          deadline.clear();
          reject(error);
        },
      });
    });
  }

  // ---- controls of the running question ----

  private answerNow(id: string): void {
    const op = this.active;
    if (op?.id === id && op.requestId !== null && this.proc) this.proc.send({ kind: "answerNow", id: nextId("answer-now"), target: op.requestId });
  }

  /** Stop: the engine is told; if the request has not ended within the grace period, the engine is killed. */
  private cancel(id: string): void {
    const op = this.active;
    if (op?.id !== id || op.cancelled) return;
    op.cancelled = true;
    const proc = this.proc;
    // While the process starts there is nothing to cancel yet: the operation ends as soon as it is up.
    if (!proc || op.requestId === null) return;
    proc.send({ kind: "cancel", id: nextId("cancel"), target: op.requestId });
    // A healthy engine stops within a second; one still talking (a slow load step) gets time, one silent does not.
    op.grace = new Deadline(this.limits.cancelGraceMs, () => proc.terminate(unresponsive(`it went silent for ${seconds(this.limits.cancelGraceMs)} after Stop`)));
    op.graceLimit = new Deadline(this.limits.cancelGraceMs * CANCEL_LIMIT_FACTOR, () =>
      proc.terminate(unresponsive(`it had not stopped ${seconds(this.limits.cancelGraceMs * CANCEL_LIMIT_FACTOR)} after Stop`)),
    );
  }

  /**
   * "Continue thinking" after a brake. The engine decides, once, whether it resumes in place
   * (the braked answer is still streaming: the same handle goes on) or streams the continuation
   * as a new answer (a new handle).
   */
  private continueThinking(targetId: string, extraThinkingTokens: number | undefined): Promise<AskHandle> {
    const id = nextId("continue");
    const extra = extraThinkingTokens ? { extraThinkingTokens } : {};
    const target = this.active?.id === targetId ? this.active : null;
    const proc = this.proc;
    if (target === null || target.requestId === null || proc === null) {
      const handle = new AskHandle(id, this.controls);
      this.settle(handle, this.run(operationFor(handle), (p, op) => this.stream(p, op, { kind: "continueThinking", id, target: targetId, ...extra })));
      return Promise.resolve(handle);
    }
    const request = { kind: "continueThinking" as const, id, target: target.requestId, ...extra };
    return new Promise<AskHandle>((resolve, reject) => {
      const relay = new Relay();
      proc.request(request, relay);
      relay.handOver({
        onMessage: (message) => {
          if (message.kind === "ok") {
            proc.release(id);
            resolve(target.handle ?? new AskHandle(id, this.controls));
          } else if (message.kind === "error") {
            proc.release(id);
            reject(EngineError.fromData(message.error));
          } else {
            // The answer ended before the request arrived: the engine streams the continuation anew.
            // Everything it sends is held until the braked answer's operation has ended here too.
            relay.hold(message);
            const handle = new AskHandle(id, this.controls);
            this.settle(
              handle,
              target.ended.then(() => this.run(operationFor(handle), (p, op) => this.stream(p, op, request, relay))),
            );
            resolve(handle);
          }
        },
        onExit: reject,
      });
    });
  }


  // ---- idle ----

  private scheduleIdle(): void {
    this.clearIdle();
    const minutes = this.options.idleUnloadMinutes ?? 0;
    if (minutes <= 0 || !this.proc || this.active) return;
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

function newOperation(id: string, emit: Operation["emit"]): Operation {
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { id, emit, requestId: null, cancelled: false, grace: null, graceLimit: null, ended, end };
}

function operationFor(handle: AskHandle): Operation & { readonly handle: AskHandle } {
  return { ...newOperation(handle.id, (event) => handle.emit(event)), handle };
}

function asEngineError(error: unknown): EngineError {
  return error instanceof EngineError ? error : new EngineError("internal", error instanceof Error ? error.message : String(error));
}

function cancelledBeforeAnswer(): EngineError {
  return new EngineError("cancelled", "The question was cancelled before the model started answering.");
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function unresponsive(what: string, setting?: string): EngineError {
  return new EngineError(
    "engine-unresponsive",
    `The engine stopped responding (${what}), so it was stopped. Your conversation is kept: ask again to start a fresh engine.` +
      (setting ? ` If a large model on a slow machine needs longer, raise ${setting}.` : ""),
  );
}
