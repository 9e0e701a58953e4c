import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Llama } from "node-llama-cpp";
import { backendAttempts, layerAttempts } from "../../../../src/engine/process/hardware/backend";
import type { LlamaGpuOption } from "../../../../src/engine/process/hardware/backend";
import { assessDevices, deviceNote, isSoftwareRenderer, VulkanDeviceLog } from "../../../../src/engine/process/hardware/devices";
import { chooseThreads } from "../../../../src/engine/process/hardware/threads";
import { openBackend } from "../../../../src/engine/process/load/loader";
import { EngineError } from "../../../../src/engine/common/errors";

const LLVMPIPE = "llvmpipe (LLVM 15.0.6, 256 bits)";

/** Only what openBackend reads from a Llama: its backend, device names, and dispose (counted). */
function fakeLlama(gpu: Llama["gpu"], deviceNames: string[] = [], disposed: Array<Llama["gpu"]> = []): Llama {
  const stand = { gpu, getGpuDeviceNames: async () => deviceNames, dispose: async () => void disposed.push(gpu) };
  return stand as unknown as Llama; // a stand-in: openBackend reads only these three members
}

describe("backend fallback", () => {
  it("tries the requested GPU, then the CPU", () => {
    assert.deepEqual(backendAttempts("cuda"), ["cuda", false]);
    assert.deepEqual(backendAttempts("auto"), ["auto", false]);
    assert.deepEqual(backendAttempts("cpu"), [false]);
  });

  it("reports a GPU that is not available and lands on the CPU", async () => {
    const tried: LlamaGpuOption[] = [];
    const fallbacks: string[] = [];
    const { llama } = await openBackend(
      "cuda",
      async (gpu) => {
        tried.push(gpu);
        if (gpu === "cuda") throw new Error("NoBinaryFoundError");
        return fakeLlama(false);
      },
      fallbacks,
    );
    assert.equal(llama.gpu, false);
    assert.deepEqual(tried, ["cuda", false]);
    assert.deepEqual(fallbacks, ["CUDA was requested but is not available here (NoBinaryFoundError): falling back to the CPU."]);
  });

  it("says so when automatic detection finds no GPU", async () => {
    const fallbacks: string[] = [];
    await openBackend("auto", async () => fakeLlama(false), fallbacks);
    assert.match(fallbacks[0] ?? "", /No usable GPU backend/);
    const none: string[] = [];
    await openBackend("auto", async () => fakeLlama("vulkan", ["NVIDIA GeForce RTX 3060"]), none);
    assert.deepEqual(none, []);
  });

  it("fails with a clear error when not even the CPU backend starts", async () => {
    await assert.rejects(
      openBackend("cpu", async () => {
        throw new Error("broken install");
      }, []),
      (e: unknown) => e instanceof EngineError && e.code === "backend-unavailable" && /broken install/.test(e.message),
    );
  });

  it("offloads fewer layers step by step, ending on the CPU", () => {
    assert.deepEqual(layerAttempts(40, true, 32), [32, 16, 8, 4, 2, 1, 0]);
    assert.deepEqual(layerAttempts("auto", true, 32), ["auto", 0]);
    assert.deepEqual(layerAttempts("auto", false, 32), [0]);
    assert.deepEqual(layerAttempts(0, true, 32), [0]);
  });
});

