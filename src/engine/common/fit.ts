/**
 * Will a model fit this machine, and how fast will it roughly be? The types of the fit estimate
 * and the one pure function that classifies a memory need against a machine. Both estimates use
 * it: the engine's `fit` request (a local GGUF, through node-llama-cpp's GgufInsights) and
 * `estimateFitFromSize` (a catalogue entry not yet downloaded, from its size). Plain numbers in,
 * plain data out: no node-llama-cpp here.
 */
import { formatBytes } from "../../core/format";

/** gpu: every layer on the GPU; partial: some; cpu: none (no GPU, or no layer fits); none: does not fit in memory at all. */
export const FIT_VERDICTS = ["gpu", "partial", "cpu", "none"] as const;
export type FitVerdict = (typeof FIT_VERDICTS)[number];

/** A rough tokens/s class: fast ≥ 15 tok/s, usable ≥ 4 tok/s, slow below (see {@link speedOf}). */
export const SPEED_CLASSES = ["fast", "usable", "slow"] as const;
export type SpeedClass = (typeof SPEED_CLASSES)[number];

export interface FitEstimate {
  readonly verdict: FitVerdict;
  /** Layers on the GPU in the estimate, of `totalLayers`. */
  readonly gpuLayers: number;
  readonly totalLayers: number;
  /** The context size (tokens) the estimate assumes. */
  readonly contextSize: number;
  /** Expected RAM for the weights not on the GPU plus the context's share. */
  readonly ramBytes: number;
  /** Expected GPU memory for the layers on it plus the context's share. */
  readonly vramBytes: number;
  readonly freeRamBytes: number;
  /** 0 without a GPU. */
  readonly freeVramBytes: number;
  readonly speedClass: SpeedClass;
  /** One line for the user: "needs 9.1 GiB, 6.0 GiB of VRAM free: 22 of 36 layers on the GPU". */
  readonly reason: string;
}

export interface MachineGpu {
  /** Device name(s) as llama.cpp reports them ("NVIDIA GeForce RTX 3060"). */
  readonly name: string;
  readonly totalVramBytes: number;
  readonly freeVramBytes: number;
  /** A software renderer (llvmpipe): its "VRAM" is RAM and it computes on the CPU. */
  readonly software?: boolean;
}

/** The machine a fit is estimated for (the engine's `machine` request reads it). */
export interface MachineState {
  readonly totalRamBytes: number;
  readonly freeRamBytes: number;
  /** Free swap; absent counts as none. */
  readonly freeSwapBytes?: number;
  /** Null: no GPU backend (CPU only). */
  readonly gpu: MachineGpu | null;
}

/** What a model needs with a given split of its layers (worked out by one of the two estimates). */
export interface FitNeed {
  readonly totalLayers: number;
  /** Layers the estimate puts on the GPU (0 without one). */
  readonly gpuLayers: number;
  readonly contextSize: number;
  readonly ramBytes: number;
  readonly vramBytes: number;
  /** Weight bytes read for each generated token (the file's tensor data; for a mixture of experts, the active share). */
  readonly bytesPerToken: number;
}

/** The context size "auto" stands for in an estimate: the model's trained size, at most this (a reasoning answer rarely needs more). */
export const FIT_AUTO_CONTEXT_CAP = 8192;

/** The context an estimate assumes: a number as set; "auto" as the model's trained length (or what the loader would pick), capped. */
export function fitContextSize(setting: "auto" | number, trainedOrPicked: number | null | undefined): number {
  if (typeof setting === "number") return setting;
  const natural = trainedOrPicked !== null && trainedOrPicked !== undefined && trainedOrPicked > 0 ? trainedOrPicked : 4096;
  return Math.min(natural, FIT_AUTO_CONTEXT_CAP);
}

/**
 * Memory bandwidth the speed class assumes: generating a token reads every weight once, so
 * tokens/s ≈ bandwidth / bytes read. Rough on purpose (a desktop's dual-channel RAM, a mid-range
 * GPU): a class, not a promise.
 */
export const CPU_BYTES_PER_SECOND = 20e9;
export const GPU_BYTES_PER_SECOND = 300e9;

/** Rough tokens per second for this split (0 when nothing is read, which does not happen for a real model). */
export function tokensPerSecond(need: FitNeed, gpu: MachineGpu | null): number {
  const share = need.totalLayers > 0 ? Math.min(1, need.gpuLayers / need.totalLayers) : 0;
  const gpuRate = gpu !== null && gpu.software !== true ? GPU_BYTES_PER_SECOND : CPU_BYTES_PER_SECOND;
  const seconds = (need.bytesPerToken * (1 - share)) / CPU_BYTES_PER_SECOND + (need.bytesPerToken * share) / gpuRate;
  return seconds > 0 ? 1 / seconds : Number.POSITIVE_INFINITY;
}

