/**
 * The memory preflight, for every backend: GgufInsights' estimate of what the weights and the
 * context put in RAM and in device memory for the layers the first load attempt offloads,
 * against what the machine has (see memory.ts for the rules).
 */
import { freemem, totalmem } from "node:os";
import type { GgufInsights, Llama } from "node-llama-cpp";
import { formatBytes } from "../../../core/format";
import type { LoadConfig } from "../../common/types";
import type { DeviceAssessment } from "../hardware/devices";
import { checkGpuMemory, checkMemory } from "./memory";
import type { MemoryState } from "./memory";

export async function readMemoryState(llama: Llama): Promise<MemoryState> {
  const ram = await llama.getRamState().catch(() => ({ total: totalmem(), free: freemem() }));
  const swap = await llama.getSwapState().catch(() => null);
  const vram = llama.gpu === false ? { total: 0, free: 0 } : await llama.getVramState().catch(() => ({ total: 0, free: 0 }));
  return {
    totalRamBytes: ram.total,
    freeRamBytes: ram.free,
    freeSwapBytes: swap ? Math.max(0, swap.allocated - swap.used) : 0,
    totalVramBytes: vram.total,
    freeVramBytes: vram.free,
  };
}

export interface MemoryPreflight {
  readonly warnings: string[];
  /** One line for the engine log: what was estimated against what. */
  readonly summary: string;
  /** Layers the estimate assumed on the device. */
  readonly layers: number;
}

/** The context size the estimate assumes: the setting, or the train size capped at 4096 for "auto". */
function probeContextSize(insights: GgufInsights, config: LoadConfig): number {
  return typeof config.contextSize === "number" ? config.contextSize : Math.min(insights.trainContextSize ?? 4096, 4096);
}

/** Layers node-llama-cpp would put on the device for `auto` with this much free device memory (0 when none fit); a number clamped to the model. */
export async function plannedLayers(insights: GgufInsights, llama: Llama, config: Pick<LoadConfig, "gpuLayers">, state: MemoryState): Promise<number> {
  if (typeof config.gpuLayers === "number") return Math.max(0, Math.min(Math.floor(config.gpuLayers), insights.totalLayers));
  try {
    return await insights.configurationResolver.resolveModelGpuLayers("auto", {
      getVramState: async () => ({ total: state.totalVramBytes, free: state.freeVramBytes }),
      llamaVramPaddingSize: llama.vramPaddingSize,
      llamaGpu: llama.gpu,
      llamaSupportsGpuOffloading: llama.supportsGpuOffloading,
    });
  } catch {
    return 0; // nothing fits on the device: the loader's "auto" attempt will end on 0 layers too
  }
}

/** Throws `too-large-for-memory` when no load attempt can fit; returns warnings when it is tight. */
export async function preflightMemory(
  insights: GgufInsights,
  llama: Llama,
  config: LoadConfig,
  state: MemoryState,
  device: DeviceAssessment,
): Promise<MemoryPreflight> {
  const contextSize = probeContextSize(insights, config);
  const ram = { totalRamBytes: state.totalRamBytes, freeRamBytes: state.freeRamBytes, freeSwapBytes: state.freeSwapBytes };
  if (llama.gpu === false) {
    const model = insights.estimateModelResourceRequirements({ gpuLayers: 0 });
    const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: 0 });
    const warning = checkMemory({ modelRamBytes: model.cpuRam, contextRamBytes: context.cpuRam, ...ram }, config.modelPath);
    return {
      warnings: warning ? [warning] : [],
      layers: 0,
      summary: `memory preflight (CPU, context ${contextSize}): RAM ~${formatBytes(model.cpuRam + context.cpuRam)} needed, ${formatBytes(state.freeRamBytes)} free of ${formatBytes(state.totalRamBytes)}`,
    };
  }
  const layers = await plannedLayers(insights, llama, config, state);
  const model = insights.estimateModelResourceRequirements({ gpuLayers: layers, gpuSupportsMmap: llama.gpuSupportsMmap });
  const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: layers });
  const deviceName = [...device.gpus, ...device.software].join(", ") || `the ${llama.gpu} device`;
  const warnings = checkGpuMemory(
    {
      ...ram,
      layers,
      totalLayers: insights.totalLayers,
      modelRamBytes: model.cpuRam,
      contextRamBytes: context.cpuRam,
      modelVramBytes: model.gpuVram,
      contextVramBytes: context.gpuVram,
      totalVramBytes: state.totalVramBytes,
      freeVramBytes: state.freeVramBytes,
      device: deviceName,
    },
    config.modelPath,
  );
  return {
    warnings,
    layers,
    summary:
      `memory preflight (${llama.gpu}, ${layers} of ${insights.totalLayers} layers on ${deviceName}, context ${contextSize}): ` +
      `VRAM ~${formatBytes(model.gpuVram + context.gpuVram)} needed, ${formatBytes(state.freeVramBytes)} free of ${formatBytes(state.totalVramBytes)}; ` +
      `RAM ~${formatBytes(model.cpuRam + context.cpuRam)} needed, ${formatBytes(state.freeRamBytes)} free of ${formatBytes(state.totalRamBytes)}`,
  };
}
