import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Llama } from "node-llama-cpp";
import { backendAttempts, layerAttempts } from "../../../../src/engine/process/hardware/backend";
import type { LlamaGpuOption } from "../../../../src/engine/process/hardware/backend";
import { chooseThreads } from "../../../../src/engine/process/hardware/threads";
import { openBackend } from "../../../../src/engine/process/load/loader";
import { EngineError } from "../../../../src/engine/common/errors";

/** Only what openBackend reads from a Llama. */
function fakeLlama(gpu: Llama["gpu"]): Llama {
  return { gpu } as unknown as Llama; // a stand-in: openBackend only reads `gpu`
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
    const llama = await openBackend(
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
    await openBackend("auto", async () => fakeLlama("vulkan"), none);
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
