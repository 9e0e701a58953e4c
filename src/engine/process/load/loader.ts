/**
 * Loads a GGUF model with the backend, GPU layers, context size and threads the user chose,
 * falling back one step at a time when something does not work and saying so each time.
 */
import { freemem, totalmem } from "node:os";
import { basename } from "node:path";
import type { GgufFileInfo, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { resolveChatSetup } from "../chat/wrapper";
import type { ChatSetup, NodeLlamaCpp } from "../chat/wrapper";
import { EngineError, formatBytes } from "../../common/errors";
import { backendAttempts, backendName, layerAttempts } from "../hardware/backend";
import type { LlamaGpuOption } from "../hardware/backend";
import { chooseThreads } from "../hardware/threads";
import type { Backend, LoadConfig, LoadReport } from "../../common/types";
import { checkMemory, checkModelFile } from "./preflight";

export type LogFn = (level: "debug" | "info" | "warn" | "error", message: string) => void;

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
}

export interface OpenedBackend {
  readonly gpu: LoadConfig["gpu"];
  readonly llama: Llama;
  readonly fallbacks: readonly string[];
}

const MIN_CONTEXT = 512;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Tries each backend in turn; an explicit GPU that is unavailable falls back to the CPU, reported. */
export async function openBackend(
  choice: LoadConfig["gpu"],
  getLlama: (gpu: LlamaGpuOption) => Promise<Llama>,
  fallbacks: string[],
): Promise<Llama> {
  const attempts = backendAttempts(choice);
  let lastError: unknown = null;
  for (let i = 0; i < attempts.length; i++) {
    const gpu = attempts[i] as LlamaGpuOption;
    try {
      const llama = await getLlama(gpu);
      if (gpu === "auto" && llama.gpu === false) {
        fallbacks.push("No usable GPU backend (CUDA, Vulkan or Metal) was found on this machine: running on the CPU.");
      }
      return llama;
    } catch (error) {
      lastError = error;
      const next = attempts[i + 1];
      if (next !== undefined) {
        fallbacks.push(`${backendName(gpu)} was requested but is not available here (${message(error)}): falling back to ${backendName(next)}.`);
      }
    }
  }
  throw new EngineError("backend-unavailable", `No llama.cpp backend could be started (${message(lastError)}). Reinstall the extension, or set selfBraking.model.gpu to "cpu".`);
}

function backendOf(llama: Llama): Backend {
  return llama.gpu === false ? "cpu" : llama.gpu;
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

export async function loadModel(lib: NodeLlamaCpp, config: LoadConfig, options: LoadOptions = {}): Promise<LoadedModel> {
  const log: LogFn = options.log ?? (() => undefined);
  const started = performance.now();
  const fallbacks: string[] = [];
  const warnings: string[] = [];
  const { bytes } = await checkModelFile(config.modelPath);

  const getLlama =
    options.getLlama ??
    ((gpu: LlamaGpuOption) =>
      lib.getLlama({
        gpu,
        build: "never",
        progressLogs: false,
        logLevel: lib.LlamaLogLevel.warn,
        logger: (level, text) => log(level === lib.LlamaLogLevel.error || level === lib.LlamaLogLevel.fatal ? "error" : "warn", `llama.cpp: ${text.trim()}`),
      }));
  const backendStart = performance.now();
  const reused = options.backend !== undefined && options.backend.gpu === config.gpu && !options.backend.llama.disposed ? options.backend : null;
  const llama = reused ? reused.llama : await openBackend(config.gpu, getLlama, fallbacks);
  if (reused) fallbacks.push(...reused.fallbacks);
  const backend: OpenedBackend = reused ?? { gpu: config.gpu, llama, fallbacks: [...fallbacks] };
  if (!reused) options.onBackend?.(backend);
  const backendMs = performance.now() - backendStart;
  try {
    let info: GgufFileInfo;
    try {
      info = await lib.readGgufFileInfo(config.modelPath);
    } catch (error) {
      throw new EngineError("not-gguf", `${config.modelPath} starts like a GGUF file but its header cannot be read (${message(error)}). The file is probably truncated or corrupt: download it again.`, {
        path: config.modelPath,
      });
    }
    const architecture = info.metadata?.general?.architecture;
    if (typeof architecture !== "string" || architecture.length === 0) {
      throw new EngineError("not-gguf", `${config.modelPath} is an incomplete GGUF file: its header has no general.architecture. The file is probably truncated or corrupt: download it again.`, {
        path: config.modelPath,
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
    checkChatTemplate(lib, info, config.modelPath);

    const ram = await llama.getRamState().catch(() => ({ total: totalmem(), free: freemem() }));
    const swapState = await llama.getSwapState().catch(() => null);
    const swap = { free: swapState ? Math.max(0, swapState.allocated - swapState.used) : 0 };
    const cpuModel = insights.estimateModelResourceRequirements({ gpuLayers: 0 });
    const probeContext = typeof config.contextSize === "number" ? config.contextSize : Math.min(insights.trainContextSize ?? 4096, 4096);
    const cpuContext = insights.estimateContextResourceRequirements({ contextSize: probeContext, modelGpuLayers: 0 });
    if (llama.gpu === false) {
      const warning = checkMemory(
        { modelRamBytes: cpuModel.cpuRam, contextRamBytes: cpuContext.cpuRam, totalRamBytes: ram.total, freeRamBytes: ram.free, freeSwapBytes: swap.free },
        config.modelPath,
      );
      if (warning) warnings.push(warning);
    }

    // Weights: fewer GPU layers step by step, down to none.
    const modelStart = performance.now();
    let model: LlamaModel | null = null;
    let lastError: unknown = null;
    const layerPlan = layerAttempts(config.gpuLayers, llama.gpu !== false, insights.totalLayers);
    for (let i = 0; i < layerPlan.length; i++) {
      const gpuLayers = layerPlan[i] as "auto" | number;
      try {
        model = await llama.loadModel({ modelPath: config.modelPath, gpuLayers, onLoadProgress: options.onProgress });
        if (i > 0) fallbacks.push(`Loaded with ${model.gpuLayers} of ${insights.totalLayers} layers on the GPU after the attempt with ${String(layerPlan[i - 1])} failed (${message(lastError)}).`);
        break;
      } catch (error) {
        lastError = error;
        log("warn", `loading with gpuLayers=${String(gpuLayers)} failed: ${message(error)}`);
      }
    }
    if (model === null) {
      if (lastError instanceof lib.InsufficientMemoryError) {
        throw new EngineError(
          "too-large-for-memory",
          `The model does not fit in memory: it needs about ${formatBytes(cpuModel.cpuRam)} for its weights on the CPU and ${formatBytes(ram.free)} of RAM is free (${formatBytes(ram.total)} in total). Use a smaller model or quantisation.`,
          { modelBytes: cpuModel.cpuRam, freeRamBytes: ram.free, totalRamBytes: ram.total },
        );
      }
      throw new EngineError("load-failed", `llama.cpp could not load ${basename(config.modelPath)}: ${message(lastError)}`, { path: config.modelPath });
    }
    const modelMs = performance.now() - modelStart;

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
    const sequence = context.getSequence();
    const chatStart = performance.now();
    const setup = resolveChatSetup(lib, model);
    const chatFormatMs = performance.now() - chatStart;
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
    if (!reused && !options.onBackend) await llama.dispose().catch(() => undefined);
    throw error;
  }
}
