/**
 * Engine benchmark: `npm run bench:engine [-- --quick] [-- --no-heavy] [-- --only threads,overhead,start,rss,gpu]`.
 *
 * Models: the scripted replay models (no weights can be downloaded here). "tiny" is the test
 * model (~0.1 M parameters: a token costs well under a millisecond, so any per-token overhead
 * shows); "heavy" replays the same script through 4 wider layers of zero weights (~42 M
 * parameters, F32, 170 MB), which costs real compute per token like a small language model.
 *
 * 1. Threads: tokens/s of a plain `sequence.evaluate` loop with 1, 2 and node-llama-cpp's default.
 * 2. Brake overhead: tokens/s while thinking, plain `LlamaChatSession` vs the engine with the
 *    adaptive detector running (and with the budget only), same model, same settings (greedy),
 *    same number of tokens; plus a bare `sequence.evaluate` loop (no detokenizing at all) as the
 *    floor; alternating rounds, medians.
 * 3. Time to first token and brake → first answer token latency.
 * 4. Engine start (fork + handshake, node-llama-cpp import, backend, model, context) through the
 *    client, as the extension starts it.
 * 5. Engine process RSS: started, model loaded, after a prompt, after unload.
 * 6. `--only gpu` (not in the default run): tokens/s through the engine on the CPU backend vs
 *    llama.cpp's Vulkan backend on lavapipe (Mesa's CPU Vulkan driver, mesa-vulkan-drivers;
 *    GGML_VK_VISIBLE_DEVICES=0 is set so llama.cpp shows it), all layers and half of them
 *    offloaded, with the layers, device memory and whether the greedy output matched the CPU's.
 *    A correctness path for GPU offload on machines without a GPU, not a speed claim.
 * Writes bench-results/engine.json and prints markdown tables.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { Llama, Token } from "node-llama-cpp";
import { EngineClient } from "../src/engine/client/engineClient";
import type { NodeLlamaCpp } from "../src/engine/process/chat/wrapper";
import { resolveChatSetup } from "../src/engine/process/chat/wrapper";
import { createBrakeDetector } from "../src/core/brake/index";
import { DEFAULT_BRAKE_CUE } from "../src/core/settings/registry";
import { Engine } from "../src/engine/process/engine";
import { createCoreDetector } from "../src/engine/process/generation/detector";
import { buildScriptedModel } from "../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../src/scripted-model/scripts";
import type { AskRequest, GenerationResult, LoadConfig, LoadReport } from "../src/engine/common/types";

const quick = process.argv.includes("--quick");
const heavyToo = !process.argv.includes("--no-heavy");
const ROUNDS = quick ? 3 : 7;
const onlyArg = process.argv.indexOf("--only");
const sections = new Set((onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? "") : "threads,overhead,start,rss").split(","));
// llama.cpp's Vulkan backend hides CPU-type devices (lavapipe) unless they are named here; set
// before any backend opens (node-llama-cpp tests its binaries in child processes that inherit it).
if (sections.has("gpu")) process.env.GGML_VK_VISIBLE_DEVICES ??= "0";

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const mib = (b: number): string => (b / 1048576).toFixed(1);
const fmt = (x: number, d = 1): string => x.toFixed(d);

interface ModelCase {
  readonly name: string;
  readonly path: string;
  readonly tokens: number;
  readonly contextSize: number;
}

const dir = mkdtempSync(join(tmpdir(), "self-braking-bench-"));
const writeModel = (name: string, shape?: { minEmbeddingLength: number; blockCount: number; feedForwardLength: number }): string => {
  const path = join(dir, name);
  writeFileSync(path, buildScriptedModel({ ...reasoningModelSpec(OVERTHINKING), ...(shape ? { shape } : {}) }).gguf);
  return path;
};
const cases: ModelCase[] = [{ name: "tiny", path: writeModel("tiny.gguf"), tokens: quick ? 400 : 1000, contextSize: 2048 }];
if (heavyToo) cases.push({ name: "heavy", path: writeModel("heavy.gguf", { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 2048 }), tokens: quick ? 60 : 150, contextSize: 1024 });

const request = (brake: Partial<AskRequest["brake"]>, question = "What is 12 × 3?"): AskRequest => ({
  question,
  history: [],
  brake: { mode: "adaptive", threshold: 0.2, maxThinkingTokens: 8192, cue: DEFAULT_BRAKE_CUE, probe: "off", ...brake },
  generation: { temperature: 0, maxAnswerTokens: 64, thinking: true },
});

async function threadsBench(lib: NodeLlamaCpp, llama: Llama, c: ModelCase): Promise<Record<string, number>> {
  const model = await llama.loadModel({ modelPath: c.path });
  const out: Record<string, number> = {};
  const settings: Array<[string, number | undefined]> = [["1", 1], ["2", 2], [`default (${llama.maxThreads})`, undefined]];
  for (const [label, threads] of settings) {
    const rates: number[] = [];
    for (let r = 0; r < (quick ? 2 : 3); r++) {
      const context = await model.createContext({ contextSize: c.contextSize, ...(threads === undefined ? {} : { threads }) });
      const seq = context.getSequence();
      const prompt = model.tokenize("<|im_start|>user\nWhat is 12 × 3?<|im_end|>\n<|im_start|>assistant\n", true);
      // Oversubscribed settings can be 100× slower: stop after a few seconds rather than a token count.
      const limitMs = quick ? 3000 : 6000;
      let first = 0;
      let count = 0;
      for await (const _token of seq.evaluate(prompt, { temperature: 0 })) {
        void (_token as Token);
        if (count === 0) first = performance.now();
        if (++count >= c.tokens || (count > 2 && performance.now() - first > limitMs)) break;
      }
      rates.push(((count - 1) * 1000) / (performance.now() - first));
      await context.dispose();
    }
    out[label] = median(rates);
    console.error(`threads ${c.name} ${label}: ${fmt(out[label] ?? 0)} tok/s`);
  }
  await model.dispose();
  void lib;
  return out;
}

interface OverheadRow {
  readonly raw: number;
  readonly plain: number;
  readonly engineAdaptive: number;
  readonly engineBudgetOnly: number;
  readonly plainTtftMs: number;
  readonly engineTtftMs: number;
  readonly brakeToAnswerMs: number;
  readonly threads: number;
  /** The engine's own work per thinking token (splitting, ledger, detector), median µs. */
  readonly engineUsPerToken: number;
  /** That work as a share of the time between first and last token, median %. */
  readonly engineSharePct: number;
}

