/** The fit of a model not downloaded yet, from its size (src/engine/models/fitFromSize.ts), on stated machines. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MachineState } from "../../../../src/engine/common/fit";
import { CATALOGUE } from "../../../../src/engine/models/catalogue";
import { estimateFitFromSize, KV_BYTES_PER_TOKEN_PER_LAYER, layersFromParameters, OVERHEAD_BYTES, vramReserve } from "../../../../src/engine/models/fitFromSize";

const GiB = 1024 ** 3;

describe("estimateFitFromSize", () => {
  it("an 8 GB file on 6 GiB of free VRAM: partial, with the layers that fit", () => {
    const machine: MachineState = { totalRamBytes: 32 * GiB, freeRamBytes: 24 * GiB, gpu: { name: "Test GPU", totalVramBytes: 8 * GiB, freeVramBytes: 6 * GiB } };
    const fit = estimateFitFromSize({ sizeBytes: 8e9, blockCount: 36, contextLength: 40960 }, machine, { contextSize: 4096 });
    // 37 layers (36 blocks + output) of (8e9 + 4096 × 36 × 4096 B of KV) / 37 = 232.5 MB each;
    // 6 GiB free − 491.5 MiB reserve (6 % of 8 GiB) − 320 MiB overhead = 5.21 GiB → 24 layers.
    const perLayer = (8e9 + 4096 * 36 * KV_BYTES_PER_TOKEN_PER_LAYER) / 37;
    assert.equal(Math.floor((6 * GiB - vramReserve(8 * GiB) - OVERHEAD_BYTES) / perLayer), 24);
    assert.equal(fit.verdict, "partial");
    assert.equal(fit.gpuLayers, 24);
    assert.equal(fit.totalLayers, 37);
    assert.equal(fit.contextSize, 4096);
    assert.equal(fit.vramBytes, Math.round(24 * perLayer + OVERHEAD_BYTES));
    assert.equal(fit.ramBytes, Math.round(13 * perLayer));
    assert.match(fit.reason, /^needs 8\.3 GiB, 6\.0 GiB of VRAM free: 24 of 37 layers on the GPU, the rest in RAM \(2\.8 GiB\), context 4096$/);
  });

  it("a 40 GB model on 16 GiB of RAM and no GPU: none", () => {
    const fit = estimateFitFromSize({ sizeBytes: 40e9, parameters: 70e9 }, { totalRamBytes: 16 * GiB, freeRamBytes: 10 * GiB, gpu: null });
    assert.equal(fit.verdict, "none");
    assert.equal(fit.totalLayers, 81, "80 layers by the rule of thumb for 70 B, plus the output layer");
    assert.match(fit.reason, /^needs 3\d\.\d GiB, context 4096; this machine has 16\.0 GiB of RAM \(10\.0 GiB free\): does not fit$/);
  });

  it("a small model on a big GPU: every layer on it, fast", () => {
    const machine: MachineState = { totalRamBytes: 16 * GiB, freeRamBytes: 8 * GiB, gpu: { name: "Big GPU", totalVramBytes: 24 * GiB, freeVramBytes: 22 * GiB } };
    const fit = estimateFitFromSize({ sizeBytes: 1.12e9, parameters: 1.78e9, contextLength: 131072 }, machine);
    assert.equal(fit.verdict, "gpu");
    assert.equal(fit.speedClass, "fast");
    assert.equal(fit.contextSize, 8192, "auto: the trained 131072, capped");
    assert.equal(fit.ramBytes, 0);
  });

  it("no GPU: cpu; a mixture of experts reads only its active share per token", () => {
    const machine: MachineState = { totalRamBytes: 32 * GiB, freeRamBytes: 28 * GiB, gpu: null };
    const dense = estimateFitFromSize({ sizeBytes: 12e9, parameters: 21e9 }, machine);
    const moe = estimateFitFromSize({ sizeBytes: 12e9, parameters: 21e9, activeParameters: 3.6e9 }, machine);
    assert.equal(dense.verdict, "cpu");
    assert.equal(dense.speedClass, "slow");
    assert.equal(moe.speedClass, "usable");
    assert.equal(moe.ramBytes, dense.ramBytes);
  });

  it("layers by the rule of thumb when the header is not at hand", () => {
    assert.equal(layersFromParameters(1.5e9), 28);
    assert.equal(layersFromParameters(8e9), 36);
    assert.equal(layersFromParameters(14e9), 48);
    assert.equal(layersFromParameters(32e9), 64);
    assert.equal(layersFromParameters(null), 32);
  });

  it("gives every catalogue entry a fit, larger models never better than smaller ones on the same machine", () => {
    const machine: MachineState = { totalRamBytes: 16 * GiB, freeRamBytes: 12 * GiB, gpu: { name: "GPU", totalVramBytes: 8 * GiB, freeVramBytes: 7 * GiB } };
    const order = { gpu: 0, partial: 1, cpu: 2, none: 3 };
    let worst = 0;
    for (const entry of [...CATALOGUE].sort((a, b) => a.sizeBytes - b.sizeBytes)) {
      const fit = estimateFitFromSize(entry, machine);
      assert.ok(fit.reason.length > 0);
      assert.ok(order[fit.verdict] >= worst || fit.verdict === "partial", `${entry.id}: ${fit.verdict} after ${worst}`);
      worst = Math.max(worst, order[fit.verdict]);
    }
  });
});
