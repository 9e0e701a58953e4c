/**
 * How much thinking a brake makes unnecessary, measured on recorded traces: the ratios behind
 * the chat's "est. ~N more avoided" (src/core/brake/savingEstimate.ts).
 *
 *   npx tsx lab/saving-ratios.ts [--files A.jsonl,B.jsonl] [--tokenizer auto|qwen|approx]
 *       [--threshold 0.2] [--chunk-tokens 8] [--min-traces 20] [--by-model]
 *
 * Every trace is replayed through the project's replay (prepareTrace / replayPrepared, the
 * detector the product runs, its default policy, no thinking budget as in `replay`). For each trace the brake
 * braked (something was cut) whose recording is *finished* (the model closed its thinking itself:
 * a capped trace stops mid-thought and would understate what was left), the ratio is
 *
 *   remaining / kept = (thinking tokens recorded − thinking tokens kept) / thinking tokens kept
 *
 * i.e. how much more the unbraked model went on to think per token the braked one kept. It prints
 * the median and quartiles per brake rule (`eta`, `verified`), per answer format (whatever
 * src/core/answers infers: number, math, choice, and the code formats once they exist), per rule
 * × format, and per file (and per model with --by-model), then the rows ready to paste into the
 * SAVING_RATIOS table. Cells with fewer than --min-traces traces are printed but not offered for
 * the table. Prints ids never, trace text never: numbers only.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseTraceFile } from "../src/core/replay/record";
import type { PreparedTrace } from "../src/core/replay/run";
import { prepareTrace, replayPrepared } from "../src/core/replay/run";
import { isBraked } from "../src/core/replay/outcome";
import { splitTrace } from "../src/core/replay/thinking";
import type { TokenizerChoice } from "../src/cli/replayTokenizer";
import { loadTokenCounter, parseTokenizerOption } from "../src/cli/replayTokenizer";

const DEFAULT_FILES = "../shared/eval/traces-dev.jsonl,../shared/eval/traces-dev-long.jsonl,../shared/eval/traces-dev-code.jsonl";

interface Sample {
  readonly file: string;
  readonly model: string;
  readonly rule: string;
  readonly format: string;
  readonly kept: number;
  readonly remaining: number;
}

interface Counts {
  traces: number;
  braked: number;
  /** Braked, but the recording was capped (not used: it understates what was left). */
  brakedCapped: number;
}

/** Linear-interpolated quantile (numpy's default) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (at - lo);
}

export interface RatioStats {
  readonly traces: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** Σ remaining / Σ kept: the pooled ratio (dominated by long traces), for comparison. */
  readonly pooled: number;
}

export function ratioStats(samples: readonly Sample[]): RatioStats {
  const ratios = samples.map((s) => s.remaining / s.kept).sort((a, b) => a - b);
  const kept = samples.reduce((n, s) => n + s.kept, 0);
  const remaining = samples.reduce((n, s) => n + s.remaining, 0);
  return { traces: samples.length, median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75), pooled: kept > 0 ? remaining / kept : Number.NaN };
}

/** Whether the recording closed its thinking itself (`finished`; without the field, a `</think>` in the trace). */
function finishedById(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as { id?: unknown; finished?: unknown; trace?: unknown };
      if (typeof value.id !== "string" && typeof value.id !== "number") continue;
      const finished = typeof value.finished === "boolean" ? value.finished : typeof value.trace === "string" && splitTrace(value.trace).closed;
      out.set(String(value.id), finished);
    } catch {
      // parseTraceFile reports malformed lines
    }
  }
  return out;
}

function groupBy(samples: readonly Sample[], key: (s: Sample) => string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = key(s);
    const list = out.get(k) ?? [];
    list.push(s);
    out.set(k, list);
  }
  return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "-");

