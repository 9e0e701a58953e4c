/** `self-braking analyze TRACES.jsonl`: SBT overthinking metrics with gold answers. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import type { AnalyzedTrace } from "../../core/metrics/analyze";
import { analyzeGroups } from "../../core/metrics/analyze";
import { sbtMetrics } from "../../core/metrics/sbt";
import { prepareTrace } from "../../core/replay/run";
import { renderTable } from "../../core/replay/table";
import { checkOutputPath } from "../outputPath";
import { parseThresholdList } from "../replayOptions";
import { loadTokenCounter, parseTokenizerOption } from "../replayTokenizer";
import { readTraces } from "../traceInput";
import { goldOf } from "../../core/replay/gold";

const USAGE = `usage: self-braking analyze TRACES.jsonl [options]

Per trace, with its gold answer: the SBT steps (blank-line separated), FS (the first step that
states the gold answer), TS, η = FS/TS, κ (marker tokens / thinking tokens) and the Overthink
Score β·κ + (1−β)·(1−η), β = 0.1; then their distribution and the share of traces that
overthink at each threshold.

options:
  --thresholds LIST   τ1 values for the overthinking shares (default 0.2,0.3,0.4)
  --json FILE         write the groups as JSON
  --per-trace FILE    one JSON line of metrics per trace
  --tokenizer NAME    qwen, approx or auto (default)`;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { thresholds: { type: "string" }, json: { type: "string" }, "per-trace": { type: "string" }, tokenizer: { type: "string" } },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliUsageError("expected exactly one TRACES.jsonl file");
  const thresholds = parseThresholdList(values.thresholds ?? "0.2,0.3,0.4", "--thresholds");
  checkOutputPath("--json", values.json);
  checkOutputPath("--per-trace", values["per-trace"]);
  const tokenizer = parseTokenizerOption(values.tokenizer);
  const counter = loadTokenCounter(tokenizer, (m) => io.stderr.write(`self-braking analyze: ${m}\n`));
  const traces: AnalyzedTrace[] = readTraces(file, io).map((record) => {
    const t = prepareTrace(record, counter);
    const m = sbtMetrics({ thinking: t.thinking, thinkingTokens: t.tokenEnds.length, gold: goldOf(record), format: t.format, problem: record.problem });
    return { id: record.id, model: record.model, dataset: record.dataset, ts: m.ts, fs: m.fs, eta: m.eta, kappa: m.kappa, score: m.score, markerCount: m.markerCount, thinkingTokens: m.thinkingTokens };
  });
  const groups = analyzeGroups(traces, thresholds);
  const header = ["group", "n", "with FS", "steps", "η", "κ", "score", "median", ...thresholds.map((t) => `OS≥${t}`)];
  const rows = groups.map((g) => [
    g.group,
    String(g.traces),
    String(g.withAnswer),
    g.meanSteps.toFixed(1),
    g.meanEta.toFixed(3),
    g.meanKappa.toFixed(4),
    g.meanScore.toFixed(3),
    g.medianScore.toFixed(3),
    ...g.overthinking.map((o) => pct(o.share)),
  ]);
  io.stdout.write(`${traces.length} traces · tokens: ${counter.name}\n${renderTable(header, rows)}\n`);
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify({ file, tokenizer: counter.name, groups }, null, 2) + "\n");
  if (values["per-trace"] !== undefined) writeFileSync(values["per-trace"], traces.map((t) => JSON.stringify(t)).join("\n") + "\n");
  return 0;
}

export const analyzeCommand: CliCommand = { name: "analyze", summary: "SBT overthinking metrics (FS, TS, η, κ, score) of traces with gold answers", usage: USAGE, run };
