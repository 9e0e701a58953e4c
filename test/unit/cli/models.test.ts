/** `self-braking models`: list, fit and remove with a fake engine over a fake discovery tree and the real catalogue. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { CliUsageError } from "../../../src/cli/command";
import { createModelsCommand, defaultModelsDir } from "../../../src/cli/commands/models";
import type { CatalogueRow, LocalModelRow, ModelsDeps, ModelsEngine } from "../../../src/cli/commands/models";
import { EngineError } from "../../../src/engine/common/errors";
import { classifyFit } from "../../../src/engine/common/fit";
import type { FitEstimate, MachineState } from "../../../src/engine/common/fit";
import type { FitOptions } from "../../../src/engine/common/types";
import { CATALOGUE } from "../../../src/engine/models/catalogue";
import { discoverModels } from "../../../src/engine/models/discovery";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import { reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const GiB = 1024 ** 3;
const MACHINE: MachineState = { totalRamBytes: 16 * GiB, freeRamBytes: 12 * GiB, gpu: { name: "Test GPU", totalVramBytes: 8 * GiB, freeVramBytes: 6 * GiB } };

/** A fake engine: a file named "big" does not fit, "broken" fails to read, the rest fit on the GPU. */
class FakeEngine implements ModelsEngine {
  readonly fits: Array<{ path: string; options: FitOptions }> = [];
  disposed = false;
  async fit(modelPath: string, options: FitOptions): Promise<FitEstimate> {
    this.fits.push({ path: modelPath, options });
    if (modelPath.includes("broken")) throw new EngineError("not-gguf", `${modelPath} starts like a GGUF file but its header cannot be read.`);
    const big = modelPath.includes("big");
    return classifyFit(
      { totalLayers: 29, gpuLayers: big ? 0 : 29, contextSize: typeof options.contextSize === "number" ? options.contextSize : 4096, ramBytes: big ? 60 * GiB : 0.1 * GiB, vramBytes: big ? 0 : GiB, bytesPerToken: GiB },
      MACHINE,
    );
  }
  async machine(): Promise<MachineState> {
    return MACHINE;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

let home: string;
let downloads: string;
let engine: FakeEngine;
const gguf = buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf;

function deps(overrides: Partial<ModelsDeps> = {}): Partial<ModelsDeps> {
  return {
    engine: () => engine,
    discover: (options) => discoverModels({ ...options, sources: ["lmstudio", "downloads"] }),
    env: {},
    homeDir: home,
    onInterrupt: () => () => undefined,
    ...overrides,
  };
}

async function run(args: string[], overrides: Partial<ModelsDeps> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  let code: number;
  try {
    code = await createModelsCommand(deps(overrides)).run(args, { stdout, stderr, isTTY: false });
  } catch (error) {
    // as src/cli/main.ts reports a usage error
    if (!(error instanceof CliUsageError)) throw error;
    stderr.write(`self-braking models: ${error.message}\n`);
    code = 2;
  }
  return { code, out: stdout.text, err: stderr.text };
}

before(() => {
  home = mkdtempSync(join(tmpdir(), "sb-models-cli-"));
  const lmstudio = join(home, ".lmstudio", "models", "someone", "tiny-GGUF");
  mkdirSync(lmstudio, { recursive: true });
  writeFileSync(join(lmstudio, "tiny-Q4_K_M.gguf"), gguf);
  writeFileSync(join(lmstudio, "big-Q8_0.gguf"), gguf);
  writeFileSync(join(lmstudio, "corrupt.gguf"), "GGUF but not really");
  downloads = defaultModelsDir({}, home);
  mkdirSync(downloads, { recursive: true });
  writeFileSync(join(downloads, "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"), gguf);
});

after(() => rmSync(home, { recursive: true, force: true }));

describe("self-braking models list", () => {
  it("--json: the models found and the catalogue, each with its fit, best first", async () => {
    engine = new FakeEngine();
    const r = await run(["list", "--json", "--context", "2048"]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { machine: MachineState; downloadDir: string; local: LocalModelRow[]; catalogue: CatalogueRow[] };
    assert.deepEqual(doc.machine, MACHINE);
    assert.equal(doc.downloadDir, downloads);
    const names = doc.local.map((row) => row.path.split("/").pop());
    assert.equal(doc.local.length, 4);
    // fitting models (gpu) first, then the one that does not fit, then the corrupt one (no fit)
    assert.deepEqual(names.slice(2), ["big-Q8_0.gguf", "corrupt.gguf"]);
    assert.deepEqual(doc.local.map((row) => row.fit?.verdict ?? null), ["gpu", "gpu", "none", null]);
    assert.match(doc.local[3]?.problem ?? "", /./);
    assert.ok(doc.local.some((row) => row.source === "downloads"));
    assert.ok(engine.fits.every((f) => f.options.contextSize === 2048 && f.options.gpu === "auto"));
    assert.equal(engine.fits.length, 3, "the corrupt file is not sent to the engine");
    assert.ok(engine.disposed);

    assert.equal(doc.catalogue.length, CATALOGUE.length);
    const ranks = doc.catalogue.map((row) => ({ gpu: 0, partial: 1, cpu: 2, none: 3 })[row.fit.verdict]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "sorted by fit");
    assert.ok(doc.catalogue.every((row) => row.fit.contextSize === 2048 && row.fit.reason.length > 0));
    const small = doc.catalogue.find((row) => row.id === "deepseek-r1-distill-qwen-1.5b");
    assert.equal(small?.fit.verdict, "gpu");
    assert.equal(small?.onDisk, join(downloads, "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"));
    const largest = doc.catalogue.find((row) => row.sizeBytes === Math.max(...CATALOGUE.map((e) => e.sizeBytes)));
    assert.ok(largest && ["partial", "none"].includes(largest.fit.verdict) && largest.fit.speedClass === "slow", "a 32B model only partly fits 6 GiB of VRAM");
    assert.equal(doc.catalogue.at(-1)?.fit.speedClass, "slow");
  });

  it("as text: the machine, both sections with badges and reasons", async () => {
    engine = new FakeEngine();
    const r = await run(["list"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^This machine: 12\.0 GiB of 16\.0 GiB RAM free; Test GPU: 6\.0 GiB of 8\.0 GiB VRAM free\n/);
    assert.match(r.out, /On this machine \(4\):\n {2}\[gpu, fast\] /);
    assert.match(r.out, /\[none\] .*big-Q8_0|big-Q8_0[\s\S]*does not fit/);
    assert.match(r.out, /cannot be used: /);
    assert.match(r.out, /Recommended to download \(\d+\):\n {2}\[gpu, fast\] DeepSeek-R1-Distill-Qwen 1\.5B \(deepseek-r1-distill-qwen-1\.5b\) .* · on this machine/);
  });
});

describe("self-braking models fit", () => {
  it("a local file through the engine, a catalogue entry from its size", async () => {
    engine = new FakeEngine();
    const file = join(downloads, "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf");
    const local = await run(["fit", file, "--gpu", "cpu", "--context", "1024"]);
    assert.equal(local.code, 0, local.err);
    assert.deepEqual(engine.fits, [{ path: file, options: { gpu: "cpu", contextSize: 1024 } }]);
    assert.match(local.out, /^\[gpu, fast\] .*\nneeds /);
    const entry = CATALOGUE[0]!;
    const byUri = await run(["fit", entry.uri, "--json"]);
    assert.equal(byUri.code, 0, byUri.err);
    const doc = JSON.parse(byUri.out) as { model: string; fit: FitEstimate };
    assert.equal(doc.model, entry.id);
    assert.equal(doc.fit.verdict, "gpu");
    const byId = await run(["fit", entry.id]);
    assert.match(byId.out, /estimated from its size/);
  });

  it("says why it cannot estimate: an unknown URI, an engine error", async () => {
    engine = new FakeEngine();
    const unknown = await run(["fit", "hf:nobody/nothing/x.gguf"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /not in the catalogue, so its size is unknown before it is downloaded/);
    const broken = await run(["fit", join(home, "broken.gguf")]);
    assert.equal(broken.code, 1);
    assert.match(broken.err, /^self-braking models fit: .*header cannot be read/);
  });

  it("refuses bad options and subcommands with exit code 2", async () => {
    engine = new FakeEngine();
    assert.match((await run(["fit", "x.gguf", "--context", "100"])).err, /--context must be "auto" or a whole number between 512/);
    assert.match((await run(["fit", "x.gguf", "--gpu", "tpu"])).err, /--gpu must be one of/);
    assert.match((await run(["frobnicate"])).err, /unknown subcommand "frobnicate"/);
    assert.match((await run([])).err, /give a subcommand/);
  });
});

describe("self-braking models remove", () => {
  it("asks for --yes, then deletes the model and its partial files", async () => {
    const file = join(downloads, "old-Q4_K_M.gguf");
    writeFileSync(file, gguf);
    writeFileSync(`${file}.partial`, "x");
    writeFileSync(`${file}.partial.json`, "{}");
    const ask = await run(["remove", file]);
    assert.equal(ask.code, 2);
    assert.match(ask.err, /This would delete:\n {2}.*old-Q4_K_M\.gguf\n.*\.partial\n.*\.partial\.json\nRun again with --yes/);
    assert.ok(existsSync(file));
    const done = await run(["remove", file, "--yes"]);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /Removed 3 files/);
    assert.ok(!existsSync(file) && !existsSync(`${file}.partial`) && !existsSync(`${file}.partial.json`));
  });

  it("never deletes outside the download folder", async () => {
    const elsewhere = join(home, ".lmstudio", "models", "someone", "tiny-GGUF", "tiny-Q4_K_M.gguf");
    const r = await run(["remove", elsewhere, "--yes"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /is not in the download folder/);
    assert.ok(existsSync(elsewhere));
    const sneaky = await run(["remove", join(downloads, "..", "..", ".lmstudio", "models", "someone", "tiny-GGUF", "tiny-Q4_K_M.gguf"), "--yes"]);
    assert.equal(sneaky.code, 2);
    assert.ok(existsSync(elsewhere));
    assert.match((await run(["remove", join(downloads, "missing.gguf"), "--yes"])).err, /does not exist/);
  });
});

describe("the download folder", () => {
  it("is $SELF_BRAKING_MODELS_DIR, else under $XDG_CACHE_HOME, else ~/.cache", () => {
    assert.equal(defaultModelsDir({ SELF_BRAKING_MODELS_DIR: "/srv/models" }, "/home/u"), "/srv/models");
    assert.equal(defaultModelsDir({ XDG_CACHE_HOME: "/var/cache/u" }, "/home/u"), "/var/cache/u/self-braking/models");
    assert.equal(defaultModelsDir({}, "/home/u"), "/home/u/.cache/self-braking/models");
  });
});

describe("registration", () => {
  it("self-braking models --help prints the subcommands", async () => {
    const { main } = await import("../../../src/cli/main");
    const stdout = new Capture();
    const code = await main(["models", "--help"], { stdout, stderr: new Capture(), isTTY: false });
    assert.equal(code, 0);
    assert.match(stdout.text, /models list \[--json\][\s\S]*models fit PATH\|hf:URI\|ID[\s\S]*models download URI\|ID \[--dir DIR\][\s\S]*models remove PATH --yes/);
  });
});
