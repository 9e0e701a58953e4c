/** `self-braking replay TRACES.jsonl`: stream recorded traces through the brake and measure it. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import type { BrakeConfigInput } from "../../core/brake/config";
import type { PreparedTrace } from "../../core/replay/run";
import { perTraceLine, prepareTrace, replayPrepared } from "../../core/replay/run";
import { summarize } from "../../core/replay/summary";
import { frontierSvg } from "../../core/replay/svg";
import type { SweepRow } from "../../core/replay/table";
import { formatSummaryTable, formatSweepTable } from "../../core/replay/table";
import { checkOutputPath } from "../outputPath";
import { parseNumberOption, parseThresholdList } from "../replayOptions";
import type { TokenizerChoice } from "../replayTokenizer";
import { loadTokenCounter, parseTokenizerOption } from "../replayTokenizer";
import { settingOption } from "../settingOptions";
import { SETTINGS } from "../../core/settings/registry";
import { readTraces } from "../traceInput";

const USAGE = `usage: self-braking replay TRACES.jsonl [options]

Streams each recorded trace's thinking through the brake detector (token by token, no
look-ahead, no gold answer) and reports accuracy, tokens saved, flips, the oracle and a fixed
budget at the same tokens, per model × dataset and overall.

options:
  --threshold X            τ1, the Overthink Score that arms the brake (default 0.2)
  --sweep LIST             comma-separated thresholds: the accuracy–tokens frontier (table + SVG);
                           the summary and --per-trace stay at --threshold
  --svg FILE               where the sweep's SVG goes (default sweep.svg)
  --json FILE              write the summary as JSON
  --per-trace FILE         one JSON line per trace: {"id","braked","brakeAt","answer","reason"}
  --mode MODE              adaptive (default), budget (needs --max-thinking-tokens) or off
  --max-thinking-tokens N  hard thinking budget, ${SETTINGS["brake.maxThinkingTokens"].minimum}–${SETTINGS["brake.maxThinkingTokens"].maximum} (default: none in replay)
  --min-thinking-tokens N  no adaptive brake before N thinking tokens (default 0)
  --chunk-tokens N         tokens per push into the detector (default 1; results do not depend on it)
  --tokenizer NAME         qwen (Qwen3 BPE), approx, or auto (qwen if installed; default)

Input lines: {"id","dataset","answer","trace","correct"[,"model","problem"]}. Bad lines (malformed
JSON, missing, empty or ill-typed fields, duplicate ids) are reported with their line number and
skipped. Output paths are checked before the replay starts.`;

interface ReplayArgs {
  readonly file: string;
  /** τ1 for the summary and --per-trace (--threshold). */
  readonly threshold: number;
  /** The sweep's thresholds (empty without --sweep). */
  readonly thresholds: readonly number[];
  readonly sweep: boolean;
  readonly svg: string;
  readonly json?: string;
  readonly perTrace?: string;
  readonly chunkTokens: number;
  readonly tokenizer: TokenizerChoice;
  readonly config: BrakeConfigInput;
}

function parse(args: readonly string[]): ReplayArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      threshold: { type: "string" },
      sweep: { type: "string" },
      svg: { type: "string" },
      json: { type: "string" },
      "per-trace": { type: "string" },
      mode: { type: "string" },
      "max-thinking-tokens": { type: "string" },
      "min-thinking-tokens": { type: "string" },
      "chunk-tokens": { type: "string" },
      tokenizer: { type: "string" },
    },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliUsageError("expected exactly one TRACES.jsonl file");
  const mode = settingOption("--mode", "brake.mode", values.mode);
  const tokenizer = parseTokenizerOption(values.tokenizer);
  const threshold = settingOption("--threshold", "brake.threshold", values.threshold);
  const thresholds = values.sweep === undefined ? [] : parseThresholdList(values.sweep);
  const maxTokens = values["max-thinking-tokens"] === undefined ? Infinity : settingOption("--max-thinking-tokens", "brake.maxThinkingTokens", values["max-thinking-tokens"]);
  if (mode === "budget" && maxTokens === Infinity) throw new CliUsageError("--mode budget needs --max-thinking-tokens N (the budget to cut at)");
  checkOutputPath("--per-trace", values["per-trace"]);
  checkOutputPath("--json", values.json);
  const svg = values.svg ?? "sweep.svg";
  if (values.sweep !== undefined) checkOutputPath("--svg", svg);
  return {
    file,
    threshold,
    thresholds,
    sweep: values.sweep !== undefined,
    svg,
    json: values.json,
    perTrace: values["per-trace"],
    chunkTokens: Math.round(parseNumberOption("--chunk-tokens", values["chunk-tokens"], 1, 1, 1e6)),
    tokenizer,
    config: {
      mode,
      maxThinkingTokens: maxTokens,
      minThinkingTokens: parseNumberOption("--min-thinking-tokens", values["min-thinking-tokens"], 0, 0, 1e9),
    },
  };
}

function replayAt(prepared: readonly PreparedTrace[], a: ReplayArgs, threshold: number) {
  const outcomes = prepared.map((t) => replayPrepared(t, { ...a.config, threshold }, a.chunkTokens));
  return { outcomes, groups: summarize(outcomes) };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const a = parse(args);
  const records = readTraces(a.file, io);
  const counter = loadTokenCounter(a.tokenizer, (m) => io.stderr.write(`self-braking replay: ${m}\n`));
  const prepared = records.map((r) => prepareTrace(r, counter));
  io.stdout.write(`${records.length} traces · tokens: ${counter.name}\n\n`);

  const first = a.threshold;
  const main = replayAt(prepared, a, first);
  io.stdout.write(`threshold τ1 = ${first} (brake at τ2 = τ1 + 0.05), mode ${a.config.mode}\n`);
  io.stdout.write(formatSummaryTable(main.groups) + "\n");
  if (a.perTrace !== undefined) writeFileSync(a.perTrace, main.outcomes.map(perTraceLine).join("\n") + "\n");

  let sweep: SweepRow[] | undefined;
  if (a.sweep) {
    sweep = a.thresholds.map((t) => {
      const overall = t === first ? main.groups[0] : replayAt(prepared, a, t).groups[0];
      if (overall === undefined) throw new Error("empty summary");
      return { threshold: t, overall };
    });
    io.stdout.write(`\nsweep (overall)\n${formatSweepTable(sweep)}\n`);
    writeFileSync(a.svg, frontierSvg(sweep, `Accuracy vs thinking tokens: ${a.file.split("/").pop() ?? a.file}`) + "\n");
    io.stdout.write(`frontier plot: ${a.svg}\n`);
  }
  if (a.json !== undefined) {
    const summary = { file: a.file, tokenizer: counter.name, threshold: first, config: a.config, groups: main.groups, sweep };
    writeFileSync(a.json, JSON.stringify(summary, (_k, v: unknown) => (v === Infinity ? null : v), 2) + "\n");
  }
  return 0;
}

export const replayCommand: CliCommand = { name: "replay", summary: "Replay recorded traces through the brake and measure it", usage: USAGE, run };
