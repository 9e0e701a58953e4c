/**
 * The fit of a local GGUF file, in the engine process: its header through node-llama-cpp
 * (`readGgufFileInfo`, `GgufInsights`), the layers node-llama-cpp's configuration resolver would
 * offload for the gpu setting, the context size, and GgufInsights' memory estimate for that split,
 * against the machine as the backend reads it. Loads nothing. Classified by the shared pure
 * function (common/fit.ts), the same one the size-only estimate of a catalogue entry uses.
 */
import type { GgufInsights, Llama } from "node-llama-cpp";
import { classifyFit, fitContextSize } from "../../common/fit";
import type { FitEstimate, MachineState } from "../../common/fit";
import type { FitOptions } from "../../common/types";
import type { NodeLlamaCpp } from "../chat/wrapper";
import type { OpenedBackend } from "../load/loader";
import { readInsights } from "../load/loader";
import type { MemoryState } from "../load/memory";
import { plannedLayers, readMemoryState } from "../load/memoryPreflight";
import { checkModelFile } from "../load/preflight";

/** The machine as one backend sees it: RAM (and swap), and its GPU's memory unless it is the CPU backend. */
export async function readMachineState(backend: OpenedBackend, memory?: MemoryState): Promise<MachineState> {
  const { llama, device } = backend;
  const state = memory ?? (await readMemoryState(llama));
  const base = { totalRamBytes: state.totalRamBytes, freeRamBytes: state.freeRamBytes, freeSwapBytes: state.freeSwapBytes };
  if (llama.gpu === false || device.kind === "cpu" || device.kind === "none") return { ...base, gpu: null };
  const names = [...device.gpus, ...device.software];
  const listed = names.length > 0 ? names : await llama.getGpuDeviceNames().catch(() => [] as string[]);
  return {
    ...base,
    gpu: {
      name: listed.join(", ") || `the ${llama.gpu} device`,
      totalVramBytes: state.totalVramBytes,
      freeVramBytes: state.freeVramBytes,
      ...(device.kind === "software" ? { software: true } : {}),
    },
  };
}

/** "auto": the context node-llama-cpp would create for this split in the memory free now, capped (common/fit.ts); a number as set. */
async function contextFor(insights: GgufInsights, llama: Llama, options: FitOptions, layers: number, state: MemoryState): Promise<number> {
  if (typeof options.contextSize === "number") return options.contextSize;
  const trained = insights.trainContextSize ?? 4096;
  try {
    const picked = await insights.configurationResolver.resolveContextContextSize("auto", {
      modelGpuLayers: layers,
      modelTrainContextSize: trained,
      sequences: 1,
      getVramState: async () => ({ total: state.totalVramBytes, free: state.freeVramBytes, unifiedSize: 0 }),
      getRamState: async () => ({ total: state.totalRamBytes, free: state.freeRamBytes }),
      getSwapState: async () => ({ total: state.freeSwapBytes, free: state.freeSwapBytes }),
      llamaGpu: llama.gpu,
    });
    return fitContextSize("auto", picked);
  } catch {
    return fitContextSize("auto", trained); // nothing fits: the estimate at the usual size says by how much
  }
}

export interface FitFileOptions {
  /** Tests: the machine's memory instead of what llama.cpp reads. */
  readonly memoryState?: (llama: Llama) => Promise<MemoryState>;
}

/** The fit of the GGUF at `modelPath` on this backend. Missing or damaged files throw the loader's EngineErrors. */
export async function estimateFileFit(lib: NodeLlamaCpp, backend: OpenedBackend, modelPath: string, options: FitOptions, extra: FitFileOptions = {}): Promise<FitEstimate> {
  await checkModelFile(modelPath);
  const { llama } = backend;
  const { insights } = await readInsights(lib, llama, modelPath);
  const memory = await (extra.memoryState ?? readMemoryState)(llama);
  const machine = await readMachineState(backend, memory);
  const layers = machine.gpu === null ? 0 : await plannedLayers(insights, llama, { gpuLayers: options.gpuLayers ?? "auto" }, memory);
  const contextSize = await contextFor(insights, llama, options, layers, memory);
  const model = llama.gpu === false ? insights.estimateModelResourceRequirements({ gpuLayers: 0 }) : insights.estimateModelResourceRequirements({ gpuLayers: layers, gpuSupportsMmap: llama.gpuSupportsMmap });
  const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: layers });
  return classifyFit(
    {
      totalLayers: insights.totalLayers,
      gpuLayers: layers,
      contextSize,
      ramBytes: model.cpuRam + context.cpuRam,
      vramBytes: model.gpuVram + context.gpuVram,
      bytesPerToken: insights.modelSize,
    },
    machine,
  );
}
