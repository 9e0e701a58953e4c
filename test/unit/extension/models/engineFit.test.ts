import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineFitViews, fitView } from "../../../../src/extension/models/engineFit";
import { CATALOGUE } from "../../../../src/engine/models/catalogue";
import type { FitEstimate } from "../../../../src/engine/common/types";

const GiB = 1024 ** 3;
const base: FitEstimate = { verdict: "partial", gpuLayers: 22, totalLayers: 37, contextSize: 4096, ramBytes: 4 * GiB, vramBytes: 5 * GiB, freeRamBytes: 16 * GiB, freeVramBytes: 6 * GiB, speedClass: "usable", reason: "needs 9.1 GiB, 6.0 GiB of VRAM free: 22 of 37 layers on the GPU" };

describe("the picker's fit badges from the engine", () => {
  it("says where the model runs and how fast, and ranks better fits first", () => {
    assert.deepEqual({ ...fitView(base), rank: undefined }, { badge: "partly on GPU (22/37 layers) · usable", reason: "needs 9.1 GiB, 6.0 GiB of VRAM free: 22 of 37 layers on the GPU.", rank: undefined });
    assert.equal(fitView({ ...base, verdict: "gpu", speedClass: "fast" }).badge, "fits on GPU · fast");
    assert.equal(fitView({ ...base, verdict: "cpu", speedClass: "slow" }).badge, "CPU only · slow");
    assert.equal(fitView({ ...base, verdict: "none" }).badge, "won't fit");
    assert.ok(fitView({ ...base, verdict: "gpu" }).rank < fitView(base).rank);
    assert.ok(fitView(base).rank < fitView({ ...base, verdict: "none" }).rank);
  });

  it("asks the engine for each file, estimates the catalogue against the engine's machine, and leaves out what the engine could not say", async () => {
    const asked: string[] = [];
    const views = await engineFitViews(
      {
        file: async (path) => {
          asked.push(path);
          if (path === "/m/broken.gguf") throw new Error("not a GGUF");
          return { ...base, verdict: "cpu", speedClass: "fast" };
        },
        machine: async () => ({ totalRamBytes: 24 * GiB, freeRamBytes: 20 * GiB, gpu: null }),
      },
      ["/m/a.gguf", "/m/broken.gguf"],
      CATALOGUE.slice(0, 2),
      "auto",
    );
    assert.deepEqual(asked, ["/m/a.gguf", "/m/broken.gguf"]);
    assert.deepEqual([...views.files.keys()], ["/m/a.gguf"]);
    assert.equal(views.catalogue.size, 2);
    for (const view of views.catalogue.values()) assert.match(view.badge, /^CPU only · (fast|usable|slow)$/);
  });
});
