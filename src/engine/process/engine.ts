/**
 * The engine inside its process: one loaded model, one generation at a time. The request
 * handler (requestHandler.ts) drives it from protocol messages; tests and benchmarks may drive it
 * directly.
 */
import { chatHistoryFor, renderPrompt } from "./chat/prompt";
import { DEFAULT_CONTINUE_THINKING_TOKENS } from "../common/defaults";
import type { NodeLlamaCpp } from "./chat/wrapper";
import { EngineError } from "../common/errors";
import { BrakingGeneration } from "./generation/brakingGeneration";
import type { GenerationSink } from "./generation/brakingGeneration";
import { createCoreDetector } from "./generation/detector";
import { nativeReserveTokens, runNativeBudget } from "./generation/nativeBudgetGeneration";
import type { DetectorFactory } from "./generation/detector";
import { backendFor, loadModel, throwIfStopped } from "./load/loader";
import { checkModelFile } from "./load/preflight";
import { releaseBackend } from "./load/releaseBackend";
import type { LoadedModel, LogFn, OpenedBackend } from "./load/loader";
import type { AskRequest, EngineStatus, FitEstimate, FitOptions, GenerationResult, GpuChoice, LoadConfig, LoadReport, MachineState } from "../common/types";
import { estimateFileFit, readMachineState } from "./models/fit";
import type { GenerationSink as Sink } from "./generation/transcript";
import { RemoteGeneration, renderRemotePrompt } from "./remote/remoteGeneration";
import type { ServerConnection } from "./remote/serverConnection";
import { connectToServer } from "./remote/serverConnection";

/** What Answer now, Continue thinking and a later resume need of a generation, local or on a server. */
interface ControlledGeneration {
  answerNow(): void;
  requestContinue(extraThinkingTokens: number): boolean;
  readonly canContinue: boolean;
  resume(extraThinkingTokens: number, sink: Sink, signal: AbortSignal): Promise<GenerationResult>;
}

/** Refuses a question whose prompt leaves less than `reserveTokens` of the context for the answer. */
function checkContextRoom(loaded: LoadedModel, promptTokens: number, reserveTokens: number): void {
  const contextSize = loaded.sequence.contextSize;
  if (promptTokens + reserveTokens <= contextSize) return;
  throw new EngineError(
    "context-overflow",
    `The conversation is ${promptTokens} tokens long and the answer needs room for about ${reserveTokens} more, but the context holds ${contextSize} tokens. ` +
      `Start a new conversation, shorten the question, lower selfBraking.generation.maxAnswerTokens, or raise selfBraking.model.contextSize (this model was trained for ${loaded.model.trainContextSize} tokens).`,
    { promptTokens, reserveTokens, contextSize, trainContextSize: loaded.model.trainContextSize },
  );
}

export interface EngineOptions {
  readonly createDetector?: DetectorFactory;
  readonly log?: LogFn;
  /** Loads node-llama-cpp; always a dynamic import (never a static one). */
  readonly importLibrary?: () => Promise<NodeLlamaCpp>;
}

/** The request being answered. Registered before the prompt is prepared, so Stop and Answer now are never lost. */
interface Running {
  readonly id: string;
  readonly abort: AbortController;
  /** Null while the prompt is being prepared. */
  generation: ControlledGeneration | null;
  answerNowRequested: boolean;
}

export class Engine {
  private lib: NodeLlamaCpp | null = null;
  private importMs = 0;
  private loaded: LoadedModel | null = null;
  /** Set instead of `loaded` when a server runs the model (LoadConfig.server). */
  private remote: ServerConnection | null = null;
  /** Kept across model switches with the same `gpu` setting (opening a backend takes seconds). */
  private backend: OpenedBackend | null = null;
  private loading: Promise<LoadReport> | null = null;
  private running: Running | null = null;
  /** The last generation, kept while the sequence still holds its state (for "Continue thinking"). */
  private last: { readonly id: string; readonly generation: ControlledGeneration } | null = null;
  private readonly createDetector: DetectorFactory;
  private readonly log: LogFn;

