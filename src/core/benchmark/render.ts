/**
 * The benchmark report as people read it: a markdown table (one row per variant, every cell a
 * number of the JSON report rounded as its header says) and the accuracy-against-thinking chart
 * (one point per variant, at the table's mean thinking tokens and accuracy).
 */
import type { ChartPoint } from "../chart/frontierSvg";
import { frontierSvg } from "../chart/frontierSvg";
import type { BenchReport, BenchVariant, VariantSummary } from "./report";
import { ENDED_BY } from "./report";

/** What each variant is, for the notes under the table. */
const VARIANT_NOTES: Readonly<Record<BenchVariant, string>> = {
  off: "no brake: the model thinks until it stops (or the context is nearly full).",
  brake: "the adaptive brake at the chosen threshold (and signal policy, from a calibration).",
  signal: "the brake, and the model's own end-of-thinking signal may brake at a step boundary.",
  probes: "the brake, with trial-answer probes at transition words.",
  budget: "a hard cut at the fixed budget, then the braking cue and the end of thinking.",
  native:
    "node-llama-cpp's own thought budget at the same number: its LlamaChat answers with `budgets.thoughtTokens`, the engine's brake off; its thinking tokens are node-llama-cpp's count of the thought segment, which leaves out the thinking markers the engine counts.",
};

export function signedPoints(v: number): string {
  const s = v.toFixed(1);
  return v > 0 || (v === 0 && !s.startsWith("-")) ? `+${s}` : s;
}

const tok = (v: number): string => v.toFixed(1);

export function endedByText(s: Pick<VariantSummary, "endedBy">): string {
  return ENDED_BY.flatMap((k) => (s.endedBy[k] === undefined ? [] : [`${k} ${s.endedBy[k]}`])).join(", ") || "—";
}

/** The table's cells of one variant, in header order. */
export function variantCells(s: VariantSummary): string[] {
  return [
    s.variant,
    s.setting,
    `${(100 * s.accuracy).toFixed(1)} % (${s.correct}/${s.problems})`,
    s.vsOff === null ? "—" : `${signedPoints(s.vsOff.points)} [${signedPoints(s.vsOff.low)}, ${signedPoints(s.vsOff.high)}]`,
    tok(s.thinkingTokens.mean),
    tok(s.thinkingTokens.median),
    tok(s.thinkingTokens.p90),
    tok(s.answerTokens.mean),
    tok(s.answerTokens.median),
    tok(s.answerTokens.p90),
    s.wallSeconds.mean.toFixed(2),
    s.wallSeconds.total.toFixed(1),
    s.tokensPerSecond.toFixed(1),
    endedByText(s),
  ];
}

export const TABLE_HEADER = [
  "variant",
  "setting",
  "accuracy",
  "vs off, points [95 % CI]",
  "thinking mean",
  "thinking median",
  "thinking p90",
  "answer mean",
  "answer median",
  "answer p90",
  "wall s mean",
  "wall s total",
  "tokens/s",
  "thinking ended by",
];

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderBenchMarkdown(report: BenchReport): string {
  const out: string[] = [`# Benchmark: ${report.model}`, ""];
  const g = report.generation;
  out.push(
    `${report.problems} problem${report.problems === 1 ? "" : "s"} (${report.sets.join(", ")}), asked of every variant with the same seed (${g.seed}), temperature ${g.temperature}, answers capped at ${g.maxAnswerTokens} tokens.` +
      (report.runsOn === null ? "" : ` Ran on: ${report.runsOn}.`),
    "",
  );
  if (!report.complete) {
    const done = report.variants.map((v) => `${v.variant} ${v.problems}/${report.problems}`).join(", ");
    out.push(`**Stopped early** (${done}): each row covers the problems it answered, and its difference from off only the problems both answered.`, "");
  }
  out.push(`| ${TABLE_HEADER.join(" | ")} |`, `|${TABLE_HEADER.map((_, i) => (i < 2 ? "---" : i === TABLE_HEADER.length - 1 ? "---" : "---:")).join("|")}|`);
  for (const v of report.variants) out.push(`| ${variantCells(v).map(cell).join(" | ")} |`);
  out.push("");
  out.push(`Thinking and answer in tokens; p90 is the 90th percentile. The interval is a ${report.method.interval} (${report.method.resamples} resamples, seed ${report.method.seed}). Tokens/s: ${report.method.tokensPerSecond}. Order: ${report.method.order}.`, "");
  if (report.budget !== null) {
    const from = report.budget.source === "brake-mean" ? "the brake variant's mean thinking tokens, rounded" : "given with --budget";
    out.push(`Fixed budget: ${report.budget.tokens} thinking tokens (${from}).`, "");
  }
  for (const v of report.variants) out.push(`- **${v.variant}**: ${VARIANT_NOTES[v.variant]}`);
  out.push("");
  return out.join("\n");
}

/** One chart point per variant: x the table's mean thinking tokens, y its accuracy. */
export function benchChartPoints(report: BenchReport): ChartPoint[] {
  return report.variants
    .filter((v) => v.problems > 0)
    .map((v) => ({ label: `${v.variant} (${v.setting})`, series: v.variant, x: v.thinkingTokens.mean, accuracy: v.accuracy }));
}

export function benchChartSvg(report: BenchReport): string {
  return frontierSvg(benchChartPoints(report), {
    title: `Accuracy against thinking (${report.problems} problems, ${report.model})${report.complete ? "" : " — stopped early"}`,
    xLabel: "mean thinking tokens",
  });
}
