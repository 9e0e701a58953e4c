import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EngineError } from "../../../../../src/engine/common/errors";
import { checkGpuMemory, checkMemory } from "../../../../../src/engine/process/load/memory";
import type { GpuMemoryNeed } from "../../../../../src/engine/process/load/memory";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function refusal(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EngineError);
    return error;
  }
  assert.fail("expected a refusal");
}

describe("memory preflight on the CPU", () => {
  const machine = { totalRamBytes: 16 * GiB, freeRamBytes: 8 * GiB, freeSwapBytes: 0 };
  it("passes what fits in free RAM", () => {
    assert.equal(checkMemory({ ...machine, modelRamBytes: 4 * GiB, contextRamBytes: 1 * GiB }, "m.gguf"), null);
  });
  it("warns between free and total RAM", () => {
    assert.match(checkMemory({ ...machine, modelRamBytes: 9 * GiB, contextRamBytes: 1 * GiB }, "m.gguf") ?? "", /needs about 10\.0 GiB but only 8\.0 GiB of RAM is free/);
  });
  it("refuses beyond RAM plus free swap, with the numbers", () => {
    const error = refusal(() => checkMemory({ ...machine, freeSwapBytes: 2 * GiB, modelRamBytes: 17 * GiB, contextRamBytes: 2 * GiB }, "m.gguf"));
    assert.equal(error.code, "too-large-for-memory");
    assert.equal(error.details?.requiredBytes, 19 * GiB);
    assert.match(error.message, /needs about 19\.0 GiB .* 16\.0 GiB of RAM \(8\.0 GiB free\) and 2\.0 GiB of free swap/);
  });
});

describe("memory preflight on a GPU backend", () => {
  /** A 32-layer model, 8 GiB of weights, 1 GiB of context, all 32 layers on an 8 GiB card. */
  const need: GpuMemoryNeed = {
    layers: 32,
    totalLayers: 32,
    device: "NVIDIA GeForce RTX 3070",
    modelVramBytes: 6 * GiB,
    contextVramBytes: 1 * GiB,
    modelRamBytes: 300 * MiB,
    contextRamBytes: 50 * MiB,
    totalVramBytes: 8 * GiB,
    freeVramBytes: 7.5 * GiB,
    totalRamBytes: 16 * GiB,
    freeRamBytes: 12 * GiB,
    freeSwapBytes: 0,
  };

  it("passes a split that fits both memories", () => {
    assert.deepEqual(checkGpuMemory(need, "m.gguf"), []);
  });

  it("warns when the device share is over the free device memory (fewer layers will be tried)", () => {
    const warnings = checkGpuMemory({ ...need, freeVramBytes: 4 * GiB }, "m.gguf");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /32 of 32 layers on NVIDIA GeForce RTX 3070 need about 7\.0 GiB of GPU memory \(weights 6\.0 GiB \+ context 1\.0 GiB\) but only 4\.0 GiB is free: fewer layers will be tried/);
  });

  it("warns when the RAM share is over the free RAM", () => {
    const warnings = checkGpuMemory({ ...need, layers: 8, modelVramBytes: 1.5 * GiB, modelRamBytes: 13 * GiB }, "m.gguf");
    assert.deepEqual(warnings.length, 1);
    assert.match(warnings[0] ?? "", /With 8 of 32 layers on NVIDIA GeForce RTX 3070, the model needs about 13\.0 GiB of RAM but only 12\.0 GiB is free/);
  });

  it("refuses when the RAM share alone exceeds RAM plus swap (fewer layers would need more), with both memories' numbers", () => {
    const error = refusal(() => checkGpuMemory({ ...need, layers: 4, modelVramBytes: 1 * GiB, modelRamBytes: 15 * GiB, contextRamBytes: 2 * GiB, freeSwapBytes: 0.5 * GiB }, "m.gguf"));
    assert.equal(error.code, "too-large-for-memory");
    assert.equal(error.details?.requiredRamBytes, 17 * GiB);
    assert.equal(error.details?.requiredVramBytes, 2 * GiB);
    assert.equal(error.details?.freeVramBytes, 7.5 * GiB);
    assert.equal(error.details?.layers, 4);
    assert.match(error.message, /With 4 of 32 layers on NVIDIA GeForce RTX 3070, this model needs about 2\.0 GiB of GPU memory \(7\.5 GiB free of 8\.0 GiB\) and 17\.0 GiB of RAM/);
    assert.match(error.message, /16\.0 GiB of RAM \(12\.0 GiB free\) and 512\.0 MiB of free swap/);
  });

  it("does not refuse a model that fits in RAM plus swap even when the device is full", () => {
    const warnings = checkGpuMemory({ ...need, freeVramBytes: 0, modelRamBytes: 15 * GiB, freeSwapBytes: 2 * GiB }, "m.gguf");
    assert.equal(warnings.length, 2);
  });
});