async function overheadBench(lib: NodeLlamaCpp, llama: Llama, c: ModelCase): Promise<OverheadRow> {
  // The detector runs in full on every token but cannot fire (τ1 = 1, no SBT-E rule), so both
  // sides generate the same number of tokens.
  const engine = new Engine({ createDetector: (input) => createBrakeDetector({ ...createCoreDetector(input).config, policy: { verifiedExplicitBrakes: false } }) });
  const braking = new Engine();
  const load: LoadConfig = { modelPath: c.path, gpu: "cpu", gpuLayers: 0, contextSize: c.contextSize, threads: "auto" };
  const report = await engine.load(load);
  await braking.load(load);
  const model = await llama.loadModel({ modelPath: c.path });
  const context = await model.createContext({ contextSize: c.contextSize, threads: report.threads });
  const sequence = context.getSequence();
  const setup = resolveChatSetup(lib, model);

  const plainRun = async (): Promise<{ rate: number; ttft: number }> => {
    await sequence.clearHistory();
    const session = new lib.LlamaChatSession({ contextSequence: sequence, chatWrapper: setup.wrapper, autoDisposeSequence: false });
    const start = performance.now();
    let first = 0;
    let last = 0;
    let tokens = 0;
    await session.prompt("What is 12 × 3?", {
      maxTokens: c.tokens,
      temperature: 0,
      onResponseChunk: (chunk) => {
        const t = performance.now();
        if (tokens === 0) first = t;
        last = t;
        tokens += chunk.tokens.length;
      },
    });
    session.dispose({ disposeSequence: false });
    return { rate: ((tokens - 1) * 1000) / (last - first), ttft: first - start };
  };
  const rawRun = async (): Promise<number> => {
    await sequence.clearHistory();
    const history = [{ type: "user" as const, text: "What is 12 × 3?" }, { type: "model" as const, response: [] }];
    const prompt = setup.wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
    let first = 0;
    let count = 0;
    for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) {
      void (_token as Token);
      if (count === 0) first = performance.now();
      if (++count >= c.tokens) break;
    }
    return ((count - 1) * 1000) / (performance.now() - first);
  };
  const engineRun = async (mode: "adaptive" | "budget"): Promise<{ rate: number; result: GenerationResult }> => {
    // Thinking deltas are coalesced into batches before they are emitted, so event arrival times
    // say nothing about the token rate: use the engine's own first-to-last-token measurement.
    const result = await engine.ask(`bench-${mode}`, request({ mode, threshold: 1, maxThinkingTokens: c.tokens }), () => undefined);
    return { rate: result.timings.tokensPerSecond, result };
  };

  const raw: number[] = [];
  const plain: number[] = [];
  const plainTtft: number[] = [];
  const adaptive: number[] = [];
  const budgetOnly: number[] = [];
  const ttft: number[] = [];
  const brakeToAnswer: number[] = [];
  const engineUs: number[] = [];
  const engineShare: number[] = [];
  await plainRun();
  await engineRun("adaptive"); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    raw.push(await rawRun());
    const p = await plainRun();
    plain.push(p.rate);
    plainTtft.push(p.ttft);
    const a = await engineRun("adaptive");
    adaptive.push(a.rate);
    if (a.result.braked && a.result.brake?.reason !== "budget") throw new Error(`the overhead run braked early (${a.result.brake?.reason})`);
    const generated = a.result.tokens.thinking + a.result.tokens.answer;
    engineUs.push((a.result.timings.engineMs * 1000) / generated);
    engineShare.push((a.result.timings.engineMs / ((generated - 1) * 1000 / a.result.timings.tokensPerSecond)) * 100);
    budgetOnly.push((await engineRun("budget")).rate);
    const braked = await braking.ask("bench-brake", request({}), () => undefined);
    ttft.push(braked.timings.ttftMs);
    if (braked.timings.brakeToAnswerMs !== null) brakeToAnswer.push(braked.timings.brakeToAnswerMs);
    console.error(`overhead ${c.name} round ${r + 1}: bare loop ${fmt(raw.at(-1) ?? 0)}, plain ${fmt(p.rate)} tok/s, engine+detector ${fmt(a.rate)}, engine budget-only ${fmt(budgetOnly.at(-1) ?? 0)}`);
  }
  await context.dispose();
  await model.dispose();
  await engine.unload({ releaseBackend: true });
  await braking.unload({ releaseBackend: true });
  return {
    raw: median(raw),
    plain: median(plain),
    engineAdaptive: median(adaptive),
    engineBudgetOnly: median(budgetOnly),
    plainTtftMs: median(plainTtft),
    engineTtftMs: median(ttft),
    brakeToAnswerMs: median(brakeToAnswer),
    threads: report.threads,
    engineUsPerToken: median(engineUs),
    engineSharePct: median(engineShare),
  };
}

