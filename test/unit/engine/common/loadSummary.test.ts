import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadedIn, loadSummaryParts } from "../../../../src/engine/common/loadSummary";
import type { LoadReport } from "../../../../src/engine/common/types";

const cpu: LoadReport = {
  modelPath: "/m/demo.gguf",
  modelName: "demo",
  architecture: "llama",
  fileBytes: 1000,
  parameters: 100,
  scripted: true,
  requestedBackend: "auto",
  backend: "cpu",
  device: { kind: "cpu", note: "CPU only" },
  gpuDevices: [],
  layersOffloaded: 0,
  layersTotal: 2,
  contextSize: 4096,
  threads: 1,
  threadsReason: "tiny model",
  memory: { ramBytes: 1, vramBytes: 0, processRssBytes: 1 },
  timings: { importMs: 0, backendMs: 0, modelMs: 0, contextMs: 0, chatFormatMs: 0, totalMs: 1234 },
  chatWrapper: "Qwen",
  chatWrapperNote: null,
  thinkingSupported: true,
  fallbacks: [],
  warnings: [],
};

describe("the load summary line", () => {
  it("says CPU without devices or layers", () => {
    assert.deepEqual(loadSummaryParts(cpu), ["CPU", "context 4096", "1 thread"]);
    assert.equal(loadedIn(cpu), "loaded in 1.2\u00a0s");
  });

  it("never shows a GPU backend without what it means", () => {
    const software: LoadReport = { ...cpu, backend: "vulkan", device: { kind: "software", note: "software renderer — runs on the CPU" }, gpuDevices: ["llvmpipe (LLVM 15.0.6, 256 bits)"], layersOffloaded: 2, threads: 2 };
    assert.deepEqual(loadSummaryParts(software), ["Vulkan (software renderer — runs on the CPU)", "llvmpipe (LLVM 15.0.6, 256 bits)", "2/2 layers offloaded", "context 4096", "2 threads"]);
    const gpu: LoadReport = { ...cpu, backend: "cuda", device: { kind: "gpu", note: "GPU" }, gpuDevices: ["NVIDIA H100"], layersOffloaded: 1 };
    assert.deepEqual(loadSummaryParts(gpu).slice(0, 3), ["CUDA (GPU)", "NVIDIA H100", "1/2 layers on GPU"]);
  });
});
