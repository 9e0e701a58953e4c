/**
 * What reading the model's end-of-thinking signal costs: `npm run bench:signal [-- --quick] [-- --models tiny,heavy,vocab]`.
 *
 * The engine reads it at a step boundary by evaluating the boundary token itself with
 * `controlledEvaluate` (sampling the next token and returning the next-token probabilities in
 * the same decode) instead of letting the token loop's iterator evaluate it, then restarts the
 * iterator on the token sampled there (src/engine/process/generation/signalReader.ts). Nothing
 * more is decoded (the integration tests check llama.cpp's token meter); what it costs is time:
 *
 * 1. Per boundary, on a bare sequence: pairs of tokens, either two plain `iterator.next()` steps
 *    or a signal read then a plain step (the restarted iterator's first step pays for its new
 *    sampler), and a read without probabilities (`token` only) to split the cost into the
 *    restart and the probabilities. Interleaved round-robin, medians; cost per boundary =
 *    median(read pair) − median(plain pair). At temperature 0 (greedy) the probabilities are
 *    the whole vocabulary (sorted, copied into a JS array and a Map); at 0.6 (the default)
 *    node-llama-cpp's top-k 40 / top-p 0.95 cut comes first, so only that cut is copied.
 * 2. Through the engine's token loop: tokens/s of the same budget-braked answer with the signal
 *    read at every step boundary and not at all (the scripted loop has a boundary every ~17
 *    tokens, far denser than a real model's steps), alternating rounds, medians.
 *
 * Models: "tiny" (the test model, 323 tokens), "heavy" (the same script through 4 wider layers,
 * ~42 M parameters) and "tiny, 151,936 tokens" (the test model padded to Qwen's vocabulary size,
 * which is what the probabilities cost scales with). Writes bench-results/signal.json and prints
 * a markdown table.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { renderPrompt } from "../src/engine/process/chat/prompt";
import { resolveChatSetup } from "../src/engine/process/chat/wrapper";
import type { NodeLlamaCpp } from "../src/engine/process/chat/wrapper";
import { BrakingGeneration } from "../src/engine/process/generation/brakingGeneration";
import { createCoreDetector } from "../src/engine/process/generation/detector";
import { endOfThinkingToken } from "../src/engine/process/generation/signalReader";
import { DEFAULT_BRAKE_CUE } from "../src/core/settings/registry";
import { buildScriptedModel } from "../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../src/scripted-model/scripts";
import type { AskRequest } from "../src/engine/common/types";

const quick = process.argv.includes("--quick");
const modelsArg = process.argv.indexOf("--models");
const only = modelsArg >= 0 ? new Set((process.argv[modelsArg + 1] ?? "").split(",")) : null;
const ROUNDS = quick ? 3 : 7;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (x: number, d = 1): string => x.toFixed(d);

interface Case {
  /** For `--models tiny,heavy,vocab`. */
  readonly key: string;
  readonly name: string;
  readonly spec: ScriptedModelSpec;
  /** Token pairs per kind in the per-boundary measurement. */
  readonly pairs: number;
  /** Thinking budget of the engine runs. */
  readonly thinking: number;
  readonly contextSize: number;
  readonly tiny: boolean;
}

const base = reasoningModelSpec(OVERTHINKING);
const cases: Case[] = [
  { key: "tiny", name: "tiny", spec: base, pairs: quick ? 100 : 300, thinking: quick ? 300 : 800, contextSize: 4096, tiny: true },
  { key: "heavy", name: "heavy", spec: { ...base, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 2048 } }, pairs: quick ? 30 : 80, thinking: quick ? 80 : 200, contextSize: 2048, tiny: false },
  { key: "vocab", name: "tiny, 151,936 tokens", spec: { ...base, padVocabularyTo: 151_936 }, pairs: quick ? 30 : 100, thinking: quick ? 120 : 400, contextSize: 4096, tiny: false },
];

type PairKind = "plain" | "read" | "readNoProbabilities";

