/**
 * Is the backend's device a GPU? A Vulkan "device" can be a software renderer that runs on the
 * CPU (Mesa's llvmpipe, installed with every Linux desktop's Mesa): offloading to it is slower
 * than llama.cpp's own CPU backend, so `gpu: "auto"` must not pick it, and an explicit `vulkan`
 * on it must say what it is.
 *
 * Vulkan says so itself (VkPhysicalDeviceType CPU), but node-llama-cpp 3.21.1 does not pass the
 * type on: `getGpuDeviceNames()` lists every device llama.cpp classes as GPU or integrated GPU,
 * and llama.cpp's Vulkan backend maps a CPU-type device onto those too when it is made visible
 * (GGML_VK_VISIBLE_DEVICES; by default it hides them). Two signals are used:
 * 1. the device name against the known software renderers (below): stable, always available;
 * 2. llama.cpp's own debug line "ggml_vulkan: Warning: Device type is CPU", printed after the
 *    device's line while the backend starts (`VulkanDeviceLog`), which also catches a software
 *    renderer missing from the list. It is a log line, not an API, so it only adds to the list.
 */
import type { Backend } from "../../common/types";
import type { DeviceKind } from "../../../core/vocabulary";

/**
 * Vulkan (and other API) implementations that run on the CPU, by the device name they report.
 * - llvmpipe: Mesa's LLVM rasteriser; its Vulkan driver, lavapipe (Debian mesa-vulkan-drivers),
 *   reports devices as "llvmpipe (LLVM 15.0.6, 256 bits)".
 * - lavapipe: the driver's own name, in case a build reports it.
 * - SwiftShader: Google's CPU Vulkan ("SwiftShader Device (Subzero)"/"(LLVM)"), bundled with
 *   Chrome/Android emulators and some CI images.
 * - softpipe: Mesa's reference rasteriser.
 * - Microsoft Basic Render Driver / WARP: Windows' software adapter, seen through Mesa's
 *   Vulkan-on-D3D12 driver (dozen) under WSL.
 */
export const SOFTWARE_RENDERERS: ReadonlyArray<{ readonly pattern: RegExp; readonly name: string }> = [
  { pattern: /\bllvmpipe\b/i, name: "llvmpipe" },
  { pattern: /\blavapipe\b/i, name: "lavapipe" },
  { pattern: /\bswiftshader\b/i, name: "SwiftShader" },
  { pattern: /\bsoftpipe\b/i, name: "softpipe" },
  { pattern: /\bMicrosoft Basic Render\b/i, name: "Microsoft Basic Render Driver" },
  { pattern: /\bWARP\b/, name: "WARP" },
];

export function isSoftwareRenderer(deviceName: string, cpuTypeDevices: readonly string[] = []): boolean {
  return cpuTypeDevices.some((cpu) => sameDevice(cpu, deviceName)) || SOFTWARE_RENDERERS.some((r) => r.pattern.test(deviceName));
}

/** Device names from different sources ("llvmpipe (LLVM 15.0.6, 256 bits)" vs the log's "… (llvmpipe)") compared by prefix. */
function sameDevice(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  return x.length > 0 && y.length > 0 && (x.startsWith(y) || y.startsWith(x));
}

export interface DeviceAssessment {
  /** What the backend means for the user. `none`: a GPU backend that shows no device at all. */
  readonly kind: DeviceKind | "none";
  /** Real GPUs among the devices. */
  readonly gpus: readonly string[];
  /** Software renderers among the devices. */
  readonly software: readonly string[];
}

export function assessDevices(backend: Backend, deviceNames: readonly string[], cpuTypeDevices: readonly string[] = []): DeviceAssessment {
  if (backend === "cpu") return { kind: "cpu", gpus: [], software: [] };
  const software = deviceNames.filter((name) => isSoftwareRenderer(name, cpuTypeDevices));
  const gpus = deviceNames.filter((name) => !software.includes(name));
  // CUDA and Metal list only real GPUs; an empty list there is node-llama-cpp not naming them, not "no device".
  if (backend !== "vulkan") return { kind: "gpu", gpus, software };
  if (gpus.length > 0) return { kind: "gpu", gpus, software };
  return { kind: software.length > 0 ? "software" : "none", gpus, software };
}

/** The words shown next to the backend (header, status bar, CLI). */
const DEVICE_NOTES: Record<DeviceKind, string> = { gpu: "GPU", software: "software renderer — runs on the CPU", cpu: "CPU only", server: "on the server" };

export function deviceNote(kind: DeviceKind): string {
  return DEVICE_NOTES[kind];
}

/**
 * Collects, from llama.cpp's Vulkan start-up lines ("ggml_vulkan: 0 = llvmpipe (LLVM …) (llvmpipe)
 * | uma: 0 | …" then "ggml_vulkan: Warning: Device type is CPU. …"), the devices whose Vulkan
 * type is CPU.
 */
export class VulkanDeviceLog {
  private last: string | null = null;
  private readonly cpu: string[] = [];
  private expected: number | null = null;
  private seen = 0;

  feed(line: string): void {
    const found = /ggml_vulkan: Found (\d+) Vulkan devices?/i.exec(line);
    if (found?.[1]) {
      this.expected = Number(found[1]);
      return;
    }
    if (/ggml_vulkan: No devices found/i.test(line)) {
      this.expected = 0;
      return;
    }
    const device = /ggml_vulkan:\s*\d+\s*=\s*([^|]+?)\s*(?:\|.*)?$/.exec(line);
    if (device?.[1]) {
      this.last = device[1];
      this.seen++;
      return;
    }
    if (/ggml_vulkan:.*Device type is CPU/i.test(line) && this.last !== null && !this.cpu.includes(this.last)) this.cpu.push(this.last);
  }

  /** Every device llama.cpp announced has been named (its lines reach JavaScript asynchronously). */
  get complete(): boolean {
    return this.expected !== null && this.seen >= this.expected;
  }

  get cpuTypeDevices(): readonly string[] {
    return this.cpu;
  }

  /**
   * Waits (at most `maxMs`) for llama.cpp's start-up lines, which node-llama-cpp delivers through
   * the event loop, sometimes after getLlama has resolved; then one more turn for the type line
   * that follows a device's line.
   */
  async settle(maxMs = 250): Promise<readonly string[]> {
    const until = performance.now() + maxMs;
    while (!this.complete && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.cpu;
  }
}
