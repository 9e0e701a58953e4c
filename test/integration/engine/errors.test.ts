/** Errors a user can act on, and hardware fallbacks, against real llama.cpp. */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../../src/engine/process/engine";
import { EngineError } from "../../../src/engine/common/errors";
import { encodeGguf } from "../../../src/scripted-model/ggufWriter";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import { askRequest, cpuConfig, garbledModelBytes, makeModels, oversizedHeader } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

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

async function loadError(path: string): Promise<EngineError> {
  try {
    await engine.load(cpuConfig(path));
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail(`loading ${path} should have failed`);
}

describe("files that cannot be loaded", () => {
  it("says when no model is set", async () => {
    const error = await loadError("");
    assert.equal(error.code, "model-path-missing");
    assert.match(error.message, /selfBraking\.model\.path/);
  });

  it("says when the file does not exist", async () => {
    const path = join(models.dir, "missing.gguf");
    const error = await loadError(path);
    assert.equal(error.code, "file-not-found");
    assert.ok(error.message.includes(path));
  });

  it("says when the path is a folder", async () => {
    const path = join(models.dir, "folder.gguf");
    mkdirSync(path);
    const error = await loadError(path);
    assert.equal(error.code, "not-gguf");
    assert.match(error.message, /folder/);
  });

  it("recognises a file that is not GGUF", async () => {
    const error = await loadError(models.writeRaw("page.gguf", "<!DOCTYPE html><html>Not found</html>"));
    assert.equal(error.code, "not-gguf");
    assert.match(error.message, /text file/);
    const zip = await loadError(models.writeRaw("model.bin", Buffer.from("PK\x03\x04 pytorch checkpoint", "latin1")));
    assert.equal(zip.code, "not-gguf");
    assert.match(zip.message, /ZIP/);
  });

  it("recognises a truncated GGUF", async () => {
    const whole = encodeGguf({ metadata: [["general.architecture", { type: "string", value: "llama" }]], tensors: [] });
    const error = await loadError(models.writeRaw("truncated.gguf", Buffer.concat([whole.subarray(0, 30), Buffer.alloc(10)])));
    assert.equal(error.code, "not-gguf");
    assert.match(error.message, /truncated or corrupt/);
  });

  it("rejects a header whose lengths do not fit the file before anything parses it", async () => {
    // 1 MB claiming a 512 MiB key: node-llama-cpp's own reader took 21 s and 3.6 GiB on this.
    const header = Buffer.alloc(24 + 8);
    header.write("GGUF", 0, "latin1");
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(0n, 8);
    header.writeBigUInt64LE(1n, 16);
    header.writeBigUInt64LE(512n * 1024n * 1024n, 24);
    const path = models.writeRaw("huge-key.gguf", Buffer.concat([header, Buffer.alloc(1024 * 1024)]));
    const started = performance.now();
    const error = await loadError(path);
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    assert.equal(error.code, "not-gguf");
    assert.match(error.message, /claims 512\.0 MiB .* only 1\.0 MiB of the file is left.*truncated or corrupt/);
  });

  it("names a GGUF version llama.cpp cannot read", async () => {
    const bytes = Buffer.from(buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
    bytes.writeUInt32LE(1, 4);
    const error = await loadError(models.writeRaw("version-1.gguf", bytes));
    assert.equal(error.code, "not-gguf");
    assert.match(error.message, /GGUF version 1, an old format llama\.cpp no longer reads/);
  });

  // These two must run on the first CPU backend this process opens (the first of them opens it):
  // with node-llama-cpp 3.21.1 a second backend of the same binary in one process no longer
  // passes llama.cpp's log lines to JavaScript (docs/ENGINE.md, Loading and hardware), so keep them
  // before any test that switches the backend.
  it("passes llama.cpp's own reason on when the tensor data is cut off, quickly", async () => {
    const whole = buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf;
    const path = models.writeRaw("cut.gguf", whole.subarray(0, whole.length - 4096));
    const started = performance.now();
    const error = await loadError(path);
    assert.ok(performance.now() - started < 10_000);
    assert.equal(error.code, "load-failed");
    assert.match(error.message, /llama\.cpp could not load cut\.gguf: tensor '[\w.]+' data is not within the file bounds.*download it again/);
    assert.match(String(error.details?.llamaCpp), /data is not within the file bounds/);
  });

  it("passes llama.cpp's own reason on when a tensor offset is garbled", async () => {
    const error = await loadError(models.writeRaw("garbled.gguf", garbledModelBytes(reasoningModelSpec(SELF_ENDING))));
    assert.equal(error.code, "load-failed");
    assert.match(error.message, /tensor 'output_norm\.weight' has offset \d+, expected \d+\. The file is truncated or corrupt/);
  });

  it("names an architecture llama.cpp does not support", async () => {
    const path = models.write("unsupported.gguf", { ...reasoningModelSpec(SELF_ENDING), architecture: "notarealarch" });
    const error = await loadError(path);
    assert.equal(error.code, "unsupported-architecture");
    assert.match(error.message, /notarealarch/);
  });

  it("says when there is no chat template", async () => {
    const path = models.write("no-template.gguf", { ...reasoningModelSpec(SELF_ENDING), omitChatTemplate: true });
    const error = await loadError(path);
    assert.equal(error.code, "no-chat-template");
    assert.match(error.message, /chat template/);
  });

  it("says a model is too large for this machine, with the numbers", async () => {
    const error = await loadError(models.writeRaw("oversized.gguf", oversizedHeader()));
    assert.equal(error.code, "too-large-for-memory");
    assert.match(error.message, /needs about [\d.]+ (GiB|TiB)/);
    assert.ok(Number(error.details?.requiredBytes) > Number(error.details?.totalRamBytes));
  });
});

describe("loading and asking", () => {
  it("falls back to the CPU when CUDA is asked for and unavailable, and says so", async () => {
    const report = await engine.load({ ...cpuConfig(models.selfEnding), gpu: "cuda", gpuLayers: 8 });
    if (report.backend === "cuda") return; // a machine with CUDA: nothing to fall back from
    assert.equal(report.requestedBackend, "cuda");
    assert.equal(report.backend, "cpu");
    assert.equal(report.layersOffloaded, 0);
    assert.match(report.fallbacks[0] ?? "", /CUDA was requested but is not available.*falling back to the CPU/);
    assert.equal(report.threads, 1, "a tiny model runs on one thread");
    assert.ok(report.memory.processRssBytes > 0 && report.memory.ramBytes > 0);
    assert.ok(report.timings.totalMs >= report.timings.modelMs);
    assert.equal(report.scripted, true);
    assert.equal(report.chatWrapper, "Qwen");
    assert.match(report.chatWrapperNote ?? "", /ChatML.*no thinking segment/);
  });

  it("refuses a question that does not fit the context, with what to do", async () => {
    await engine.load(cpuConfig(models.write("overthinking-512.gguf", reasoningModelSpec(OVERTHINKING)), 512));
    const question = "Please consider this very long question. ".repeat(12);
    await assert.rejects(engine.ask("long", askRequest({ question }), () => undefined), (error: unknown) => {
      assert.ok(error instanceof EngineError);
      assert.equal(error.code, "context-overflow");
      assert.match(error.message, /context holds 512 tokens/);
      assert.match(error.message, /selfBraking\.model\.contextSize/);
      return true;
    });
    const ok = await engine.ask("short", askRequest(), () => undefined);
    assert.equal(ok.answer, OVERTHINKING.answer);
  });
  it("stops a load when asked while the weights load, and loads again afterwards", async () => {
    const heavy = models.write("heavy-stop.gguf", { ...reasoningModelSpec(OVERTHINKING), shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 1024 } });
    const stop = new AbortController();
    let progressSeen = 0;
    await assert.rejects(
      engine.load(cpuConfig(heavy), () => {
        progressSeen++;
        stop.abort();
      }, stop.signal),
      (error: unknown) => error instanceof EngineError && error.code === "cancelled" && /load was stopped/.test(error.message),
    );
    assert.ok(progressSeen > 0, "the load had begun");
    assert.equal(engine.status().loaded, false);
    const report = await engine.load(cpuConfig(heavy));
    assert.equal(report.layersTotal > 0, true);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(engine.load(cpuConfig(models.selfEnding), undefined, aborted.signal), { code: "cancelled" });
  });
});
