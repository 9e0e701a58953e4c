/** The one classification of a fit (src/engine/common/fit.ts), on stated memory. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyFit, compareFits, FIT_AUTO_CONTEXT_CAP, fitContextSize, tokensPerSecond } from "../../../../src/engine/common/fit";
import type { FitNeed, MachineState } from "../../../../src/engine/common/fit";

const GiB = 1024 ** 3;
const GPU_6_FREE: MachineState = { totalRamBytes: 32 * GiB, freeRamBytes: 24 * GiB, gpu: { name: "Test GPU", totalVramBytes: 8 * GiB, freeVramBytes: 6 * GiB } };
const CPU_16: MachineState = { totalRamBytes: 16 * GiB, freeRamBytes: 12 * GiB, gpu: null };

function need(overrides: Partial<FitNeed>): FitNeed {
  return { totalLayers: 37, gpuLayers: 0, contextSize: 4096, ramBytes: 5 * GiB, vramBytes: 0, bytesPerToken: 5 * GiB, ...overrides };
}

describe("classifyFit", () => {
  it("every layer on the GPU: gpu, fast, with the VRAM in the reason", () => {
    const fit = classifyFit(need({ gpuLayers: 37, ramBytes: 0.3 * GiB, vramBytes: 5.2 * GiB }), GPU_6_FREE);
    assert.equal(fit.verdict, "gpu");
    assert.equal(fit.speedClass, "fast");
    assert.equal(fit.reason, "needs 5.5 GiB, 6.0 GiB of VRAM free: all 37 layers on the GPU, context 4096");
    assert.equal(fit.freeVramBytes, 6 * GiB);
  });

  it("some layers: partial, and the layer counts in the reason", () => {
    const fit = classifyFit(need({ gpuLayers: 22, ramBytes: 3.4 * GiB, vramBytes: 5.7 * GiB, bytesPerToken: 8.5 * GiB }), GPU_6_FREE);
    assert.equal(fit.verdict, "partial");
    assert.equal(fit.gpuLayers, 22);
    assert.match(fit.reason, /^needs 9\.1 GiB, 6\.0 GiB of VRAM free: 22 of 37 layers on the GPU, the rest in RAM \(3\.4 GiB\), context 4096$/);
  });

  it("no layer on the GPU: cpu, saying why (no GPU, or no room on it)", () => {
    const noGpu = classifyFit(need({}), CPU_16);
    assert.equal(noGpu.verdict, "cpu");
    assert.equal(noGpu.reason, "needs 5.0 GiB of RAM, 12.0 GiB free: CPU only (no GPU), context 4096");
    const full = classifyFit(need({}), { ...GPU_6_FREE, gpu: { name: "busy", totalVramBytes: 8 * GiB, freeVramBytes: 0.2 * GiB } });
    assert.equal(full.verdict, "cpu");
    assert.match(full.reason, /204\.8 MiB of VRAM free: no layer fits on the GPU/);
    assert.equal(full.vramBytes, 0);
  });

  it("a 40 GB model on a 16 GB machine does not fit, with the numbers", () => {
    const fit = classifyFit(need({ ramBytes: 40e9, bytesPerToken: 40e9 }), CPU_16);
    assert.equal(fit.verdict, "none");
    assert.equal(fit.speedClass, "slow");
    assert.equal(fit.reason, "needs 37.3 GiB, context 4096; this machine has 16.0 GiB of RAM (12.0 GiB free): does not fit");
  });

  it("swap counts towards fitting, but a need over the free RAM says so and is slower", () => {
    const machine: MachineState = { totalRamBytes: 8 * GiB, freeRamBytes: 3 * GiB, freeSwapBytes: 4 * GiB, gpu: null };
    const fit = classifyFit(need({ ramBytes: 10 * GiB, bytesPerToken: 2 * GiB }), machine);
    assert.equal(fit.verdict, "cpu");
    assert.equal(fit.speedClass, "slow", "10 tok/s by bandwidth, one class down for swapping");
    assert.match(fit.reason, /more than the 3\.0 GiB of RAM free now: expect swapping/);
  });

  it("a GPU layer count on a machine without a GPU is ignored", () => {
    const fit = classifyFit(need({ gpuLayers: 10, vramBytes: GiB }), CPU_16);
    assert.equal(fit.verdict, "cpu");
    assert.equal(fit.gpuLayers, 0);
    assert.equal(fit.vramBytes, 0);
  });

  it("speed classes follow the bytes read per token; a software renderer counts as the CPU", () => {
    assert.equal(classifyFit(need({ bytesPerToken: 1 * GiB, ramBytes: GiB }), CPU_16).speedClass, "fast"); // ~18.6 tok/s
    assert.equal(classifyFit(need({ bytesPerToken: 4.7e9 }), CPU_16).speedClass, "usable"); // ~4.3 tok/s
    assert.equal(classifyFit(need({ bytesPerToken: 19e9, ramBytes: 10 * GiB }), CPU_16).speedClass, "slow"); // ~1 tok/s
    const software: MachineState = { ...GPU_6_FREE, gpu: { name: "llvmpipe", totalVramBytes: 8 * GiB, freeVramBytes: 6 * GiB, software: true } };
    assert.ok(tokensPerSecond(need({ gpuLayers: 37, bytesPerToken: 5e9 }), software.gpu) < 5);
    assert.match(classifyFit(need({ gpuLayers: 37, vramBytes: 5 * GiB, bytesPerToken: 5e9 }), software).reason, /software renderer/);
  });

  it("sorts best first: gpu, partial, cpu, none; faster first within a verdict", () => {
    const gpu = classifyFit(need({ gpuLayers: 37, vramBytes: 5 * GiB, ramBytes: 0 }), GPU_6_FREE);
    const partial = classifyFit(need({ gpuLayers: 10, vramBytes: 2 * GiB }), GPU_6_FREE);
    const cpuFast = classifyFit(need({ bytesPerToken: 0.5 * GiB, ramBytes: GiB }), CPU_16);
    const cpuSlow = classifyFit(need({ bytesPerToken: 10 * GiB, ramBytes: 10 * GiB }), CPU_16);
    const none = classifyFit(need({ ramBytes: 40 * GiB }), CPU_16);
    const sorted = [none, cpuSlow, partial, cpuFast, gpu].sort(compareFits);
    assert.deepEqual(sorted, [gpu, partial, cpuFast, cpuSlow, none]);
  });

  it("the context an estimate assumes: a number as set, auto the trained size capped", () => {
    assert.equal(fitContextSize(2048, 131072), 2048);
    assert.equal(fitContextSize("auto", 131072), FIT_AUTO_CONTEXT_CAP);
    assert.equal(fitContextSize("auto", 2048), 2048);
    assert.equal(fitContextSize("auto", null), 4096);
  });
});