interface GpuRow {
  readonly setup: string;
  readonly backend: string;
  readonly device: string;
  readonly layers: string;
  readonly deviceMemoryBytes: number;
  readonly threads: number;
  readonly tokensPerSecond: number;
  readonly ttftMs: number;
  readonly sameOutputAsCpu: boolean;
}

async function gpuBench(c: ModelCase): Promise<GpuRow[]> {
  const base: LoadConfig = { modelPath: c.path, gpu: "cpu", gpuLayers: 0, contextSize: c.contextSize, threads: "auto" };
  const cpu = new Engine();
  const cpuReport = await cpu.load(base);
  const half = Math.max(1, Math.floor(cpuReport.layersTotal / 2));
  const setups: Array<{ setup: string; engine: Engine; report: LoadReport }> = [{ setup: "CPU backend", engine: cpu, report: cpuReport }];
  for (const [setup, gpuLayers] of [["Vulkan on lavapipe, all layers", 999], [`Vulkan on lavapipe, ${half} of ${cpuReport.layersTotal} layers`, half]] as const) {
    const engine = new Engine();
    const report = await engine.load({ ...base, gpu: "vulkan", gpuLayers });
    if (report.backend !== "vulkan") {
      throw new Error(`Vulkan did not open (${report.fallbacks.join(" ")}): install mesa-vulkan-drivers (lavapipe) and libvulkan1.`);
    }
    setups.push({ setup, engine, report });
  }
  const rates = setups.map(() => [] as number[]);
  const ttfts = setups.map(() => [] as number[]);
  const outputs = setups.map(() => "");
  const ask = (engine: Engine): Promise<GenerationResult> => engine.ask("bench-gpu", request({ mode: "budget", threshold: 1, maxThinkingTokens: c.tokens }), () => undefined);
  for (const s of setups) await ask(s.engine); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, s] of setups.entries()) {
      const result = await ask(s.engine);
      rates[i]?.push(result.timings.tokensPerSecond);
      ttfts[i]?.push(result.timings.ttftMs);
      outputs[i] = `${result.thinking}\u0000${result.answer}`;
    }
    console.error(`gpu ${c.name} round ${r + 1}: ${setups.map((s, i) => `${s.setup} ${fmt(rates[i]?.at(-1) ?? 0)} tok/s`).join(", ")}`);
  }
  for (const s of setups) await s.engine.unload({ releaseBackend: true });
  return setups.map((s, i) => ({
    setup: s.setup,
    backend: s.report.backend,
    device: s.report.backend === "cpu" ? "CPU" : `${s.report.gpuDevices.join(", ")} (${s.report.device.note})`,
    layers: `${s.report.layersOffloaded}/${s.report.layersTotal}`,
    deviceMemoryBytes: s.report.memory.vramBytes,
    threads: s.report.threads,
    tokensPerSecond: median(rates[i] ?? []),
    ttftMs: median(ttfts[i] ?? []),
    sameOutputAsCpu: outputs[i] === outputs[0],
  }));
}