  constructor(private readonly options: EngineOptions = {}) {
    this.createDetector = options.createDetector ?? createCoreDetector;
    this.log = options.log ?? (() => undefined);
  }

  get report(): LoadReport | null {
    return this.loaded?.report ?? this.remote?.report ?? null;
  }

  private async library(): Promise<NodeLlamaCpp> {
    if (this.lib) return this.lib;
    const started = performance.now();
    this.lib = await (this.options.importLibrary ?? (() => import("node-llama-cpp")))();
    this.importMs = performance.now() - started;
    return this.lib;
  }

  /** Loads a model (unloading the current one first). An aborted `signal` stops the load between its steps (and inside llama.cpp's weight loading). */
  async load(config: LoadConfig, onProgress?: (progress: number) => void, signal?: AbortSignal): Promise<LoadReport> {
    if (this.running) throw new EngineError("busy", "A question is being answered: stop it before loading another model.");
    if (this.loading) await this.loading.catch(() => undefined);
    if (config.server) return this.connect(config.server, signal);
    // A missing or non-GGUF file fails fast, before node-llama-cpp is even imported.
    await checkModelFile(config.modelPath);
    throwIfStopped(signal);
    const sameBackend = this.backend?.gpu === config.gpu;
    await this.unload({ releaseBackend: !sameBackend });
    const lib = await this.library();
    throwIfStopped(signal);
    const importMs = this.importMs;
    this.importMs = 0; // only the first load pays for the import
    const onBackend = (backend: OpenedBackend): void => {
      this.backend = backend;
    };
    this.loading = loadModel(lib, config, { onProgress, log: this.log, importMs, onBackend, ...(signal ? { signal } : {}), ...(this.backend ? { backend: this.backend } : {}) }).then((loaded) => {
      this.loaded = loaded;
      this.backend = loaded.backend;
      return { ...loaded.report, memory: { ...loaded.report.memory, processRssBytes: process.memoryUsage().rss } };
    });
    try {
      return await this.loading;
    } finally {
      this.loading = null;
    }
  }

  /** A server runs the model: the local one (if any) is unloaded, node-llama-cpp renders the chat here. */
  private async connect(server: NonNullable<LoadConfig["server"]>, signal?: AbortSignal): Promise<LoadReport> {
    await this.unload({ releaseBackend: true });
    const lib = await this.library();
    throwIfStopped(signal);
    const connection = await connectToServer(lib, server, signal);
    this.remote = connection;
    this.log("info", `connected to ${connection.report.server?.api ?? "server"} at ${connection.report.server?.url ?? ""}, model ${connection.model}; prompt format: ${connection.report.server?.promptFormat ?? ""}`);
    return connection.report;
  }

  /** Whether the GGUF at `modelPath` would fit for these settings (reads its header, loads nothing; see models/fit.ts). */
  async fit(modelPath: string, options: FitOptions): Promise<FitEstimate> {
    // A missing or non-GGUF file fails fast, before node-llama-cpp is even imported.
    await checkModelFile(modelPath);
    return this.withBackend(options.gpu, (lib, backend) => estimateFileFit(lib, backend, modelPath, options));
  }

  /** This machine's memory and GPU as the backend for `gpu` sees them. */
  async machine(gpu: GpuChoice): Promise<MachineState> {
    return this.withBackend(gpu, (_lib, backend) => readMachineState(backend));
  }

  /**
   * Runs `work` on the backend for `gpu`: the kept one when it matches; with no model loaded, a
   * new one that is kept (the next load with that setting reuses it); with a model loaded on
   * another backend, a temporary one released afterwards.
   */
  private async withBackend<T>(gpu: GpuChoice, work: (lib: NodeLlamaCpp, backend: OpenedBackend) => Promise<T>): Promise<T> {
    if (this.loading) await this.loading.catch(() => undefined);
    const lib = await this.library();
    if (this.backend !== null && this.backend.gpu === gpu && !this.backend.llama.disposed) return work(lib, this.backend);
    if (this.loaded === null && this.running === null) {
      await this.unload({ releaseBackend: true });
      const { backend } = await backendFor(lib, { gpu }, { onBackend: (opened) => (this.backend = opened) }, this.log);
      return work(lib, backend);
    }
    const { backend } = await backendFor(lib, { gpu }, { onBackend: () => undefined }, this.log);
    try {
      return await work(lib, backend);
    } finally {
      await releaseBackend(backend.llama).catch(() => undefined);
    }
  }