/** Per-boundary cost on a bare sequence: pairs of steps, interleaved. */
async function perBoundary(
  sequence: LlamaContextSequence,
  prompt: Token[],
  endToken: Token,
  pairs: number,
  sampling: { temperature: number; seed?: number },
): Promise<Record<PairKind, number> & { entries: number; spread: number }> {
  const times: Record<PairKind, number[]> = { plain: [], read: [], readNoProbabilities: [] };
  let entries = 0;
  await sequence.clearHistory();
  let iterator = sequence.evaluate(prompt, sampling);
  let presampled: Token | null = null;
  const nextToken = async (): Promise<Token> => {
    if (presampled !== null) {
      const t = presampled;
      presampled = null;
      return t;
    }
    const r = await iterator.next();
    if (r.done) throw new Error("the scripted loop ended");
    return r.value;
  };
  /** Evaluates `token` through controlledEvaluate (as the engine's signal read does) and restarts the iterator. */
  const read = async (token: Token, probabilities: boolean): Promise<void> => {
    await iterator.return();
    const [out] = await sequence.controlledEvaluate([[token, { generateNext: { token: true, probabilities, options: sampling } }]]);
    const map = out?.next.probabilities;
    if (map) {
      entries = map.size;
      void map.get(endToken);
    }
    const next = out?.next.token;
    if (next === undefined || next === null) throw new Error("nothing sampled");
    presampled = next;
    iterator = sequence.evaluate([next], sampling);
  };
  let token = await nextToken();
  for (let i = 0; i < 10; i++) token = await nextToken(); // warm-up
  const kinds: PairKind[] = ["plain", "read", "readNoProbabilities"];
  for (let p = 0; p < pairs * kinds.length; p++) {
    const kind = kinds[p % kinds.length] as PairKind;
    const start = performance.now();
    if (kind === "plain") token = await nextToken();
    else {
      await read(token, kind === "read");
      token = await nextToken();
    }
    token = await nextToken();
    times[kind].push(performance.now() - start);
  }
  await iterator.return();
  const sorted = [...times.plain].sort((a, b) => a - b);
  const quartile = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;
  return { plain: median(times.plain), read: median(times.read), readNoProbabilities: median(times.readNoProbabilities), entries, spread: quartile(0.75) - quartile(0.25) };
}

const request = (thinking: number): AskRequest => ({
  question: "What is 12 × 3?",
  history: [],
  brake: { mode: "budget", threshold: 0.2, maxThinkingTokens: thinking, cue: DEFAULT_BRAKE_CUE, probe: "off" },
  generation: { temperature: 0, maxAnswerTokens: 64, thinking: true },
});

interface MicroRow {
  readonly temperature: number;
  /** Entries in the probability map a read returns. */
  readonly entries: number;
  readonly plainPairMs: number;
  /** Interquartile range of the plain pairs: the noise a difference must stand out from. */
  readonly plainPairSpreadMs: number;
  readonly readPairMs: number;
  readonly readNoProbabilitiesPairMs: number;
  readonly costPerBoundaryMs: number;
  readonly restartMs: number;
  readonly probabilitiesMs: number;
}

interface Row {
  readonly model: string;
  readonly vocabulary: number;
  readonly threads: number;
  readonly tokenMs: number;
  readonly micro: readonly MicroRow[];
  /** Greedy, through the engine's loop. */
  readonly engineTokensPerSecondWithout: number;
  readonly engineTokensPerSecondWith: number;
  readonly readingsPerAnswer: number;
  readonly thinkingTokens: number;
}

