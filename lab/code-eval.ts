/**
 * Compare brake variants on the code traces, per dataset and on two fixed halves.
 *
 *   npx tsx lab/code-eval.ts [--variant NAME='{"codePolicy":{…}}' …] [--tokenizer approx|qwen] [--file F]
 *       [--per-trace OUT.jsonl]   (the first variant's decisions, for judge_code.py)
 *
 * Scored by the replay's own scoring, which follows judge_code.py (a braked code trace is right
 * when it was right and its final code was written out in full before the cut; an output trace
 * when its anchored answer equals the gold as a Python value). The judge also counts a draft with
 * the same AST or the same definitions as written, so confirm final numbers with
 * ../shared/eval/judge/judge_code.py. Halves: codegen by model (A: Qwen3-1.7B and QwQ-32B-AWQ,
 * B: Qwen3-14B), the QwQ-32B datasets by a hash of the id. Prints numbers only, never trace text.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { BrakeConfigInput } from "../src/core/brake/config";
import { parseTraceFile } from "../src/core/replay/record";
import { perTraceLine, prepareTrace, replayPrepared } from "../src/core/replay/run";
import type { TraceOutcome } from "../src/core/replay/outcome";
import { summarize } from "../src/core/replay/summary";
import { loadTokenCounter } from "../src/cli/replayTokenizer";
import type { TokenizerChoice } from "../src/cli/replayTokenizer";

const CODEGEN_HALF_A = new Set(["Qwen/Qwen3-1.7B", "Qwen/QwQ-32B-AWQ"]);

/** Half A or B, fixed: by model for codegen, by the id for the single-model datasets. */
export function halfOf(id: string, model: string, dataset: string): "A" | "B" {
  if (dataset === "codegen") return CODEGEN_HALF_A.has(model) ? "A" : "B";
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 2 === 0 ? "A" : "B";
}

function cell(outcomes: readonly TraceOutcome[]): string {
  const s = summarize(outcomes).find((g) => g.group === "ALL");
  if (s === undefined) return "-";
  const sign = s.deltaPoints >= 0 ? "+" : "";
  return `${sign}${s.deltaPoints.toFixed(1)}/${(100 * s.charsSaved).toFixed(1)}%/${(100 * (s.oracle.charsSaved > 0 ? s.charsSaved / s.oracle.charsSaved : 0)).toFixed(0)} h${s.harmfulFlips}/b${s.beneficialFlips}`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      variant: { type: "string", multiple: true },
      tokenizer: { type: "string", default: "approx" },
      file: { type: "string", default: "../shared/eval/traces-dev-code.jsonl" },
      "per-trace": { type: "string" },
    },
  });
  const variants: [string, BrakeConfigInput][] = (values.variant ?? []).map((v) => {
    const at = v.indexOf("=");
    return at < 0 ? [v, {}] : [v.slice(0, at), JSON.parse(v.slice(at + 1)) as BrakeConfigInput];
  });
  if (variants.length === 0) variants.push(["default", {}]);
  const counter = loadTokenCounter(values.tokenizer as TokenizerChoice, (m) => process.stderr.write(`${m}\n`));
  const prepared = parseTraceFile(readFileSync(values.file, "utf8")).records.map((r) => prepareTrace(r, counter));
  const datasets = [...new Set(prepared.map((p) => p.record.dataset))].sort();
  process.stdout.write(`tokens: ${counter.name}; cells = Δpts/chars cut/% of oracle h(armful)/b(eneficial)\n`);
  for (const [name, config] of variants) {
    const outcomes = prepared.map((p) => replayPrepared(p, { maxThinkingTokens: Infinity, ...config }, 8));
    const lines = [`${name}: all ${cell(outcomes)}`];
    for (const ds of datasets) {
      const of = outcomes.filter((o) => o.dataset === ds);
      const a = of.filter((o) => halfOf(o.id, o.model, o.dataset) === "A");
      const b = of.filter((o) => halfOf(o.id, o.model, o.dataset) === "B");
      lines.push(`  ${ds.padEnd(16)} ${cell(of).padEnd(28)} A ${cell(a).padEnd(28)} B ${cell(b)}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    // the first variant's decisions, in replay --per-trace format, for judge_code.py
    if (values["per-trace"] !== undefined && name === variants[0]?.[0]) writeFileSync(values["per-trace"], `${outcomes.map(perTraceLine).join("\n")}\n`);
  }
}

main();