  async ask(id: string, request: AskRequest, sink: GenerationSink): Promise<GenerationResult> {
    if (this.remote) return this.askServer(id, this.remote, request, sink);
    const loaded = this.requireLoaded();
    const lib = this.lib as NodeLlamaCpp;
    if (this.running) throw new EngineError("busy", "The engine is already answering a question; one answer at a time per model.");
    const running: Running = { id, abort: new AbortController(), generation: null, answerNowRequested: false };
    this.running = running;
    try {
      return await this.answer(running, loaded, lib, request, sink);
    } finally {
      this.running = null;
    }
  }

  private async askServer(id: string, connection: ServerConnection, request: AskRequest, sink: GenerationSink): Promise<GenerationResult> {
    if (this.running) throw new EngineError("busy", "The engine is already answering a question; one answer at a time.");
    if (request.nativeThoughtBudget !== undefined) throw new EngineError("no-thought-segment", "node-llama-cpp's thought budget runs only on a local model, not on a server.");
    const running: Running = { id, abort: new AbortController(), generation: null, answerNowRequested: false };
    this.running = running;
    try {
      const lib = this.lib as NodeLlamaCpp;
      const generation = new RemoteGeneration({ lib, connection, createDetector: this.createDetector }, request, renderRemotePrompt(lib, connection, request));
      this.last = null;
      return await this.generate(running, generation, (signal) => generation.run(sink, signal));
    } finally {
      this.running = null;
    }
  }

  private async answer(running: Running, loaded: LoadedModel, lib: NodeLlamaCpp, request: AskRequest, sink: GenerationSink): Promise<GenerationResult> {
    if (request.nativeThoughtBudget !== undefined) return this.answerWithNativeBudget(running, loaded, lib, request, request.nativeThoughtBudget, sink);
    const prompt = renderPrompt(lib, loaded.setup, loaded.model, request);
    const generation = new BrakingGeneration(
      { lib, model: loaded.model, sequence: loaded.sequence, setup: loaded.setup, createDetector: this.createDetector },
      request,
      prompt,
    );
    checkContextRoom(loaded, prompt.tokens.length, generation.reserveTokens);
    // Reuse the KV cache up to the first token that differs from the new prompt.
    const sequence = loaded.sequence;
    const { firstDifferentIndex } = sequence.compareContextTokens(prompt.tokens);
    const keep = Math.min(firstDifferentIndex, prompt.tokens.length - 1);
    this.last = null;
    if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    const feed = prompt.tokens.slice(keep);
    return this.generate(running, generation, (signal) => generation.run(feed, sink, signal));
  }

  /**
   * node-llama-cpp's own chat loop with its thought budget (AskRequest.nativeThoughtBudget), the
   * brake off: see generation/nativeBudgetGeneration.ts. The same chat wrapper as the engine's
   * own path renders the prompt; it must have a thought segment, or the budget would never apply.
   */
  private async answerWithNativeBudget(running: Running, loaded: LoadedModel, lib: NodeLlamaCpp, request: AskRequest, budget: number, sink: GenerationSink): Promise<GenerationResult> {
    if (!loaded.setup.wrapper.settings.segments?.thought) {
      throw new EngineError(
        "no-thought-segment",
        `node-llama-cpp's thought budget cannot run on this model: its chat template has no thought segment node-llama-cpp recognises (chat format: ${loaded.setup.name}), so the budget would never apply. Ask without the native thought budget.`,
        { chatWrapper: loaded.setup.name },
      );
    }
    const { history, thinkingMode } = chatHistoryFor(loaded.setup, request);
    // node-llama-cpp opens the thought itself where the wrapper opens it on the response start:
    // a thought already opened in the history would not count as this response's, and its budget would not apply.
    if (thinkingMode === "on") history[history.length - 1] = { type: "model", response: [] };
    const prompt = renderPrompt(lib, loaded.setup, loaded.model, request);
    checkContextRoom(loaded, prompt.tokens.length, nativeReserveTokens(loaded.sequence.contextSize, request.generation.maxAnswerTokens));
    this.last = null;
    return runNativeBudget({ lib, model: loaded.model, sequence: loaded.sequence, setup: loaded.setup }, request, prompt, history, budget, sink, running.abort.signal);
  }

