/**
 * Compare brake variants on both dev files with held-out model halves, scored like the judge.
 *
 *   npx tsx lab/brake-eval.ts [--variants FILE.json | --variant NAME='{"policy":{…}}' …]
 *       [--tokenizer approx|qwen|auto] [--chunk-tokens 8] [--per-model] [--files DEV,LONG]
 *
 * A variant is a name and a BrakeConfigInput (merged over the defaults, threshold included).
 * For each variant and file it prints the judge line overall (cut, oracle, capture, accuracy,
 * harmful/beneficial flips), the same on two model halves (A: chosen on, B: held out; the
 * halves below are fixed so that every comparison uses the same split), and the worst model's
 * net flips (harmful − beneficial; the issue wants none above 0 per model).
 *
 * Uses lab/brake-judge.ts, a port of the judge; confirm final numbers with judge.py.
 * Prints numbers only, never trace text.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { BrakeConfigInput } from "../src/core/brake/config";
import { parseTraceFile } from "../src/core/replay/record";
import type { PreparedTrace } from "../src/core/replay/run";
import { prepareTrace } from "../src/core/replay/run";
import { replayThinking } from "../src/core/replay/replayTrace";
import type { TokenizerChoice } from "../src/cli/replayTokenizer";
import { loadTokenCounter } from "../src/cli/replayTokenizer";
import type { JudgedTrace } from "./brake-judge";
import { judgeLine, judgeTrace } from "./brake-judge";

/** Model halves: A is where rules are chosen, B is held out (and the other way round as a check). */
export const HALF_A = new Set([
  "DeepSeek-R1-Distill-Qwen-1.5B",
  "Qwen3-32B",
  "grok-3-mini-think",
  "qwen3-30b-a3b-think",
  "DeepHermes-3-Mistral-24B-Pre",
]);

export function judgeAll(prepared: readonly PreparedTrace[], config: BrakeConfigInput, chunkTokens: number): JudgedTrace[] {
  return prepared.map((t) => {
    const r = replayThinking(t.thinking, t.tokenEnds, { ...config, answerFormat: t.format, question: t.record.problem ?? undefined }, chunkTokens);
    return judgeTrace(t.record, t.thinking, r.braked ? r.brakeAt : null, r.answer);
  });
}

function cell(ts: readonly JudgedTrace[]): string {
  const l = judgeLine(ts);
  return `${l.deltaPts >= 0 ? "+" : ""}${l.deltaPts.toFixed(1)}/${(100 * l.cut).toFixed(1)}%/${(100 * l.capture).toFixed(0)}`;
}

export function worstModel(ts: readonly JudgedTrace[]): string {
  const by = new Map<string, number>();
  for (const t of ts) by.set(t.model, (by.get(t.model) ?? 0) + (t.baseline && !t.right ? 1 : 0) - (!t.baseline && t.right ? 1 : 0));
  const worst = [...by.entries()].sort((a, b) => b[1] - a[1])[0];
  const bad = [...by.values()].filter((v) => v > 0).length;
  return worst === undefined ? "-" : `${worst[1]} (${bad} models > 0)`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      variants: { type: "string" },
      variant: { type: "string", multiple: true },
      tokenizer: { type: "string", default: "approx" },
      "chunk-tokens": { type: "string", default: "8" },
      "per-model": { type: "boolean", default: false },
      files: { type: "string", default: "../shared/eval/traces-dev.jsonl,../shared/eval/traces-dev-long.jsonl" },
    },
  });
  const variants: [string, BrakeConfigInput][] = [];
  if (values.variants !== undefined) variants.push(...Object.entries(JSON.parse(readFileSync(values.variants, "utf8")) as Record<string, BrakeConfigInput>));
  for (const v of values.variant ?? []) {
    const at = v.indexOf("=");
    variants.push(at < 0 ? [v, {}] : [v.slice(0, at), JSON.parse(v.slice(at + 1)) as BrakeConfigInput]);
  }
  if (variants.length === 0) variants.push(["default", {}]);
  const counter = loadTokenCounter(values.tokenizer as TokenizerChoice, (m) => process.stderr.write(m + "\n"));
  const chunk = Number(values["chunk-tokens"]);
  const files = values.files.split(",").map((f) => ({ f, prepared: parseTraceFile(readFileSync(f, "utf8")).records.map((r) => prepareTrace(r, counter)) }));
  process.stdout.write(`tokens: ${counter.name}; cells = Δpts/cut/capture%\n`);
  for (const [name, config] of variants) {
    const parts: string[] = [];
    for (const { f, prepared } of files) {
      const ts = judgeAll(prepared, { maxThinkingTokens: Infinity, ...config }, chunk);
      const l = judgeLine(ts);
      const short = f.includes("long") ? "long" : "dev";
      parts.push(
        `${short}: ${cell(ts)} h${l.harmful}/b${l.beneficial} A ${cell(ts.filter((t) => HALF_A.has(t.model)))} B ${cell(ts.filter((t) => !HALF_A.has(t.model)))} worst ${worstModel(ts)}`,
      );
      if (values["per-model"]) {
        const models = [...new Set(ts.map((t) => t.model))];
        for (const m of models) {
          const mt = ts.filter((t) => t.model === m);
          const ml = judgeLine(mt);
          parts.push(`    ${m.padEnd(32)} ${cell(mt)} h${ml.harmful}/b${ml.beneficial} acc ${ml.base.toFixed(3)}→${ml.acc.toFixed(3)}`);
        }
      }
    }
    process.stdout.write(`${name}\n  ${parts.join("\n  ")}\n`);
  }
}

if (process.argv[1]?.endsWith("brake-eval.ts")) main();
