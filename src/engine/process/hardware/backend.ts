/**
 * The order in which compute backends and GPU layer counts are tried, so that a failure falls
 * back one step at a time and every step is reported.
 */
import type { GpuChoice } from "../../common/types";

/** A value for node-llama-cpp's `getLlama({ gpu })`. */
export type LlamaGpuOption = "auto" | "cuda" | "vulkan" | "metal" | false;

export function backendAttempts(choice: GpuChoice): LlamaGpuOption[] {
  switch (choice) {
    case "auto":
      return ["auto", false];
    case "cpu":
      return [false];
    default:
      return [choice, false];
  }
}

export function backendName(gpu: LlamaGpuOption): string {
  switch (gpu) {
    case "auto":
      return "automatic GPU detection";
    case "cuda":
      return "CUDA";
    case "vulkan":
      return "Vulkan";
    case "metal":
      return "Metal";
    case false:
      return "the CPU";
  }
}

/** GPU layer counts to try, most first; the last attempt is always 0 (CPU only). */
export function layerAttempts(setting: "auto" | number, onGpu: boolean, totalLayers: number): Array<"auto" | number> {
  if (!onGpu) return [0];
  if (setting === "auto") return ["auto", 0];
  const attempts: number[] = [];
  let n = Math.min(Math.max(0, Math.floor(setting)), Math.max(0, totalLayers));
  while (n > 0) {
    attempts.push(n);
    n = Math.floor(n / 2);
  }
  attempts.push(0);
  return [...new Set(attempts)];
}
