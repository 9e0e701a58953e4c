/**
 * Loads a GGUF model with the backend, GPU layers, context size and threads the user chose,
 * falling back one step at a time when something does not work and saying so each time.
 */
import { basename } from "node:path";
import type { GgufFileInfo, GgufInsights, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { resolveChatSetup } from "../chat/wrapper";
import type { ChatSetup, NodeLlamaCpp } from "../chat/wrapper";
import { formatBytes } from "../../../core/format";
import { EngineError } from "../../common/errors";
import { layerAttempts } from "../hardware/backend";
import type { LlamaGpuOption } from "../hardware/backend";
import { deviceNote } from "../hardware/devices";
import type { DeviceAssessment } from "../hardware/devices";
import { chooseThreads } from "../hardware/threads";
import type { LoadConfig, LoadReport } from "../../common/types";
import { LlamaLog } from "./llamaLog";
import type { LlamaLogSeverity, LogFn } from "./llamaLog";
import type { MemoryState } from "./memory";
import { preflightMemory, readMemoryState } from "./memoryPreflight";
import { backendOf, openBackend } from "./openBackend";
import { checkModelFile } from "./preflight";
import { noteFailedLoad, releaseBackend } from "./releaseBackend";

export type { LogFn } from "./llamaLog";
export { openBackend } from "./openBackend";

export interface LoadedModel {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  readonly setup: ChatSetup;
  readonly report: LoadReport;
  readonly backend: OpenedBackend;
}

export interface LoadOptions {
  readonly onProgress?: (progress: number) => void;
  readonly log?: LogFn;
  /** Time it took to import node-llama-cpp, for the report. */
  readonly importMs?: number;
  /** Injected for tests of the fallback logic; defaults to `lib.getLlama`. */
  readonly getLlama?: (gpu: LlamaGpuOption) => Promise<Llama>;
  /** A backend opened by an earlier load with the same `gpu` setting (and what was reported then). */
  readonly backend?: OpenedBackend;
  /** Takes ownership of a newly opened backend (kept even when the model then fails to load); without it the loader disposes the backend on failure. */
  readonly onBackend?: (backend: OpenedBackend) => void;
  /** Injected for tests of the memory preflight; defaults to what llama.cpp reads from the machine. */
  readonly memoryState?: (llama: Llama) => Promise<MemoryState>;
  /** Stop: checked between the steps, and passed to llama.cpp's weight loading (which stops between tensors). */
  readonly signal?: AbortSignal;
}

export interface OpenedBackend {
  readonly gpu: LoadConfig["gpu"];
  readonly llama: Llama;
  readonly fallbacks: readonly string[];
  readonly warnings: readonly string[];
  readonly device: DeviceAssessment;
  /** Routes llama.cpp's log lines (node-llama-cpp takes the logger once, when the backend opens). */
  readonly llamaLog: LlamaLog;
}

const MIN_CONTEXT = 512;
/** llama.cpp reasons that mean the file itself is damaged. */
const FILE_PROBLEM = /not within the file bounds|corrupt|incomplete|truncat|failed to read|unexpected end|GGUF version|has offset/i;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Without a chat template, only a recognised model family gives a usable prompt format. */
function checkChatTemplate(lib: NodeLlamaCpp, info: GgufFileInfo, modelPath: string): void {
  const template = info.metadata.tokenizer?.chat_template;
  if (typeof template === "string" && template.trim().length > 0) return;
  // Ask node-llama-cpp without the architecture: its architecture-only guess is a generic format
  // that reasoning models do not follow.
  const general = { ...info.metadata.general, architecture: undefined };
  const withoutArchitecture = { ...info, metadata: { ...info.metadata, general } } as unknown as GgufFileInfo; // the field is deliberately removed
  const known = lib.resolveChatWrapper({ fileInfo: withoutArchitecture, filename: basename(modelPath), warningLogs: false, noJinja: true });
  if (known === null) {
    throw new EngineError(
      "no-chat-template",
      `${basename(modelPath)} has no chat template (tokenizer.chat_template) and its model family is not recognised, so questions cannot be formatted the way the model was trained. Use a GGUF that includes its chat template (official and most community conversions do).`,
      { path: modelPath },
    );
  }
}

function severity(lib: NodeLlamaCpp, level: string): LlamaLogSeverity {
  const L = lib.LlamaLogLevel;
  if (level === L.error || level === L.fatal) return "error";
  if (level === L.warn) return "warn";
  return level === L.debug ? "debug" : "info";
}

/** Opens the backend for `config.gpu`, or reuses the one an earlier load opened with the same setting (also used by the fit estimate). */
export async function backendFor(lib: NodeLlamaCpp, config: Pick<LoadConfig, "gpu">, options: LoadOptions, log: LogFn): Promise<{ backend: OpenedBackend; reused: boolean }> {
  const previous = options.backend;
  if (previous !== undefined && previous.gpu === config.gpu && !previous.llama.disposed) {
    previous.llamaLog.setSink(log);
    return { backend: previous, reused: true };
  }
  const llamaLog = new LlamaLog(log);
  // Debug while the backend starts (llama.cpp names each Vulkan device and says when its type is
  // CPU), then warnings and errors only.
  const getLlama =
    options.getLlama ??
    ((gpu: LlamaGpuOption) =>
      lib.getLlama({
        gpu,
        build: "never",
        progressLogs: false,
        logLevel: lib.LlamaLogLevel.debug,
        logger: (level, text) => llamaLog.write(severity(lib, level), text),
      }));
  const fallbacks: string[] = [];
  const warnings: string[] = [];
  const { llama, device } = await openBackend(config.gpu, getLlama, fallbacks, warnings, () => llamaLog.vulkan.settle());
  if (options.getLlama === undefined) llama.logLevel = lib.LlamaLogLevel.warn;
  const cpuTyped = llamaLog.vulkan.cpuTypeDevices;
  log(
    "info",
    `backend ${backendOf(llama)} (${device.kind}): ${[...device.gpus, ...device.software].join(", ") || "no GPU device"}` +
      (cpuTyped.length > 0 ? `; llama.cpp reports Vulkan device type CPU for ${cpuTyped.join(", ")}` : ""),
  );
  const backend: OpenedBackend = { gpu: config.gpu, llama, fallbacks, warnings, device, llamaLog };
  options.onBackend?.(backend);
  return { backend, reused: false };
}

/** The device kind shown with the backend: never "none" (such a backend is not kept). */
function reportedDevice(device: DeviceAssessment): LoadReport["device"] {
  const kind = device.kind === "none" ? "cpu" : device.kind;
  return { kind, note: deviceNote(kind) };
}

/**
 * The header through node-llama-cpp and GgufInsights on this backend (the loader's step 3, and the
 * fit estimate): an unreadable header is `not-gguf`, an unknown architecture `unsupported-architecture`.
 */
export async function readInsights(lib: NodeLlamaCpp, llama: Llama, modelPath: string): Promise<{ info: GgufFileInfo; architecture: string; insights: GgufInsights }> {
  let info: GgufFileInfo;
  try {
    info = await lib.readGgufFileInfo(modelPath);
  } catch (error) {
    throw new EngineError("not-gguf", `${modelPath} starts like a GGUF file but its header cannot be read (${message(error)}). The file is probably truncated or corrupt: download it again.`, {
      path: modelPath,
    });
  }
  const architecture = info.metadata?.general?.architecture;
  if (typeof architecture !== "string" || architecture.length === 0) {
    throw new EngineError("not-gguf", `${modelPath} is an incomplete GGUF file: its header has no general.architecture. The file is probably truncated or corrupt: download it again.`, {
      path: modelPath,
    });
  }
  const insights = await lib.GgufInsights.from(info, llama);
  if (!insights.isSupportedByLlamaCpp) {
    throw new EngineError(
      "unsupported-architecture",
      `The model's architecture “${architecture}” is not supported by the bundled llama.cpp (${llama.llamaCppRelease.release}). Use a model of a supported family (Qwen, Llama, DeepSeek-R1 distills, QwQ…) or update the extension.`,
      { architecture, llamaCpp: llama.llamaCppRelease.release },
    );
  }
  return { info, architecture, insights };
}

export async function loadModel(lib: NodeLlamaCpp, config: LoadConfig, options: LoadOptions = {}): Promise<LoadedModel> {
  const log: LogFn = options.log ?? (() => undefined);
  const started = performance.now();
  const { bytes } = await checkModelFile(config.modelPath);

  const backendStart = performance.now();
  const { backend, reused } = await backendFor(lib, config, options, log);
  const { llama } = backend;
  const fallbacks: string[] = [...backend.fallbacks];
  const warnings: string[] = [...backend.warnings];
  const backendMs = performance.now() - backendStart;
  try {
    const { info, architecture, insights } = await readInsights(lib, llama, config.modelPath);
    checkChatTemplate(lib, info, config.modelPath);

    const memory = await (options.memoryState ?? readMemoryState)(llama);
    const preflight = await preflightMemory(insights, llama, config, memory, backend.device);
    log("info", preflight.summary);
    warnings.push(...preflight.warnings);

    // Weights: fewer GPU layers step by step, down to none.
    const modelStart = performance.now();
    let model: LlamaModel | null = null;
    let lastError: unknown = null;
    let llamaCppReason: string | null = null;
    const layerPlan = layerAttempts(config.gpuLayers, llama.gpu !== false, insights.totalLayers);
    for (let i = 0; i < layerPlan.length; i++) {
      const gpuLayers = layerPlan[i] as "auto" | number;
      const reason = backend.llamaLog.startCapture();
      try {
        throwIfStopped(options.signal);
        model = await llama.loadModel({ modelPath: config.modelPath, gpuLayers, onLoadProgress: options.onProgress, ...(options.signal ? { loadSignal: options.signal } : {}) });
        reason();
        if (i > 0) fallbacks.push(`Loaded with ${model.gpuLayers} of ${insights.totalLayers} layers on the GPU after the attempt with ${String(layerPlan[i - 1])} failed (${message(lastError)}).`);
        break;
      } catch (error) {
        if (options.signal?.aborted) {
          reason();
          throwIfStopped(options.signal);
        }
        noteFailedLoad(llama);
        lastError = error;
        await new Promise((resolve) => setImmediate(resolve)); // llama.cpp's log lines arrive through the event loop
        llamaCppReason = reason() ?? llamaCppReason;
        log("warn", `loading with gpuLayers=${String(gpuLayers)} failed: ${message(error)}${llamaCppReason ? ` (llama.cpp: ${llamaCppReason})` : ""}`);
      }
    }
    if (model === null) {
      if (lastError instanceof lib.InsufficientMemoryError) {
        const cpuModel = insights.estimateModelResourceRequirements({ gpuLayers: 0 });
        throw new EngineError(
          "too-large-for-memory",
          `The model does not fit in memory: it needs about ${formatBytes(cpuModel.cpuRam)} for its weights on the CPU and ${formatBytes(memory.freeRamBytes)} of RAM is free (${formatBytes(memory.totalRamBytes)} in total). Use a smaller model or quantisation.`,
          { modelBytes: cpuModel.cpuRam, freeRamBytes: memory.freeRamBytes, totalRamBytes: memory.totalRamBytes },
        );
      }
      const why = (llamaCppReason ?? message(lastError)).replace(/\.?$/, ".");
      throw new EngineError(
        "load-failed",
        `llama.cpp could not load ${basename(config.modelPath)}: ${why} ${FILE_PROBLEM.test(why) ? "The file is truncated or corrupt: download it again, or choose another model." : "Choose another model, or report this with the engine log (Self-Braking: Show Log)."}`,
        { path: config.modelPath, error: message(lastError), llamaCpp: llamaCppReason },
      );
    }
    const modelMs = performance.now() - modelStart;
    await disposeIfStopped(options.signal, model);

    // Threads, then the context: a context that does not fit is shrunk, reported.
    const choice = chooseThreads({
      setting: config.threads,
      mathCores: llama.cpuMathCores,
      backend: backendOf(llama),
      layersOffloaded: model.gpuLayers,
      layersTotal: insights.totalLayers,
      parameters: insights.totalParameters,
    });
    if (choice.warning) warnings.push(choice.warning);
    const contextStart = performance.now();
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize: config.contextSize, threads: choice.threads, sequences: 1 });
    } catch (error) {
      if (typeof config.contextSize !== "number" || config.contextSize <= MIN_CONTEXT) {
        await model.dispose();
        throw new EngineError(
          "too-large-for-memory",
          `No context fits in the memory left after loading the model (${message(error)}). Lower selfBraking.model.contextSize, use a smaller model, or offload fewer layers.`,
        );
      }
      try {
        context = await model.createContext({ contextSize: { min: MIN_CONTEXT, max: config.contextSize }, threads: choice.threads, sequences: 1 });
        fallbacks.push(`A context of ${config.contextSize} tokens did not fit (${message(error)}): using ${context.contextSize} tokens.`);
      } catch (second) {
        await model.dispose();
        throw new EngineError("too-large-for-memory", `Not even a ${MIN_CONTEXT}-token context fits in the memory left after loading the model (${message(second)}).`);
      }
    }
    const contextMs = performance.now() - contextStart;
    await disposeIfStopped(options.signal, context, model);
    const sequence = context.getSequence();
    const chatStart = performance.now();
    // Synchronous (matching the template can take seconds): a Stop sent meanwhile is seen just after.
    const setup = resolveChatSetup(lib, model);
    const chatFormatMs = performance.now() - chatStart;
    await new Promise((resolve) => setImmediate(resolve));
    await disposeIfStopped(options.signal, context, model);
    if (setup.note) log("info", `chat format: ${setup.note}`);

    const ctxEstimate = insights.estimateContextResourceRequirements({ contextSize: context.contextSize, modelGpuLayers: model.gpuLayers });
    const description = String(info.metadata.general?.description ?? "");
    const report: LoadReport = {
      modelPath: config.modelPath,
      modelName: String(info.metadata.general?.name ?? basename(config.modelPath)),
      architecture,
      fileBytes: bytes,
      parameters: insights.totalParameters,
      scripted: /scripted/i.test(description),
      requestedBackend: config.gpu,
      backend: backendOf(llama),
      device: reportedDevice(backend.device),
      gpuDevices: await llama.getGpuDeviceNames().catch(() => []),
      layersOffloaded: model.gpuLayers,
      layersTotal: insights.totalLayers,
      contextSize: context.contextSize,
      threads: choice.threads,
      threadsReason: choice.reason,
      memory: {
        ramBytes: Math.round(model.memoryUsage.ram + ctxEstimate.cpuRam),
        vramBytes: Math.round(model.memoryUsage.vram + ctxEstimate.gpuVram),
        processRssBytes: process.memoryUsage().rss,
      },
      timings: { importMs: options.importMs ?? 0, backendMs, modelMs, contextMs, chatFormatMs, totalMs: performance.now() - started + (options.importMs ?? 0) },
      chatWrapper: setup.name,
      chatWrapperNote: setup.note,
      thinkingSupported: setup.thought !== null,
      fallbacks,
      warnings,
    };
    return { llama, model, context, sequence, setup, report, backend };
  } catch (error) {
    if (!reused && !options.onBackend) await releaseBackend(llama).catch(() => undefined);
    throw error;
  }
}

/** Stop during a load: the load ends with `cancelled` between its steps. */
export function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError("cancelled", "The model load was stopped.");
}

/** Stop after a step that allocated something: it is freed before the load ends as `cancelled`. */
async function disposeIfStopped(signal: AbortSignal | undefined, ...allocated: ReadonlyArray<{ dispose(): Promise<void> }>): Promise<void> {
  if (!signal?.aborted) return;
  for (const item of allocated) await item.dispose();
  throwIfStopped(signal);
}