async function main(): Promise<void> {
  const lib: NodeLlamaCpp = await import("node-llama-cpp");
  const llama = await lib.getLlama({ gpu: false, build: "never" });
  const dir = mkdtempSync(join(tmpdir(), "self-braking-bench-signal-"));
  const rows: Row[] = [];
  try {
    for (const c of cases.filter((x) => only === null || only.has(x.key))) {
      const path = join(dir, `${c.name.replace(/[^a-z0-9]+/gi, "-")}.gguf`);
      const { gguf, info } = buildScriptedModel(c.spec);
      writeFileSync(path, gguf);
      const threads = c.tiny ? 1 : Math.max(1, llama.cpuMathCores);
      const model = await llama.loadModel({ modelPath: path });
      const context = await model.createContext({ contextSize: c.contextSize, threads });
      const setup = resolveChatSetup(lib, model);
      const endToken = setup.thought ? endOfThinkingToken(model, setup.thought.close) : null;
      if (endToken === null) throw new Error("the scripted model has no single-token </think>");

      const sequence = context.getSequence();
      const prompt = renderPrompt(lib, setup, model, request(c.thinking));
      const micro: MicroRow[] = [];
      for (const sampling of [{ temperature: 0 }, { temperature: 0.6, seed: 1 }]) {
        const m = await perBoundary(sequence, prompt.tokens, endToken, c.pairs, sampling);
        console.error(`${c.name} T=${sampling.temperature}: pair plain ${fmt(m.plain, 3)} ms (IQR ${fmt(m.spread, 3)}), with a read ${fmt(m.read, 3)} ms, read without probabilities ${fmt(m.readNoProbabilities, 3)} ms; ${m.entries} probabilities`);
        micro.push({
          temperature: sampling.temperature,
          entries: m.entries,
          plainPairMs: m.plain,
          plainPairSpreadMs: m.spread,
          readPairMs: m.read,
          readNoProbabilitiesPairMs: m.readNoProbabilities,
          costPerBoundaryMs: m.read - m.plain,
          restartMs: m.readNoProbabilities - m.plain,
          probabilitiesMs: m.read - m.readNoProbabilities,
        });
      }

      const engineRun = async (readSignal: boolean): Promise<{ rate: number; readings: number; thinking: number }> => {
        await sequence.clearHistory();
        const r = request(c.thinking);
        const p = renderPrompt(lib, setup, model, r);
        const generation = new BrakingGeneration({ lib, model, sequence, setup, createDetector: createCoreDetector, readSignal }, r, p);
        let readings = 0;
        let last: unknown = null;
        const result = await generation.run(p.tokens, (e) => {
          if (e.type === "meter" && e.endOfThinking && e.endOfThinking !== last) {
            last = e.endOfThinking;
            readings++;
          }
        });
        return { rate: result.timings.tokensPerSecond, readings, thinking: result.tokens.thinking };
      };
      const without: number[] = [];
      const withSignal: number[] = [];
      let readings = 0;
      let thinking = 0;
      await engineRun(true); // warm-up
      for (let r = 0; r < ROUNDS; r++) {
        const first = r % 2 === 0;
        if (first) without.push((await engineRun(false)).rate);
        const w = await engineRun(true);
        withSignal.push(w.rate);
        readings = w.readings;
        thinking = w.thinking;
        if (!first) without.push((await engineRun(false)).rate);
        console.error(`${c.name} round ${r + 1}: engine ${fmt(without.at(-1) ?? 0)} tok/s without reading, ${fmt(w.rate)} with ${w.readings} readings`);
      }
      sequence.dispose();
      await context.dispose();
      await model.dispose();

      rows.push({
        model: c.name,
        vocabulary: info.tokenCount,
        threads,
        tokenMs: (micro[0]?.plainPairMs ?? NaN) / 2,
        micro,
        engineTokensPerSecondWithout: median(without),
        engineTokensPerSecondWith: median(withSignal),
        readingsPerAnswer: readings,
        thinkingTokens: thinking,
      });
    }
  } finally {
    await llama.dispose();
    rmSync(dir, { recursive: true, force: true });
  }

  const table = [
    "| model | vocabulary | threads | token (ms) | temperature | probabilities read | cost per boundary (ms) | of which restart / probabilities (ms) | noise: IQR of a plain pair (ms) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.flatMap((r) =>
      r.micro.map(
        (m) =>
          `| ${r.model} | ${r.vocabulary.toLocaleString("en-US")} | ${r.threads} | ${fmt(r.tokenMs, 3)} | ${m.temperature} | ${m.entries.toLocaleString("en-US")} | ${fmt(m.costPerBoundaryMs, 3)} | ${fmt(m.restartMs, 3)} / ${fmt(m.probabilitiesMs, 3)} | ${fmt(m.plainPairSpreadMs, 3)} |`,
      ),
    ),
    "",
    "| model | engine tok/s, greedy, not reading / reading at every boundary | readings (thinking tokens) |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.model} | ${fmt(r.engineTokensPerSecondWithout)} / ${fmt(r.engineTokensPerSecondWith)} | ${r.readingsPerAnswer} (${r.thinkingTokens}) |`),
  ].join("\n");
  console.log(table);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(join("bench-results", "signal.json"), JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, quick, rows }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