describe("which device a backend runs on", () => {
  it("knows the software renderers by name, and the devices llama.cpp logged as CPU-type", () => {
    for (const name of [LLVMPIPE, "SwiftShader Device (Subzero)", "Mesa lavapipe", "softpipe", "Microsoft Basic Render Driver"]) assert.ok(isSoftwareRenderer(name), name);
    for (const name of ["NVIDIA GeForce RTX 3060", "AMD Radeon RX 7900 XTX (RADV NAVI31)", "Intel(R) UHD Graphics 770 (ADL-S GT1)", "Apple M2"]) assert.equal(isSoftwareRenderer(name), false, name);
    assert.equal(isSoftwareRenderer("Future CPU Renderer"), false);
    assert.equal(isSoftwareRenderer("Future CPU Renderer", ["Future CPU Renderer (futurepipe)"]), true);
  });

  it("reads CPU-type devices from llama.cpp's Vulkan start-up lines", () => {
    const log = new VulkanDeviceLog();
    log.feed("ggml_vulkan: Found 2 Vulkan devices:");
    log.feed("ggml_vulkan: 0 = NVIDIA GeForce RTX 3060 (NVIDIA) | uma: 0 | fp16: 1 | bf16: 0 | warp size: 32");
    assert.equal(log.complete, false, "one of two devices named so far");
    log.feed(`ggml_vulkan: 1 = ${LLVMPIPE} (llvmpipe) | uma: 0 | fp16: 1 | bf16: 0 | warp size: 8`);
    log.feed("ggml_vulkan: Warning: Device type is CPU. This is probably not the device you want.");
    assert.deepEqual(log.cpuTypeDevices, [`${LLVMPIPE} (llvmpipe)`]);
    assert.equal(log.complete, true);
    const none = new VulkanDeviceLog();
    none.feed("ggml_vulkan: No devices found.");
    assert.equal(none.complete, true);
    assert.equal(isSoftwareRenderer(LLVMPIPE, log.cpuTypeDevices), true);
  });

  it("classes a backend as GPU, software renderer, CPU, or a Vulkan with no device", () => {
    assert.equal(assessDevices("cpu", []).kind, "cpu");
    assert.equal(assessDevices("vulkan", []).kind, "none");
    assert.deepEqual(assessDevices("vulkan", [LLVMPIPE]), { kind: "software", gpus: [], software: [LLVMPIPE] });
    assert.deepEqual(assessDevices("vulkan", ["NVIDIA GeForce RTX 3060", LLVMPIPE]), { kind: "gpu", gpus: ["NVIDIA GeForce RTX 3060"], software: [LLVMPIPE] });
    assert.equal(assessDevices("cuda", []).kind, "gpu", "CUDA lists only GPUs; an empty list is not 'no device'");
    assert.equal(deviceNote("software"), "software renderer — runs on the CPU");
    assert.equal(deviceNote("cpu"), "CPU only");
    assert.equal(deviceNote("gpu"), "GPU");
  });

  it("auto: a Vulkan backend whose only device is llvmpipe is closed and the CPU backend used, saying why", async () => {
    const tried: LlamaGpuOption[] = [];
    const disposed: Array<Llama["gpu"]> = [];
    const fallbacks: string[] = [];
    const warnings: string[] = [];
    const opened = await openBackend(
      "auto",
      async (gpu) => {
        tried.push(gpu);
        return gpu === "auto" ? fakeLlama("vulkan", [LLVMPIPE], disposed) : fakeLlama(false, [], disposed);
      },
      fallbacks,
      warnings,
    );
    assert.deepEqual(tried, ["auto", false]);
    assert.deepEqual(disposed, ["vulkan"], "the Vulkan backend is disposed before the CPU one is used");
    assert.equal(opened.llama.gpu, false);
    assert.equal(opened.device.kind, "cpu");
    assert.equal(fallbacks.length, 1);
    assert.match(fallbacks[0] ?? "", /only Vulkan device is llvmpipe .*software renderer.*slower than llama\.cpp's CPU backend.*"vulkan" to use it anyway/);
    assert.deepEqual(warnings, []);
  });

  it("auto: a Vulkan backend with no device at all lands on the CPU, said once", async () => {
    const fallbacks: string[] = [];
    const opened = await openBackend("auto", async (gpu) => (gpu === "auto" ? fakeLlama("vulkan") : fakeLlama(false)), fallbacks);
    assert.equal(opened.llama.gpu, false);
    assert.equal(fallbacks.length, 1);
    assert.match(fallbacks[0] ?? "", /No usable GPU was found: the Vulkan backend shows no GPU device/);
  });

  it("explicit vulkan on llvmpipe is used, with a warning that it runs on the CPU", async () => {
    const fallbacks: string[] = [];
    const warnings: string[] = [];
    const opened = await openBackend("vulkan", async (gpu) => (gpu === "vulkan" ? fakeLlama("vulkan", [LLVMPIPE]) : fakeLlama(false)), fallbacks, warnings);
    assert.equal(opened.llama.gpu, "vulkan");
    assert.equal(opened.device.kind, "software");
    assert.deepEqual(fallbacks, []);
    assert.match(warnings[0] ?? "", /Vulkan runs on llvmpipe .*software renderer.*computed on the CPU.*slower than selfBraking\.model\.gpu "cpu"/);
  });

  it("explicit vulkan with no device falls back to the CPU and says so", async () => {
    const fallbacks: string[] = [];
    const disposed: Array<Llama["gpu"]> = [];
    const opened = await openBackend("vulkan", async (gpu) => (gpu === "vulkan" ? fakeLlama("vulkan", [], disposed) : fakeLlama(false)), fallbacks);
    assert.equal(opened.llama.gpu, false);
    assert.deepEqual(disposed, ["vulkan"]);
    assert.match(fallbacks[0] ?? "", /Vulkan was requested but shows no device.*GGML_VK_VISIBLE_DEVICES.*falling back to the CPU/);
  });

  it("a real GPU beside a visible software renderer is used, with a warning about the split", async () => {
    const warnings: string[] = [];
    const opened = await openBackend("auto", async () => fakeLlama("vulkan", ["AMD Radeon RX 7900 XTX (RADV NAVI31)", LLVMPIPE]), [], warnings);
    assert.equal(opened.device.kind, "gpu");
    assert.match(warnings[0] ?? "", /also sees llvmpipe.*GGML_VK_VISIBLE_DEVICES/);
  });

  it("a device llama.cpp logged as CPU-type counts as software even when its name is unknown", async () => {
    const fallbacks: string[] = [];
    const opened = await openBackend("auto", async (gpu) => (gpu === "auto" ? fakeLlama("vulkan", ["Future CPU Renderer"]) : fakeLlama(false)), fallbacks, [], async () => ["Future CPU Renderer (futurepipe)"]);
    assert.equal(opened.llama.gpu, false);
    assert.match(fallbacks[0] ?? "", /only Vulkan device is Future CPU Renderer/);
  });
});

describe("thread choice", () => {
  const machine = { mathCores: 8, backend: "cpu" as const, layersOffloaded: 0, layersTotal: 32, parameters: 7_000_000_000 };
  it("uses one thread per physical core for a real model on the CPU", () => {
    assert.equal(chooseThreads({ ...machine, setting: "auto" }).threads, 8);
  });
  it("uses one thread for a tiny model", () => {
    assert.equal(chooseThreads({ ...machine, setting: "auto", parameters: 60_000 }).threads, 1);
  });
  it("uses every core from a small real model up (the bench's 42 M model gains from a second thread)", () => {
    assert.equal(chooseThreads({ ...machine, setting: "auto", parameters: 42_000_000 }).threads, 8);
  });
  it("needs few CPU threads when the model is fully on the GPU", () => {
    assert.equal(chooseThreads({ ...machine, setting: "auto", backend: "cuda", layersOffloaded: 32 }).threads, 4);
  });
  it("follows the setting and warns about oversubscription", () => {
    const choice = chooseThreads({ ...machine, setting: 16 });
    assert.equal(choice.threads, 16);
    assert.match(choice.warning ?? "", /more threads than cores/);
  });
});
