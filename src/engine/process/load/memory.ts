/**
 * Will the model fit? The arithmetic of the memory preflight, on plain numbers: GgufInsights'
 * estimate of the weights and the context for the layers chosen, against the machine's memory.
 * Refuses (`too-large-for-memory`, with the numbers) when no attempt the loader would make can
 * fit; returns warnings when it is tight.
 */
import { formatBytes } from "../../../core/format";
import { EngineError } from "../../common/errors";

/** The machine's memory, as node-llama-cpp reads it (injectable for tests). */
export interface MemoryState {
  readonly totalRamBytes: number;
  readonly freeRamBytes: number;
  readonly freeSwapBytes: number;
  /** 0 and 0 on the CPU backend. */
  readonly totalVramBytes: number;
  readonly freeVramBytes: number;
}

export interface MemoryNeed {
  readonly modelRamBytes: number;
  readonly contextRamBytes: number;
  readonly totalRamBytes: number;
  readonly freeRamBytes: number;
  readonly freeSwapBytes: number;
}

/** Throws when the model cannot fit in this machine's memory even on the CPU; returns a warning when it is tight. */
export function checkMemory(need: MemoryNeed, modelPath: string): string | null {
  const required = need.modelRamBytes + need.contextRamBytes;
  const details = {
    requiredBytes: Math.round(required),
    modelBytes: Math.round(need.modelRamBytes),
    contextBytes: Math.round(need.contextRamBytes),
    totalRamBytes: need.totalRamBytes,
    freeRamBytes: need.freeRamBytes,
    path: modelPath,
  };
  if (required > need.totalRamBytes + need.freeSwapBytes) {
    throw new EngineError(
      "too-large-for-memory",
      `This model needs about ${formatBytes(required)} of memory (weights ${formatBytes(need.modelRamBytes)} + context ${formatBytes(need.contextRamBytes)}), ` +
        `but this machine has ${formatBytes(need.totalRamBytes)} of RAM (${formatBytes(need.freeRamBytes)} free) and ${formatBytes(need.freeSwapBytes)} of free swap. ` +
        "Use a smaller model or quantisation (e.g. Q4_K_M), lower selfBraking.model.contextSize, or offload layers to a GPU (selfBraking.model.gpu).",
      details,
    );
  }
  if (required > need.freeRamBytes + need.freeSwapBytes) {
    return `The model needs about ${formatBytes(required)} but only ${formatBytes(need.freeRamBytes)} of RAM is free: expect swapping or a slow start.`;
  }
  return null;
}

export interface GpuMemoryNeed extends MemoryNeed {
  /** Layers the first load attempt puts on the device, of `totalLayers`. */
  readonly layers: number;
  readonly totalLayers: number;
  readonly modelVramBytes: number;
  readonly contextVramBytes: number;
  readonly totalVramBytes: number;
  readonly freeVramBytes: number;
  /** For the messages: "llvmpipe (…)", "NVIDIA GeForce RTX 3060". */
  readonly device: string;
}

/**
 * The preflight of a GPU backend. The loader tries the planned layers, then fewer, down to none,
 * and fewer layers on the device only ever need more RAM: so when the RAM share of the planned
 * split does not fit in RAM plus free swap, no attempt can load and the model is refused. A
 * device share above the free device memory, or a RAM share above the free RAM, is a warning.
 */
export function checkGpuMemory(need: GpuMemoryNeed, modelPath: string): string[] {
  const ram = need.modelRamBytes + need.contextRamBytes;
  const vram = need.modelVramBytes + need.contextVramBytes;
  const split = `${need.layers} of ${need.totalLayers} layers on ${need.device}`;
  if (ram > need.totalRamBytes + need.freeSwapBytes) {
    throw new EngineError(
      "too-large-for-memory",
      `With ${split}, this model needs about ${formatBytes(vram)} of GPU memory (${formatBytes(need.freeVramBytes)} free of ${formatBytes(need.totalVramBytes)}) ` +
        `and ${formatBytes(ram)} of RAM (weights ${formatBytes(need.modelRamBytes)} + context ${formatBytes(need.contextRamBytes)}), ` +
        `but this machine has ${formatBytes(need.totalRamBytes)} of RAM (${formatBytes(need.freeRamBytes)} free) and ${formatBytes(need.freeSwapBytes)} of free swap; fewer GPU layers would need even more RAM. ` +
        "Use a smaller model or quantisation (e.g. Q4_K_M), lower selfBraking.model.contextSize, or offload more layers (selfBraking.model.gpuLayers).",
      {
        layers: need.layers,
        totalLayers: need.totalLayers,
        requiredRamBytes: Math.round(ram),
        requiredVramBytes: Math.round(vram),
        totalRamBytes: need.totalRamBytes,
        freeRamBytes: need.freeRamBytes,
        totalVramBytes: need.totalVramBytes,
        freeVramBytes: need.freeVramBytes,
        path: modelPath,
      },
    );
  }
  const warnings: string[] = [];
  if (vram > need.freeVramBytes) {
    warnings.push(
      `${split} need about ${formatBytes(vram)} of GPU memory (weights ${formatBytes(need.modelVramBytes)} + context ${formatBytes(need.contextVramBytes)}) but only ${formatBytes(need.freeVramBytes)} is free: fewer layers will be tried if it does not load.`,
    );
  }
  if (ram > need.freeRamBytes + need.freeSwapBytes) {
    warnings.push(`With ${split}, the model needs about ${formatBytes(ram)} of RAM but only ${formatBytes(need.freeRamBytes)} is free: expect swapping or a slow start.`);
  }
  return warnings;
}
