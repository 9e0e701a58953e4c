/**
 * The fit estimate of a local GGUF against real llama.cpp (node-llama-cpp's header reader,
 * GgufInsights and its configuration resolver) on generated models: in the engine directly and
 * through the client's `fit` and `machine` requests across the process wall.
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineClient } from "../../../src/engine/client/engineClient";
import type { EngineClientOptions } from "../../../src/engine/client/engineClient";
import { EngineError } from "../../../src/engine/common/errors";
import { FIT_AUTO_CONTEXT_CAP } from "../../../src/engine/common/fit";
import { Engine } from "../../../src/engine/process/engine";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import { cpuConfig, makeModels, oversizedHeader } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

const FROM_SOURCE: EngineClientOptions = { enginePath: "src/engine/process/main.ts", execArgv: ["--import", "tsx"], startTimeoutMs: 120_000 };
const MiB = 1024 ** 2;

let models: ModelDir;
let engine: Engine;

before(() => {
  models = makeModels();
  engine = new Engine();
});

after(async () => {
  await engine.unload({ releaseBackend: true });
  models.cleanup();
});

describe("the fit of a local file (engine)", () => {
  it("a tiny model fits on the CPU of this GPU-less machine, with a sensible RAM estimate", async () => {
    const started = performance.now();
    const fit = await engine.fit(models.selfEnding, { gpu: "cpu", contextSize: 2048 });
    const ms = performance.now() - started;
    const bytes = statSync(models.selfEnding).size;
    console.log(`fit of ${bytes} B tiny model (first, with import + backend): ${ms.toFixed(0)} ms: ${JSON.stringify(fit)}`);
    assert.equal(fit.verdict, "cpu");
    assert.equal(fit.gpuLayers, 0);
    assert.equal(fit.totalLayers, 2, "one block plus the output layer, as node-llama-cpp counts offloadable layers");
    assert.equal(fit.contextSize, 2048);
    assert.equal(fit.vramBytes, 0);
    assert.ok(fit.ramBytes >= bytes * 0.9, `ramBytes ${fit.ramBytes} covers the ${bytes} B of weights`);
    assert.ok(fit.ramBytes < 512 * MiB, `ramBytes ${fit.ramBytes} is small`);
    assert.equal(fit.speedClass, "fast");
    assert.match(fit.reason, /CPU only \(no GPU\)/);
    assert.ok(fit.freeRamBytes > 0);
  });

  it("with gpu auto (no usable GPU here) it is still the CPU, and auto context is the trained size, capped", async () => {
    const started = performance.now();
    const fit = await engine.fit(models.selfEnding, { gpu: "auto", contextSize: "auto" });
    console.log(`fit with gpu auto: ${(performance.now() - started).toFixed(0)} ms: ${fit.reason}`);
    if (fit.verdict !== "cpu") return; // a machine with a GPU
    assert.equal(fit.freeVramBytes, 0);
    assert.ok(fit.contextSize > 0 && fit.contextSize <= FIT_AUTO_CONTEXT_CAP);
  });

  it("a larger context and a heavier shape need more memory", async () => {
    const heavy = models.write("heavy-fit.gguf", { ...reasoningModelSpec(OVERTHINKING), contextLength: 32768, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 1024 } });
    const small = await engine.fit(models.selfEnding, { gpu: "cpu", contextSize: 1024 });
    const large = await engine.fit(models.selfEnding, { gpu: "cpu", contextSize: 8192 });
    assert.ok(large.ramBytes > small.ramBytes);
    const started = performance.now();
    const fit = await engine.fit(heavy, { gpu: "cpu", contextSize: "auto" });
    console.log(`fit of the heavy model (warm): ${(performance.now() - started).toFixed(0)} ms: ${fit.reason}`);
    assert.equal(fit.totalLayers, 5);
    assert.equal(fit.contextSize, FIT_AUTO_CONTEXT_CAP, "trained for 32768: auto is capped");
    assert.ok(fit.ramBytes > statSync(heavy).size);
  });

  it("a header declaring a huge model does not fit, and the reason has the numbers", async () => {
    const fit = await engine.fit(models.writeRaw("huge.gguf", oversizedHeader()), { gpu: "cpu", contextSize: 2048 });
    assert.equal(fit.verdict, "none");
    assert.equal(fit.speedClass, "slow");
    assert.ok(fit.ramBytes > 500 * 1024 ** 3, `ramBytes ${fit.ramBytes}`);
    assert.match(fit.reason, /^needs [\d.]+ (GiB|TiB), context 2048; this machine has [\d.]+ GiB of RAM \([\d.]+ (GiB|MiB) free\).*: does not fit$/);
  });

  it("missing and damaged files fail with the load's error codes", async () => {
    await assert.rejects(engine.fit(join(models.dir, "missing.gguf"), { gpu: "cpu", contextSize: 2048 }), (error: unknown) => error instanceof EngineError && error.code === "file-not-found");
    await assert.rejects(engine.fit(models.writeRaw("text.gguf", "<html>not a model</html>"), { gpu: "cpu", contextSize: 2048 }), (error: unknown) => error instanceof EngineError && error.code === "not-gguf");
  });

  it("a fit while a model is loaded on another backend leaves the model usable", async () => {
    await engine.load(cpuConfig(models.selfEnding));
    const fit = await engine.fit(models.overthinking, { gpu: "auto", contextSize: 2048 });
    assert.ok(["cpu", "gpu", "partial"].includes(fit.verdict));
    assert.equal(engine.status().loaded, true);
    await engine.unload({ releaseBackend: true });
  });
});

describe("fit and machine through the client (the process wall)", () => {
  let client: EngineClient;
  before(() => {
    client = new EngineClient(cpuConfig(models.selfEnding), FROM_SOURCE);
  });
  after(async () => {
    await client.dispose();
  });

  it("answers fit and machine requests, and passes errors back as EngineErrors", async () => {
    let started = performance.now();
    const first = await client.fit(models.selfEnding, { gpu: "cpu", contextSize: 2048 });
    const coldMs = performance.now() - started;
    started = performance.now();
    const again = await client.fit(models.selfEnding, { gpu: "cpu", contextSize: 2048 });
    const warmMs = performance.now() - started;
    console.log(`client.fit: cold (engine start + import + backend) ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(1)} ms`);
    assert.equal(first.verdict, "cpu");
    assert.equal(again.ramBytes, first.ramBytes);
    const machine = await client.machine("cpu");
    console.log(`machine: ${JSON.stringify(machine)}`);
    assert.equal(machine.gpu, null);
    assert.ok(machine.totalRamBytes >= machine.freeRamBytes && machine.freeRamBytes > 0);
    await assert.rejects(client.fit(join(models.dir, "nope.gguf"), { gpu: "cpu", contextSize: 2048 }), (error: unknown) => error instanceof EngineError && error.code === "file-not-found");
    assert.equal(client.busy, false);
  });
});
