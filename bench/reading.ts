/**
 * What reading a prompt in slices costs: `npm run bench:reading [-- --tokens 4096] [-- --busy N]`.
 *
 * The slow scripted model ("heavy") reads the same prompt into a fresh context, alternately in
 * one `evaluateWithoutGeneratingNewTokens` call (llama.cpp batches it internally; Stop cannot
 * interrupt it) and through `evaluatePromptInSlices` (the engine's way: Stop between slices),
 * plus fixed slice sizes for reference. Prints tokens/s for each, medians of the rounds.
 * `--busy N` runs N CPU-burning processes alongside.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { LlamaModel, Token } from "node-llama-cpp";
import { evaluatePromptInSlices } from "../src/engine/process/generation/promptSlices";
import { buildScriptedModel } from "../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../src/scripted-model/scripts";

const { values } = parseArgs({ options: { tokens: { type: "string", default: "4096" }, busy: { type: "string", default: "0" }, rounds: { type: "string", default: "3" } } });
const promptTokens = Number(values.tokens);
const rounds = Number(values.rounds);

type Mode = "one call" | "slices (engine)" | "fixed 16" | "fixed 64" | "fixed 256";

async function read(model: LlamaModel, tokens: readonly Token[], mode: Mode): Promise<number> {
  const context = await model.createContext({ contextSize: tokens.length + 512, threads: 2 });
  const sequence = context.getSequence();
  const started = performance.now();
  if (mode === "one call") await sequence.evaluateWithoutGeneratingNewTokens([...tokens]);
  else if (mode === "slices (engine)") {
    const rest = await evaluatePromptInSlices(sequence, tokens, { maxSliceTokens: context.batchSize });
    if (rest && rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
  } else {
    const size = Number(mode.slice("fixed ".length));
    for (let i = 0; i < tokens.length; i += size) await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + size));
  }
  const ms = performance.now() - started;
  await context.dispose();
  return tokens.length / (ms / 1000);
}

async function main(): Promise<void> {
  const burners = Array.from({ length: Number(values.busy) }, () => fork("-e", ["for(;;){}"], { execArgv: [], stdio: "ignore" }));
  const dir = mkdtempSync(join(tmpdir(), "self-braking-reading-"));
  try {
    const path = join(dir, "heavy.gguf");
    writeFileSync(path, buildScriptedModel({ ...reasoningModelSpec(OVERTHINKING), contextLength: 65536, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 2048 } }).gguf);
    const lib = await import("node-llama-cpp");
    const llama = await lib.getLlama({ gpu: false, build: "never", logLevel: lib.LlamaLogLevel.error, progressLogs: false });
    const model = await llama.loadModel({ modelPath: path });
    const tokens = model.tokenize("alpha beta gamma delta epsilon zeta theta kappa ".repeat(Math.ceil(promptTokens / 8) + 8)).slice(0, promptTokens);
    const modes: Mode[] = ["one call", "slices (engine)", "fixed 16", "fixed 64", "fixed 256"];
    const rates = new Map<Mode, number[]>(modes.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) for (const mode of modes) rates.get(mode)?.push(await read(model, tokens, mode));
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const base = median(rates.get("one call") ?? []);
    console.log(`| reading ${tokens.length} prompt tokens (heavy model, 2 threads, ${burners.length} busy processes) | tokens/s | vs one call |\n|---|---|---|`);
    for (const mode of modes) {
      const rate = median(rates.get(mode) ?? []);
      console.log(`| ${mode} | ${rate.toFixed(0)} | ${((100 * rate) / base).toFixed(0)} % |`);
    }
    await model.dispose();
    await llama.dispose();
  } finally {
    for (const b of burners) b.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
