/**
 * A backend on which a model failed to load can still be switched away from and closed. With
 * node-llama-cpp 3.21.1 a failed load leaves a disposal guard behind that is released only while
 * the failed model object lives; once the garbage collector takes it, closing the backend waits
 * forever. The collector is run here on purpose so that the case is not left to chance.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../../src/engine/process/engine";
import { EngineError } from "../../../src/engine/common/errors";
import { reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import { cpuConfig, garbledModelBytes, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

let models: ModelDir;

before(() => {
  models = makeModels();
});

after(() => models.cleanup());

describe("closing a backend after a failed load", () => {
  it("switches to another backend and closes it after a load failed and the failed model was collected", async () => {
    const engine = new Engine();
    await assert.rejects(engine.load(cpuConfig(models.writeRaw("garbled-release.gguf", garbledModelBytes(reasoningModelSpec(SELF_ENDING))))), (error: unknown) => error instanceof EngineError && error.code === "load-failed");
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    const report = await engine.load({ ...cpuConfig(models.selfEnding), gpu: "cuda" });
    assert.equal(report.backend, report.requestedBackend === "cuda" && report.fallbacks.length === 0 ? "cuda" : "cpu");
    await engine.unload({ releaseBackend: true });
    assert.equal(engine.status().loaded, false);
  });
});