async function startBench(c: ModelCase): Promise<Array<Record<string, number>>> {
  const rows: Array<Record<string, number>> = [];
  const bundled = existsSync("dist/engine.js");
  for (let r = 0; r < (quick ? 1 : 3); r++) {
    const client = new EngineClient({ modelPath: c.path, gpu: "cpu", gpuLayers: 0, contextSize: c.contextSize, threads: "auto" }, bundled ? { enginePath: "dist/engine.js" } : {});
    const t0 = performance.now();
    let loadedAt = 0;
    let firstTokenAt = 0;
    const handle = client.ask(request({}));
    handle.onEvent((e) => {
      if (e.type === "loaded") loadedAt = performance.now();
      if ((e.type === "thinking" || e.type === "answer") && firstTokenAt === 0) firstTokenAt = performance.now();
    });
    await handle.result;
    const t = client.report?.timings;
    if (t) {
      rows.push({
        toLoadedMs: loadedAt - t0,
        forkAndHandshakeMs: loadedAt - t0 - t.totalMs,
        importMs: t.importMs,
        backendMs: t.backendMs,
        modelMs: t.modelMs,
        contextMs: t.contextMs,
        chatFormatMs: t.chatFormatMs,
        toFirstTokenMs: firstTokenAt - t0,
      });
    }
    await client.dispose();
  }
  console.error(`engine start (${bundled ? "dist/engine.js" : "source via tsx"}): ${rows.map((r) => fmt(r.toLoadedMs ?? 0, 0)).join(", ")} ms to loaded`);
  return rows;
}

async function rssBench(c: ModelCase): Promise<Record<string, number>> {
  const bundled = existsSync("dist/engine.js");
  const client = new EngineClient({ modelPath: c.path, gpu: "cpu", gpuLayers: 0, contextSize: c.contextSize, threads: "auto" }, bundled ? { enginePath: "dist/engine.js" } : {});
  await client.start();
  const started = (await client.status()).rssBytes;
  const report = await client.load();
  const loaded = (await client.status()).rssBytes;
  await client.ask(request({})).result;
  const afterPrompt = (await client.status()).rssBytes;
  await client.unload();
  const unloaded = (await client.status()).rssBytes;
  const fileBytes = report.fileBytes;
  await client.dispose();
  return { started, loaded, afterPrompt, unloaded, fileBytes };
}