  /** "Continue thinking". On a running generation it applies in place (returns null); on the last finished one it runs again. */
  async continueThinking(id: string, target: string, extraThinkingTokens: number | undefined, sink: GenerationSink): Promise<GenerationResult | null> {
    const extra = extraThinkingTokens ?? DEFAULT_CONTINUE_THINKING_TOKENS;
    if (this.running?.id === target) {
      if (!this.running.generation?.requestContinue(extra)) {
        throw new EngineError("continue-unavailable", "This answer was not braked, so there is no thinking to continue.");
      }
      return null;
    }
    const last = this.last;
    if (last === null || last.id !== target || !last.generation.canContinue) {
      throw new EngineError(
        "continue-unavailable",
        "The thinking of that answer can no longer be continued (it was not braked, another question ran since, or the engine restarted). Ask again instead.",
      );
    }
    if (this.running) throw new EngineError("busy", "The engine is answering another question.");
    const generation = last.generation;
    const running: Running = { id, abort: new AbortController(), generation: null, answerNowRequested: false };
    this.running = running;
    try {
      return await this.generate(running, generation, (signal) => generation.resume(extra, sink, signal));
    } finally {
      this.running = null;
    }
  }

  /** Runs a generation for the registered request; an Answer now that came while the prompt was prepared applies at once. */
  private async generate(running: Running, generation: ControlledGeneration, run: (signal: AbortSignal) => Promise<GenerationResult>): Promise<GenerationResult> {
    running.generation = generation;
    if (running.answerNowRequested) generation.answerNow();
    const result = await run(running.abort.signal);
    this.last = { id: running.id, generation };
    return result;
  }

  answerNow(target: string): boolean {
    if (this.running?.id !== target) return false;
    if (this.running.generation) this.running.generation.answerNow();
    else this.running.answerNowRequested = true;
    return true;
  }

  cancel(target: string): boolean {
    if (this.running?.id !== target) return false;
    this.running.abort.abort();
    return true;
  }

  /**
   * Frees the model and its context. `releaseBackend` also closes llama.cpp's backend (GPU
   * buffers, threads); otherwise it stays open so the next load is faster.
   */
  async unload(options: { releaseBackend?: boolean } = {}): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    this.remote = null;
    this.last = null;
    if (this.running) this.running.abort.abort();
    if (loaded) {
      await loaded.context.dispose();
      await loaded.model.dispose();
    }
    if (options.releaseBackend && this.backend) {
      const backend = this.backend;
      this.backend = null;
      if ((await releaseBackend(backend.llama)) === "left-open") {
        this.log("warn", "the previous llama.cpp backend stays open until the engine restarts: a model failed to load on it, and node-llama-cpp cannot close a backend after that");
      }
    }
  }

  status(): EngineStatus {
    return {
      loaded: this.loaded !== null || this.remote !== null,
      report: this.report,
      rssBytes: process.memoryUsage().rss,
      generating: this.running !== null,
      canContinue: this.last?.generation.canContinue ?? false,
    };
  }

  private requireLoaded(): LoadedModel {
    if (this.loaded === null || this.lib === null) throw new EngineError("not-loaded", "No model is loaded.");
    return this.loaded;
  }
}