function row(label: string, s: RatioStats): string {
  return `${label.padEnd(34)} ${String(s.traces).padStart(6)} ${f2(s.median).padStart(7)} ${f2(s.q1).padStart(7)} ${f2(s.q3).padStart(7)} ${f2(s.pooled).padStart(7)}`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      files: { type: "string", default: DEFAULT_FILES },
      tokenizer: { type: "string" },
      threshold: { type: "string", default: "0.2" },
      "chunk-tokens": { type: "string", default: "8" },
      "min-traces": { type: "string", default: "20" },
      "by-model": { type: "boolean", default: false },
    },
  });
  const tokenizer: TokenizerChoice = parseTokenizerOption(values.tokenizer);
  const counter = loadTokenCounter(tokenizer, (m) => process.stderr.write(m + "\n"));
  const threshold = Number(values.threshold);
  const chunk = Number(values["chunk-tokens"]);
  const minTraces = Number(values["min-traces"]);
  const samples: Sample[] = [];
  const counts = new Map<string, Counts>();
  for (const file of values.files.split(",").filter((f) => f !== "")) {
    const text = readFileSync(file, "utf8");
    const parsed = parseTraceFile(text);
    const finished = finishedById(text);
    const name = file.split("/").pop() ?? file;
    const c: Counts = { traces: 0, braked: 0, brakedCapped: 0 };
    counts.set(name, c);
    for (const record of parsed.records) {
      const prepared: PreparedTrace = prepareTrace(record, counter);
      const outcome = replayPrepared(prepared, { threshold, maxThinkingTokens: Infinity }, chunk);
      c.traces++;
      const r = outcome.replay;
      if (!isBraked(r) || r.keptTokens <= 0) continue;
      c.braked++;
      if (finished.get(record.id) !== true) {
        c.brakedCapped++;
        continue;
      }
      samples.push({
        file: name,
        model: record.model,
        rule: r.reason === "overthinking" ? (r.evidence?.rule ?? "none") : (r.reason ?? "none"),
        format: prepared.format,
        kept: r.keptTokens,
        remaining: r.thinkingTokens - r.keptTokens,
      });
    }
  }

  process.stdout.write(`tokens: ${counter.name}; τ1 = ${threshold}; ratio = thinking the unbraked model wrote after the brake point / thinking kept (finished traces the brake braked)\n`);
  for (const [name, c] of counts) process.stdout.write(`${name}: ${c.traces} traces, ${c.braked} braked, ${c.brakedCapped} of them capped (left out)\n`);
  process.stdout.write(`\n${"group".padEnd(34)} ${"traces".padStart(6)} ${"median".padStart(7)} ${"q1".padStart(7)} ${"q3".padStart(7)} ${"pooled".padStart(7)}\n`);
  const sections: [string, (s: Sample) => string][] = [
    ["rule", (s) => s.rule],
    ["format", (s) => s.format],
    ["rule×format", (s) => `${s.rule}×${s.format}`],
    ["file", (s) => s.file],
  ];
  if (values["by-model"]) sections.push(["model", (s) => s.model]);
  process.stdout.write(row("all", ratioStats(samples)) + "\n");
  const table: string[] = [];
  const entry = (label: string, s: RatioStats): string => `    ${JSON.stringify(label)}: { traces: ${s.traces}, median: ${f2(s.median)}, q1: ${f2(s.q1)}, q3: ${f2(s.q3)} },`;
  for (const [section, key] of sections) {
    const groups = groupBy(samples, key);
    for (const [label, list] of groups) {
      const s = ratioStats(list);
      process.stdout.write(row(`${section} ${label}`, s) + "\n");
      if (section !== "file" && section !== "model" && s.traces >= minTraces) table.push(`  ${section} ${entry(label, s).trim()}`);
    }
  }
  const all = ratioStats(samples);
  process.stdout.write(`\nfor SAVING_RATIOS (cells with ≥ ${minTraces} traces):\n  all: { traces: ${all.traces}, median: ${f2(all.median)}, q1: ${f2(all.q1)}, q3: ${f2(all.q3)} }\n${table.join("\n")}\n`);
}

main();
