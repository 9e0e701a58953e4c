/**
 * GPU offload for real, with no GPU: llama.cpp's Vulkan backend on lavapipe (Mesa's Vulkan
 * driver that runs on the CPU; Debian mesa-vulkan-drivers, installed by .ci/run). llama.cpp hides
 * CPU-type Vulkan devices unless GGML_VK_VISIBLE_DEVICES names them, so it is set here, before
 * any backend opens. Runs only where lavapipe is installed; elsewhere it prints "NOT RUN: …".
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import type { NodeLlamaCpp } from "../../../src/engine/process/chat/wrapper";
import { Engine } from "../../../src/engine/process/engine";
import { loadModel } from "../../../src/engine/process/load/loader";
import type { MemoryState } from "../../../src/engine/process/load/memory";
import { EngineError } from "../../../src/engine/common/errors";
import type { GenerationResult, LoadConfig, LoadReport } from "../../../src/engine/common/types";
import { askRequest, cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

process.env.GGML_VK_VISIBLE_DEVICES = "0";

/** Why the Vulkan-on-lavapipe tests cannot run here, or null when they can (and must). */
function lavapipeMissing(): string | null {
  if (process.platform !== "linux") return "lavapipe (Mesa's CPU Vulkan driver) is a Linux package";
  const libDirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];
  const icdDirs = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];
  const loader = libDirs.some((dir) => existsSync(join(dir, "libvulkan.so.1")));
  const lavapipe = icdDirs.some((dir) => existsSync(dir) && readdirSync(dir).some((file) => file.startsWith("lvp_icd")));
  const missing = [loader ? null : "the Vulkan loader (libvulkan1)", lavapipe ? null : "Mesa's lavapipe driver (mesa-vulkan-drivers)"].filter((m) => m !== null);
  return missing.length === 0 ? null : `${missing.join(" and ")} not installed (as root: apt-get install libvulkan1 mesa-vulkan-drivers)`;
}

const missing = lavapipeMissing();
if (missing !== null) console.log(`NOT RUN: GPU offload tests (Vulkan on lavapipe): ${missing}`);

const LLVMPIPE = /llvmpipe/;
let models: ModelDir;

before(() => {
  models = makeModels();
});
after(() => models.cleanup());

function vulkan(modelPath: string, gpuLayers: LoadConfig["gpuLayers"]): LoadConfig {
  return { ...cpuConfig(modelPath), gpu: "vulkan", gpuLayers };
}

/** Loads and asks one greedy question on a fresh engine, then frees it (backend included). */
async function run(config: LoadConfig, log?: (line: string) => void): Promise<{ report: LoadReport; result: GenerationResult }> {
  const engine = new Engine(log ? { log: (_level, line) => log(line) } : {});
  try {
    const report = await engine.load(config);
    const result = await engine.ask("q", askRequest(), () => undefined);
    return { report, result };
  } finally {
    await engine.unload({ releaseBackend: true });
  }
}

/** What greedy decoding produced: the thinking, where and why it was braked, the answer. */
function transcript(result: GenerationResult): Record<string, unknown> {
  return {
    thinking: result.thinking,
    answer: result.answer,
    brake: result.brake ? { reason: result.brake.reason, charOffset: result.brake.charOffset, thinkingTokens: result.brake.thinkingTokens, injectedTokens: result.brake.injectedTokens } : null,
    thinkingTokens: result.tokens.thinking,
    answerTokens: result.tokens.answer,
    reEvaluated: result.tokens.reEvaluated,
  };
}

/**
 * Loads `config` in a fresh engine process with `env` (what the loader sees when the process
 * starts is what counts: node-llama-cpp tests its binaries in child processes that inherit it).
 */
