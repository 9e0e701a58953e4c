/**
 * The fit of a model that is not on this machine yet (a catalogue entry), from its size alone:
 * no header to read, no llama.cpp. Weights ≈ the file's size; the KV cache from the layer count
 * and the context where they are known, else rules of thumb; layers go on the GPU while they fit
 * in its free memory. Pure: the machine comes in as numbers (the engine's `machine` request).
 * Classified by the same function as the engine's estimate of a local file (common/fit.ts).
 */
import { classifyFit, fitContextSize } from "../common/fit";
import type { FitEstimate, MachineState } from "../common/fit";

/** What is known of a model before it is downloaded (a CatalogueEntry fits; so does a discovered model's facts). */
export interface SizedModel {
  readonly sizeBytes: number;
  /** Total parameters (for the layer rule of thumb). */
  readonly parameters?: number | null;
  /** Active parameters per token of a mixture of experts (the speed reads only these). */
  readonly activeParameters?: number;
  /** `<architecture>.block_count`, when known. */
  readonly blockCount?: number | null;
  /** The trained context length, when known. */
  readonly contextLength?: number | null;
}

export interface SizeFitOptions {
  /** selfBraking.model.contextSize: "auto" is the trained length capped at FIT_AUTO_CONTEXT_CAP. */
  readonly contextSize?: "auto" | number;
}

/**
 * KV cache per token per layer: K and V, f16, a key/value width of 1024 (8 KV heads × 128, the
 * grouped-query shape of most 7B–70B models; smaller models have less, so this errs high).
 */
export const KV_BYTES_PER_TOKEN_PER_LAYER = 2 * 1024 * 2;
/** Compute buffers and the like, beside the weights and the KV cache (llama.cpp's graph, scratch). */
export const OVERHEAD_BYTES = 320 * 1024 * 1024;
/** GPU memory left unused: drivers and the desktop need some, and node-llama-cpp pads too. */
export function vramReserve(totalVramBytes: number): number {
  return Math.min(1024 ** 3, Math.max(256 * 1024 ** 2, 0.06 * totalVramBytes));
}

/** Layers of a dense transformer of this many parameters, when the header is not at hand (Qwen2.5/Llama shapes). */
export function layersFromParameters(parameters: number | null | undefined): number {
  if (parameters === null || parameters === undefined || !(parameters > 0)) return 32;
  const billions = parameters / 1e9;
  if (billions <= 2.5) return 28;
  if (billions <= 9) return 36;
  if (billions <= 16) return 48;
  if (billions <= 40) return 64;
  return 80;
}

export function estimateFitFromSize(model: SizedModel, machine: MachineState, options: SizeFitOptions = {}): FitEstimate {
  // Blocks plus the output layer: the layers node-llama-cpp counts and offloads (GgufInsights.totalLayers).
  const blocks = model.blockCount !== null && model.blockCount !== undefined && model.blockCount > 0 ? model.blockCount : layersFromParameters(model.parameters);
  const totalLayers = blocks + 1;
  const contextSize = fitContextSize(options.contextSize ?? "auto", model.contextLength);
  const weights = Math.max(0, model.sizeBytes);
  const kv = contextSize * blocks * KV_BYTES_PER_TOKEN_PER_LAYER;
  const perLayer = (weights + kv) / totalLayers;

  let gpuLayers = 0;
  const gpu = machine.gpu;
  if (gpu !== null) {
    const budget = gpu.freeVramBytes - vramReserve(gpu.totalVramBytes) - OVERHEAD_BYTES;
    gpuLayers = budget > 0 ? Math.min(totalLayers, Math.floor(budget / perLayer)) : 0;
  }
  const onGpu = gpuLayers * perLayer;
  const active = model.activeParameters !== undefined && model.parameters ? Math.min(1, model.activeParameters / model.parameters) : 1;
  return classifyFit(
    {
      totalLayers,
      gpuLayers,
      contextSize,
      ramBytes: weights + kv - onGpu + (gpuLayers > 0 ? 0 : OVERHEAD_BYTES),
      vramBytes: gpuLayers > 0 ? onGpu + OVERHEAD_BYTES : 0,
      bytesPerToken: weights * active,
    },
    machine,
  );
}
