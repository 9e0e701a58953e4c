/**
 * Opens llama.cpp's compute backend for the `gpu` setting, one fallback step at a time, each
 * step said in `fallbacks`: an explicit GPU that is unavailable falls back to the CPU; a Vulkan
 * backend with no device, or (for `auto`) only a software renderer, is closed again and the CPU
 * backend opened instead, because offloading to llvmpipe is slower than the CPU backend.
 */
import type { Llama } from "node-llama-cpp";
import { EngineError } from "../../common/errors";
import type { Backend, LoadConfig } from "../../common/types";
import { backendAttempts, backendName } from "../hardware/backend";
import type { LlamaGpuOption } from "../hardware/backend";
import { assessDevices } from "../hardware/devices";
import type { DeviceAssessment } from "../hardware/devices";

export interface OpenedLlama {
  readonly llama: Llama;
  readonly device: DeviceAssessment;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function backendOf(llama: Llama): Backend {
  return llama.gpu === false ? "cpu" : llama.gpu;
}

const list = (names: readonly string[]): string => names.join(", ");

/** Why a backend that opened is not used, or null when it is. */
function rejection(gpu: LlamaGpuOption, device: DeviceAssessment): string | null {
  if (device.kind === "none") {
    return gpu === "auto"
      ? "No usable GPU was found: the Vulkan backend shows no GPU device (software renderers such as llvmpipe are hidden), so the model runs on the CPU backend."
      : "Vulkan was requested but shows no device (no GPU with a Vulkan driver; software renderers such as llvmpipe are hidden unless GGML_VK_VISIBLE_DEVICES is set): falling back to the CPU.";
  }
  if (device.kind === "software" && gpu === "auto") {
    return `The only Vulkan device is ${list(device.software)}, a software renderer that runs on the CPU and is slower than llama.cpp's CPU backend: using the CPU backend instead (set selfBraking.model.gpu to "vulkan" to use it anyway).`;
  }
  return null;
}

/** Tries each backend in turn (see the file comment); `warnings` gets what the user should know about the one used. */
export async function openBackend(
  choice: LoadConfig["gpu"],
  getLlama: (gpu: LlamaGpuOption) => Promise<Llama>,
  fallbacks: string[],
  warnings: string[] = [],
  /** Devices llama.cpp itself reported as CPU-type (from its log); asked only of a GPU backend. */
  cpuTypeDevices: () => Promise<readonly string[]> = async () => [],
): Promise<OpenedLlama> {
  const attempts = backendAttempts(choice);
  let lastError: unknown = null;
  for (let i = 0; i < attempts.length; i++) {
    const gpu = attempts[i] as LlamaGpuOption;
    const next = attempts[i + 1];
    let llama: Llama;
    try {
      llama = await getLlama(gpu);
    } catch (error) {
      lastError = error;
      if (next !== undefined) {
        fallbacks.push(`${backendName(gpu)} was requested but is not available here (${message(error)}): falling back to ${backendName(next)}.`);
      }
      continue;
    }
    const backend = backendOf(llama);
    if (gpu === "auto" && backend === "cpu") {
      fallbacks.push("No usable GPU backend (CUDA, Vulkan or Metal) was found on this machine: running on the CPU.");
    }
    const names = backend === "cpu" ? [] : await llama.getGpuDeviceNames().catch(() => []);
    const device = assessDevices(backend, names, backend === "vulkan" ? await cpuTypeDevices() : []);
    const rejected = next === undefined ? null : rejection(gpu, device);
    if (rejected !== null) {
      fallbacks.push(rejected);
      await llama.dispose().catch(() => undefined);
      continue;
    }
    if (device.kind === "software") {
      warnings.push(
        `Vulkan runs on ${list(device.software)}, a software renderer: the layers offloaded to it are computed on the CPU, so expect it to be slower than selfBraking.model.gpu "cpu".`,
      );
    } else if (device.kind === "gpu" && device.software.length > 0) {
      warnings.push(
        `Vulkan also sees ${list(device.software)}, a software renderer, beside ${list(device.gpus)}: llama.cpp may split layers onto it. Set GGML_VK_VISIBLE_DEVICES to the GPU's index to keep them off it.`,
      );
    }
    return { llama, device };
  }
  throw new EngineError("backend-unavailable", `No llama.cpp backend could be started (${message(lastError)}). Reinstall the extension, or set selfBraking.model.gpu to "cpu".`);
}