async function main(): Promise<void> {
  const lib = (await import("node-llama-cpp")) as NodeLlamaCpp;
  const llama = await lib.getLlama({ gpu: false, build: "never", logLevel: lib.LlamaLogLevel.error, progressLogs: false });
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    logicalCpus: availableParallelism(),
    mathCores: llama.cpuMathCores,
    llamaDefaultThreads: llama.maxThreads,
    ramBytes: totalmem(),
    node: process.version,
    nodeLlamaCpp: "3.21.1",
    llamaCpp: llama.llamaCppRelease.release,
  };
  console.error(JSON.stringify(machine));
  const results: Record<string, unknown> = { machine, date: new Date().toISOString(), rounds: ROUNDS };
  const threads: Record<string, Record<string, number>> = {};
  const overhead: Record<string, OverheadRow> = {};
  if (sections.has("threads")) for (const c of cases) threads[c.name] = await threadsBench(lib, llama, c);
  if (sections.has("overhead")) for (const c of cases) overhead[c.name] = await overheadBench(lib, llama, c);
  await llama.dispose();
  const gpu: Record<string, GpuRow[]> = {};
  if (sections.has("gpu")) for (const c of cases) gpu[c.name] = await gpuBench(c);
  const start = sections.has("start") ? await startBench(cases[0] as ModelCase) : [];
  const rss: Record<string, number> = sections.has("rss") ? await rssBench((cases[1] ?? cases[0]) as ModelCase) : {};
  Object.assign(results, { threads, overhead, start, rss, gpu });
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(sections.size === 4 ? "bench-results/engine.json" : `bench-results/engine-${[...sections].join("-")}.json`, `${JSON.stringify(results, null, 2)}\n`);

  const lines: string[] = [];
  lines.push(`machine: ${machine.cpu}, ${machine.logicalCpus} logical CPUs (${machine.mathCores} math cores), ${mib(machine.ramBytes)} MiB, Node ${machine.node}, llama.cpp ${machine.llamaCpp}`);
  if (sections.has("threads")) lines.push("", "| model | threads | tokens/s |", "|---|---|---|");
  for (const [name, row] of Object.entries(threads)) for (const [t, v] of Object.entries(row)) lines.push(`| ${name} | ${t} | ${fmt(v)} |`);
  if (sections.has("overhead")) lines.push(
    "",
    "| model | threads | bare evaluate loop tok/s | plain LlamaChatSession tok/s | engine + detector tok/s | overhead vs session | overhead vs bare loop | engine, budget only tok/s | engine's own work µs/token (share) | TTFT session / engine (ms) | brake → first answer token (ms) |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const [name, o] of Object.entries(overhead)) {
    const vsPlain = (1 - o.engineAdaptive / o.plain) * 100;
    const vsRaw = (1 - o.engineAdaptive / o.raw) * 100;
    lines.push(
      `| ${name} | ${o.threads} | ${fmt(o.raw)} | ${fmt(o.plain)} | ${fmt(o.engineAdaptive)} | ${fmt(vsPlain)} % | ${fmt(vsRaw)} % | ${fmt(o.engineBudgetOnly)} | ${fmt(o.engineUsPerToken)} (${fmt(o.engineSharePct, 2)} %) | ${fmt(o.plainTtftMs)} / ${fmt(o.engineTtftMs)} | ${fmt(o.brakeToAnswerMs, 2)} |`,
    );
  }
  if (sections.has("start")) lines.push("", "| run | to model loaded (ms) | fork + handshake | import | backend | model | context | chat format | to first token |", "|---|---|---|---|---|---|---|---|---|");
  start.forEach((r, i) =>
    lines.push(
      `| ${i + 1} | ${fmt(r.toLoadedMs ?? 0, 0)} | ${fmt(r.forkAndHandshakeMs ?? 0, 0)} | ${fmt(r.importMs ?? 0, 0)} | ${fmt(r.backendMs ?? 0, 0)} | ${fmt(r.modelMs ?? 0, 0)} | ${fmt(r.contextMs ?? 0, 0)} | ${fmt(r.chatFormatMs ?? 0, 0)} | ${fmt(r.toFirstTokenMs ?? 0, 0)} |`,
    ),
  );
  if (sections.has("gpu")) {
    lines.push("", "| model | setup | device | layers on device | device memory (MiB) | threads | tokens/s | TTFT (ms) | same greedy output as CPU |", "|---|---|---|---|---|---|---|---|---|");
    for (const [name, rows] of Object.entries(gpu)) {
      for (const r of rows) lines.push(`| ${name} | ${r.setup} | ${r.device} | ${r.layers} | ${mib(r.deviceMemoryBytes)} | ${r.threads} | ${fmt(r.tokensPerSecond)} | ${fmt(r.ttftMs)} | ${r.sameOutputAsCpu ? "yes" : "NO"} |`);
    }
  }
  if (sections.has("rss")) lines.push("", `engine RSS (${(cases[1] ?? cases[0])?.name} model, ${mib(rss.fileBytes ?? 0)} MiB file): started ${mib(rss.started ?? 0)} MiB, loaded ${mib(rss.loaded ?? 0)} MiB, after a prompt ${mib(rss.afterPrompt ?? 0)} MiB, after unload ${mib(rss.unloaded ?? 0)} MiB`);
  console.log(lines.join("\n"));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