function loadInChild(config: LoadConfig, env: NodeJS.ProcessEnv): LoadReport {
  const script = join(models.dir, "load-child.ts");
  const engine = resolve("src/engine/process/engine.ts");
  writeFileSync(
    script,
    `import { Engine } from ${JSON.stringify(engine)};\n` +
      `(async () => {\n  const engine = new Engine();\n  const report = await engine.load(${JSON.stringify(config)});\n` +
      `  await engine.unload({ releaseBackend: true });\n  console.log("REPORT " + JSON.stringify(report));\n})();\n`,
  );
  const child = spawnSync(process.execPath, ["--import", "tsx", script], { env, encoding: "utf8", timeout: 120_000 });
  const line = child.stdout.split("\n").find((l) => l.startsWith("REPORT "));
  assert.ok(line, `the child engine did not report (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(line.slice("REPORT ".length)) as LoadReport;
}

describe("GPU offload through Vulkan on lavapipe", { skip: missing ?? false }, () => {
  let cpu: { report: LoadReport; result: GenerationResult };

  before(async () => {
    cpu = await run(cpuConfig(models.overthinking));
    assert.equal(cpu.report.backend, "cpu");
    assert.equal(cpu.result.braked, true);
  });

  it("with every layer offloaded, gives the same greedy output as the CPU (thinking, brake position, answer) and says it is a software renderer", async () => {
    const lines: string[] = [];
    const gpu = await run(vulkan(models.overthinking, 99), (line) => lines.push(line));
    assert.equal(gpu.report.backend, "vulkan");
    assert.equal(gpu.report.layersOffloaded, gpu.report.layersTotal);
    assert.equal(gpu.report.layersTotal, 2);
    assert.ok(gpu.report.gpuDevices.some((d) => LLVMPIPE.test(d)), `devices: ${gpu.report.gpuDevices.join(", ")}`);
    assert.deepEqual(gpu.report.device, { kind: "software", note: "software renderer — runs on the CPU" });
    assert.match(gpu.report.warnings.join("\n"), /Vulkan runs on llvmpipe .*software renderer.*slower than selfBraking\.model\.gpu "cpu"/);
    assert.ok(gpu.report.memory.vramBytes > 0, "the weights are in device memory");
    assert.deepEqual(gpu.report.fallbacks, []);
    // llama.cpp's own word on the device type reached the classifier (the first Vulkan backend of this process).
    assert.ok(lines.some((l) => /llama\.cpp reports Vulkan device type CPU for llvmpipe/.test(l)), lines.join("\n"));
    assert.deepEqual(transcript(gpu.result), transcript(cpu.result));
  });

  it("honours partial offload (gpuLayers 1 of 2) and reports it, with the same output", async () => {
    const gpu = await run(vulkan(models.overthinking, 1));
    assert.equal(gpu.report.backend, "vulkan");
    assert.equal(gpu.report.layersOffloaded, 1);
    assert.equal(gpu.report.layersTotal, 2);
    assert.deepEqual(gpu.report.fallbacks, []);
    assert.deepEqual(transcript(gpu.result), transcript(cpu.result));
  });

  it("runs the memory preflight for the GPU backend: estimates device memory and RAM for the layers chosen", async () => {
    const lines: string[] = [];
    const engine = new Engine({ log: (_level, line) => lines.push(line) });
    try {
      await engine.load(vulkan(models.selfEnding, 1));
    } finally {
      await engine.unload({ releaseBackend: true });
    }
    const line = lines.find((l) => l.startsWith("memory preflight (vulkan"));
    assert.ok(line, lines.join("\n"));
    const match = /1 of 2 layers on llvmpipe.*VRAM ~([\d.]+) (KiB|MiB) needed, ([\d.]+) (MiB|GiB) free of .*RAM ~([\d.]+) (KiB|MiB) needed/.exec(line);
    assert.ok(match, line);
    assert.ok(Number(match[1]) > 0 && Number(match[3]) > 0 && Number(match[5]) > 0);
  });

  describe("the preflight's verdict, with the machine's memory faked", () => {
    let lib: NodeLlamaCpp;
    before(async () => {
      lib = (await import("node-llama-cpp")) as NodeLlamaCpp;
    });
    const fake = (state: MemoryState) => async (): Promise<MemoryState> => state;

    it("warns when the layers asked for do not fit the free device memory, and still loads", async () => {
      const loaded = await loadModel(lib, vulkan(models.selfEnding, 2), {
        memoryState: fake({ totalRamBytes: 8 * 1024 ** 3, freeRamBytes: 4 * 1024 ** 3, freeSwapBytes: 0, totalVramBytes: 64 * 1024, freeVramBytes: 16 * 1024 }),
      });
      try {
        assert.match(loaded.report.warnings.join("\n"), /2 of 2 layers on llvmpipe .* need about [\d.]+ MiB of GPU memory .* but only 16\.0 KiB is free: fewer layers will be tried/);
      } finally {
        await loaded.context.dispose();
        await loaded.model.dispose();
        await loaded.llama.dispose();
      }
    });

    it("refuses with the numbers when no split can fit, before loading the weights", async () => {
      await assert.rejects(
        loadModel(lib, vulkan(models.selfEnding, 1), {
          memoryState: fake({ totalRamBytes: 1024 * 1024, freeRamBytes: 512 * 1024, freeSwapBytes: 0, totalVramBytes: 64 * 1024, freeVramBytes: 64 * 1024 }),
        }),
        (error: unknown) => {
          assert.ok(error instanceof EngineError);
          assert.equal(error.code, "too-large-for-memory");
          assert.match(error.message, /With 1 of 2 layers on llvmpipe .*, this model needs about [\d.]+ MiB of GPU memory \(64\.0 KiB free of 64\.0 KiB\) and [\d.]+ MiB of RAM/);
          assert.equal(error.details?.layers, 1);
          assert.ok(Number(error.details?.requiredRamBytes) > 1024 * 1024);
          return true;
        },
      );
    });
  });

  it("auto with only llvmpipe picks the CPU backend and says why", async () => {
    const engine = new Engine();
    try {
      const report = await engine.load({ ...cpuConfig(models.selfEnding), gpu: "auto" });
      assert.equal(report.backend, "cpu");
      assert.deepEqual(report.device, { kind: "cpu", note: "CPU only" });
      assert.equal(report.fallbacks.length, 1);
      assert.match(report.fallbacks[0] ?? "", /only Vulkan device is llvmpipe .*software renderer that runs on the CPU.*using the CPU backend instead/);
    } finally {
      await engine.unload({ releaseBackend: true });
    }
  });

  it("auto where llama.cpp shows no Vulkan device (GGML_VK_VISIBLE_DEVICES unset, as on a machine without a GPU) lands on the CPU and says why", () => {
    const env = { ...process.env };
    delete env.GGML_VK_VISIBLE_DEVICES;
    const report = loadInChild({ ...cpuConfig(models.selfEnding), gpu: "auto" }, env);
    assert.equal(report.backend, "cpu");
    assert.match(report.fallbacks.join("\n"), /No usable GPU was found: the Vulkan backend shows no GPU device/);
  });

  // No Vulkan at all: the loader is pointed at a driver manifest that does not exist, so it finds
  // no driver (as on a machine with libvulkan1 but no GPU driver and no Mesa); the Vulkan binary
  // cannot start and node-llama-cpp refuses it.
  it("vulkan asked for with no Vulkan driver at all falls back to the CPU and says so", () => {
    const env = { ...process.env, VK_ICD_FILENAMES: "/nonexistent.json", VK_DRIVER_FILES: "/nonexistent.json" };
    const report = loadInChild(vulkan(models.selfEnding, 99), env);
    assert.equal(report.requestedBackend, "vulkan");
    assert.equal(report.backend, "cpu");
    assert.equal(report.layersOffloaded, 0);
    assert.match(report.fallbacks[0] ?? "", /Vulkan was requested but (is not available here|shows no device).*falling back to the CPU/);
  });
});