function speedOf(need: FitNeed, machine: MachineState): SpeedClass {
  const tps = tokensPerSecond(need, machine.gpu);
  let speed: SpeedClass = tps >= 15 ? "fast" : tps >= 4 ? "usable" : "slow";
  // Over the free RAM the system swaps: one class down.
  if (need.ramBytes > machine.freeRamBytes) speed = speed === "fast" ? "usable" : "slow";
  return speed;
}

/** The order a picker lists fits in: best first. */
export function fitRank(fit: FitEstimate): number {
  const verdict = { gpu: 0, partial: 1, cpu: 2, none: 3 }[fit.verdict];
  const speed = { fast: 0, usable: 1, slow: 2 }[fit.speedClass];
  return verdict * 3 + speed;
}

/** Sorts by fit (best first), then by the caller's order (stable). */
export function compareFits(a: FitEstimate, b: FitEstimate): number {
  return fitRank(a) - fitRank(b);
}

/** The one classification of a need against a machine: verdict, speed class and the reason line. */
export function classifyFit(need: FitNeed, machine: MachineState): FitEstimate {
  const gpu = machine.gpu;
  const gpuLayers = gpu === null ? 0 : Math.max(0, Math.min(need.gpuLayers, need.totalLayers));
  const ramBytes = Math.max(0, Math.round(need.ramBytes));
  const vramBytes = gpuLayers > 0 ? Math.max(0, Math.round(need.vramBytes)) : 0;
  const base = {
    gpuLayers,
    totalLayers: need.totalLayers,
    contextSize: need.contextSize,
    ramBytes,
    vramBytes,
    freeRamBytes: machine.freeRamBytes,
    freeVramBytes: gpu?.freeVramBytes ?? 0,
  };
  const total = ramBytes + vramBytes;
  const swap = machine.freeSwapBytes ?? 0;
  const context = `context ${need.contextSize}`;
  const vramFree = gpu === null ? "" : ` and ${formatBytes(gpu.freeVramBytes)} of VRAM free`;

  if (ramBytes > machine.totalRamBytes + swap || (gpu !== null && vramBytes > gpu.totalVramBytes)) {
    const where = gpuLayers > 0 ? ` (${formatBytes(ramBytes)} of RAM with ${gpuLayers} of ${need.totalLayers} layers on the GPU)` : "";
    return {
      ...base,
      verdict: "none",
      speedClass: "slow",
      reason:
        `needs ${formatBytes(total)}${where}, ${context}; this machine has ${formatBytes(machine.totalRamBytes)} of RAM (${formatBytes(machine.freeRamBytes)} free)` +
        `${swap > 0 ? `, ${formatBytes(swap)} of free swap` : ""}${vramFree}: does not fit`,
    };
  }

  const speedClass = speedOf({ ...need, gpuLayers }, machine);
  const tight = ramBytes > machine.freeRamBytes ? `; more than the ${formatBytes(machine.freeRamBytes)} of RAM free now: expect swapping` : "";
  const software = gpu?.software === true ? " (a software renderer: it runs on the CPU)" : "";
  if (gpu !== null && gpuLayers > 0 && gpuLayers >= need.totalLayers) {
    return {
      ...base,
      verdict: "gpu",
      speedClass,
      reason: `needs ${formatBytes(total)}, ${formatBytes(gpu.freeVramBytes)} of VRAM free: all ${need.totalLayers} layers on the GPU${software}, ${context}${tight}`,
    };
  }
  if (gpu !== null && gpuLayers > 0) {
    return {
      ...base,
      verdict: "partial",
      speedClass,
      reason: `needs ${formatBytes(total)}, ${formatBytes(gpu.freeVramBytes)} of VRAM free: ${gpuLayers} of ${need.totalLayers} layers on the GPU${software}, the rest in RAM (${formatBytes(ramBytes)}), ${context}${tight}`,
    };
  }
  const why = gpu === null ? "no GPU" : `${formatBytes(gpu.freeVramBytes)} of VRAM free: no layer fits on the GPU`;
  return {
    ...base,
    verdict: "cpu",
    speedClass,
    reason: `needs ${formatBytes(total)} of RAM, ${formatBytes(machine.freeRamBytes)} free: CPU only (${why}), ${context}${tight}`,
  };
}
