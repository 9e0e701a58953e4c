/**
 * `self-braking bench --model PATH`: answers the same problems live under each variant (no
 * brake, the brake, with the end-of-thinking signal, with probes, a fixed budget at the brake's
 * mean thinking, and node-llama-cpp's own thought budget at the same number) and reports accuracy against no brake with a paired interval, thinking and answer tokens, time,
 * speed and what ended the thinking. The numbers are core/bench's; this file runs the engine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import type { BenchReport, BenchVariant, EndedBy, ProblemRun, VariantRuns } from "../../core/benchmark/report";
import { BENCH_VARIANTS, BUDGET_VARIANTS, benchReport, budgetFromBrake } from "../../core/benchmark/report";
import { benchChartSvg, renderBenchMarkdown } from "../../core/benchmark/render";
import type { CalibrationProblem } from "../../core/calibration/problems";
import { answerIsRight } from "../../core/calibration/recording";
import { formatDuration } from "../../core/format";
import { DEFAULT_BRAKE_CUE, SETTINGS } from "../../core/settings/registry";
import { ProblemSetError, calibrationAssetsDir, loadProblemSets } from "../../engine/calibration/problemSets";
import { EngineError } from "../../engine/common/errors";
import { loadSummaryParts } from "../../engine/common/loadSummary";
import type { AskRequest, GenerationResult, LoadConfig } from "../../engine/common/types";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { LOAD_OPTIONS, LOAD_OPTIONS_HELP, SAMPLING_OPTIONS, SERVER_OPTIONS, SERVER_OPTIONS_HELP, modelOrServerOptions, parseIntegerOption, samplingOptions } from "../loadOptions";
import { cliEngineClient, engineStartLines, modelLabel } from "../engineRun";
import { checkOutputPath } from "../outputPath";
import { settingLimits, settingOption } from "../settingOptions";

const USAGE = `usage: self-braking bench --model PATH | --server URL [options]

Answers the same problems live, with the same seed, under each variant, one variant after the
other, and compares each with no brake on the same problems:

  off      no brake
  brake    the adaptive brake at --threshold (or the setting a calibration recommended)
  signal   the brake, and the model's end-of-thinking signal may brake too
  probes   the brake, with trial-answer probes
  budget   a hard cut at B thinking tokens, then the cue and the end of thinking
           (B: the brake variant's mean thinking tokens, rounded, unless --budget is given)
  native   node-llama-cpp's own thought budget at the same B: the question is answered
           by node-llama-cpp's LlamaChat with budgets.thoughtTokens = B (the engine's
           brake off); needs a chat format with a thought segment node-llama-cpp knows

Reports accuracy and its difference from off (95 % paired bootstrap interval), thinking and
answer tokens (mean, median, 90th percentile), wall seconds (mean, total), tokens per second
and what ended the thinking, as markdown (default) or JSON, and an SVG chart of accuracy against
mean thinking tokens.

options:
  --model PATH          the .gguf file (required)
  --dataset NAME|FILE   gsm8k, cruxeval, both (default), or a JSONL file of
                        {"id", "question", "answer", "kind": "math"|"output"} lines
  --n N                 problems per set (default 40, all of the built-in sets)
  --variants LIST       which variants, comma-separated (default all; they run in the order
                        above whatever the list's order)
  --threshold T         the brake's threshold (${settingLimits("brake.threshold")})
  --calibration FILE    the JSON of \`self-braking calibrate --json\`: the brake variants use its
                        recommended threshold and signal policy (not with --threshold)
  --budget N            the budget and native variants' budget in thinking tokens (default: the
                        brake variant's mean, so brake must be among the variants)
  --max-thinking N      the hard budget the brake, signal and probes variants keep
                        (${settingLimits("brake.maxThinkingTokens")})
  --temperature T       sampling temperature (default 0: greedy)
  --seed N              sampling seed, the same for every request (default 1)
  --max-answer N        cap on each answer in tokens (${settingLimits("generation.maxAnswerTokens")})
  --json                print the report as JSON (every problem's numbers included)
  --svg FILE            write the chart to FILE
  --out DIR             write bench.md, bench.json and bench.svg into DIR (created if needed)
${LOAD_OPTIONS_HELP}
or, the model on a server (the brake runs here; probes and the end-of-thinking signal are off):
${SERVER_OPTIONS_HELP}

Ctrl-C cancels the running answer and reports what was measured so far (that answer is left
out; each variant's row covers the problems it answered, marked as stopped early) with exit
code 130. A second Ctrl-C quits at once. An engine error after some answers reports them the
same way, then the error, with exit code 1.

The off variant thinks until the model stops or the context is nearly full: on a model that
loops, --context bounds how long each of its answers takes.`;

/** What the bench reads of an answer (a GenerationResult has all of it). */
export interface BenchResult {
  readonly answer: string;
  readonly stopReason: GenerationResult["stopReason"];
  readonly brake: { readonly reason: NonNullable<GenerationResult["brake"]>["reason"] } | null;
  readonly tokens: Pick<GenerationResult["tokens"], "thinking" | "answer" | "discarded">;
  readonly timings: Pick<GenerationResult["timings"], "ttftMs" | "totalMs">;
}

export interface BenchAnswer {
  readonly result: BenchResult;
  readonly wallSeconds: number;
}

export interface BenchAnswerer {
  /** Loads the model before the first timed answer; says what it runs on (null: unknown). */
  prepare(): Promise<{ readonly model: string; readonly runsOn: string | null }>;
  /** Null when cancelled. */
  answer(request: AskRequest): Promise<BenchAnswer | null>;
  cancel(): void;
  dispose(): Promise<void>;
}

export interface BenchDeps {
  readonly assetsDir?: string;
  /** Instead of the engine (tests). */
  readonly answerer?: BenchAnswerer;
}

interface BrakeChoice {
  readonly threshold: number;
  readonly signal: "off" | "endOfThinking";
}

interface Args {
  readonly model: string;
  readonly dataset: string;
  readonly n: number;
  readonly variants: readonly BenchVariant[];
  readonly brake: BrakeChoice;
  readonly budget: number | null;
  readonly maxThinking: number;
  readonly temperature: number;
  readonly seed: number;
  readonly maxAnswerTokens: number;
  readonly json: boolean;
  readonly svg: string | undefined;
  readonly out: string | undefined;
  readonly load: LoadConfig;
  readonly stallTimeoutSeconds: number;
}

function parseVariants(raw: string | undefined): BenchVariant[] {
  if (raw === undefined) return [...BENCH_VARIANTS];
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(BENCH_VARIANTS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new CliUsageError(`--variants: unknown variant ${unknown.join(", ")} (choose from ${BENCH_VARIANTS.join(", ")})`);
  if (names.length === 0) throw new CliUsageError("--variants needs at least one variant");
  return BENCH_VARIANTS.filter((v) => names.includes(v));
}

/** The threshold and signal policy the `calibrate --json` output recommends. */
export function brakeFromCalibration(path: string): BrakeChoice {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliUsageError(`--calibration ${path}: ${error instanceof SyntaxError ? "not JSON (give the output of `self-braking calibrate --json`)" : "cannot be read"}`);
  }
  const report = (value as { report?: { recommended?: unknown } } | null)?.report;
  if (report === undefined || typeof report !== "object" || report === null || !("recommended" in report)) {
    throw new CliUsageError(`--calibration ${path}: no calibration report in it (give the output of \`self-braking calibrate --json\`)`);
  }
  const rec = report.recommended as { threshold?: unknown; settings?: Record<string, unknown> } | null;
  if (rec === null) throw new CliUsageError(`--calibration ${path}: the calibration recommends no setting; give --threshold instead`);
  const threshold = rec.threshold;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) throw new CliUsageError(`--calibration ${path}: the recommended threshold is missing or not between 0 and 1`);
  return { threshold, signal: rec.settings?.["selfBraking.brake.signal"] === "endOfThinking" ? "endOfThinking" : "off" };
}

function parse(args: readonly string[]): Args {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      model: { type: "string" },
      dataset: { type: "string" },
      n: { type: "string" },
      variants: { type: "string" },
      threshold: { type: "string" },
      calibration: { type: "string" },
      budget: { type: "string" },
      "max-thinking": { type: "string" },
      ...SAMPLING_OPTIONS,
      json: { type: "boolean", default: false },
      svg: { type: "string" },
      out: { type: "string" },
      ...LOAD_OPTIONS,
      ...SERVER_OPTIONS,
    },
  });
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${positionals[0]}`);
  const loading = modelOrServerOptions(values, process.env);
  if (values.threshold !== undefined && values.calibration !== undefined) throw new CliUsageError("give --threshold or --calibration, not both");
  const variants = parseVariants(values.variants);
  const budget = values.budget === undefined ? null : parseIntegerOption("--budget", values.budget, 0, 1, SETTINGS["brake.maxThinkingTokens"].maximum);
  if (budget === null && variants.some((v) => BUDGET_VARIANTS.includes(v)) && !variants.includes("brake")) {
    throw new CliUsageError("the budget and native variants cut at the brake variant's mean thinking: add brake to --variants, or give --budget N");
  }
  checkOutputPath("--svg", values.svg);
  if (values.out !== undefined && values.out.trim() === "") throw new CliUsageError("--out needs a folder");
  const sampling = samplingOptions(values);
  return {
    model: modelLabel(loading.load, loading.load.server ? "" : settingOption("--model", "model.path", values.model)),
    dataset: values.dataset ?? "both",
    n: parseIntegerOption("--n", values.n, 40, 1, 100_000),
    variants,
    brake: values.calibration !== undefined ? brakeFromCalibration(values.calibration) : { threshold: settingOption("--threshold", "brake.threshold", values.threshold), signal: "off" },
    budget,
    maxThinking: settingOption("--max-thinking", "brake.maxThinkingTokens", values["max-thinking"]),
    ...sampling,
    json: values.json === true,
    svg: values.svg,
    out: values.out,
    ...loading,
  };
}

/** What a variant asks the engine for: its brake options, and node-llama-cpp's thought budget for `native`. */
export type VariantAsk = Pick<AskRequest, "brake" | "nativeThoughtBudget">;

/** The engine options of a variant; `budget` is B for the budget variants. */
export function variantAsk(variant: BenchVariant, a: Pick<Args, "brake" | "maxThinking">, budget: number | null): VariantAsk {
  const base: AskRequest["brake"] = {
    mode: "adaptive",
    threshold: a.brake.threshold,
    maxThinkingTokens: a.maxThinking,
    cue: DEFAULT_BRAKE_CUE,
    probe: "off",
    signal: a.brake.signal,
  };
  const cutAt = (): number => {
    if (budget === null) throw new Error(`the ${variant} variant has no budget`);
    return budget;
  };
  switch (variant) {
    case "off":
      return { brake: { ...base, mode: "off", signal: "off" } };
    case "brake":
      return { brake: base };
    case "signal":
      return { brake: { ...base, signal: "endOfThinking" } };
    case "probes":
      return { brake: { ...base, probe: "onTransition" } };
    case "budget":
      return { brake: { ...base, mode: "budget", maxThinkingTokens: cutAt(), signal: "off" } };
    case "native":
      // node-llama-cpp's LlamaChat answers with budgets.thoughtTokens; the engine's brake is off.
      return { brake: { ...base, mode: "off", signal: "off" }, nativeThoughtBudget: cutAt() };
  }
}

export function variantSetting(variant: BenchVariant, ask: VariantAsk): string {
  const brake = ask.brake;
  const adaptive = `adaptive, threshold ${brake.threshold.toFixed(2)}${brake.signal === "endOfThinking" ? ", end-of-thinking signal" : ""}${brake.probe === "onTransition" ? ", probes" : ""}`;
  switch (variant) {
    case "off":
      return "no brake";
    case "brake":
    case "signal":
    case "probes":
      return adaptive;
    case "budget":
      return `cut at ${brake.maxThinkingTokens} thinking tokens, with the cue`;
    case "native":
      return `node-llama-cpp budgets.thoughtTokens = ${ask.nativeThoughtBudget ?? "?"}`;
  }
}

/** One answer as the bench counts it. */
export function problemRun(problem: { readonly id: string; readonly answer: string; readonly kind: CalibrationProblem["kind"] }, answered: BenchAnswer): ProblemRun {
  const r = answered.result;
  const endedBy: EndedBy = r.brake?.reason ?? "none";
  return {
    problemId: problem.id,
    right: answerIsRight(r.answer, problem.answer, problem.kind),
    thinkingTokens: r.tokens.thinking,
    answerTokens: r.tokens.answer,
    generatedTokens: r.tokens.thinking + r.tokens.answer + r.tokens.discarded,
    generationSeconds: Math.max(0, r.timings.totalMs - r.timings.ttftMs) / 1000,
    wallSeconds: answered.wallSeconds,
    endedBy,
    stopReason: r.stopReason,
  };
}

/** The engine's answerer: one `ask` per problem through a client of its own. */
function engineAnswerer(a: Args, io: CliIo): BenchAnswerer {
  const client = cliEngineClient(a);
  const onEvent = engineStartLines(io);
  let current: { cancel(): void } | null = null;
  let cancelled = false;
  return {
    async prepare() {
      const report = await client.load(onEvent);
      return { model: report.modelName || basename(a.load.modelPath), runsOn: loadSummaryParts(report).join(" · ") };
    },
    async answer(request) {
      if (cancelled) return null;
      const started = performance.now();
      const handle = client.ask(request);
      current = handle;
      try {
        const result = await handle.result;
        if (result.stopReason === "cancelled" || cancelled) return null;
        return { result, wallSeconds: (performance.now() - started) / 1000 };
      } catch (error) {
        if (error instanceof EngineError && error.code === "cancelled") return null;
        throw error;
      } finally {
        current = null;
      }
    },
    cancel() {
      cancelled = true;
      current?.cancel();
    },
    dispose: () => client.dispose(),
  };
}

function progressLine(variant: BenchVariant, done: number, total: number, run: ProblemRun, etaSeconds: number | null): string {
  const ended = run.endedBy === "none" ? "" : `, braked (${run.endedBy})`;
  const eta = etaSeconds === null ? "" : `, about ${formatDuration(etaSeconds)} left`;
  return `[${variant} ${done}/${total}] ${run.problemId}: ${run.thinkingTokens} thinking tokens, ${run.right ? "right" : "wrong"}${ended}${eta}\n`;
}

export async function runBench(args: readonly string[], io: CliIo, deps: BenchDeps = {}): Promise<number> {
  const a = parse(args);
  if (!a.load.server && !existsSync(a.model)) throw new CliUsageError(`the model file ${a.model} does not exist`);
  let sets;
  try {
    sets = loadProblemSets(a.dataset, a.n, () => deps.assetsDir ?? calibrationAssetsDir());
  } catch (error) {
    if (error instanceof ProblemSetError) throw new CliUsageError(`--dataset: ${error.message}`);
    throw error;
  }
  const several = sets.length > 1;
  const problems = sets.flatMap((s) => s.problems.map((p) => ({ ...p, id: several ? `${s.key}/${p.id}` : p.id })));
  io.stderr.write(`Problems: ${sets.map((s) => `${s.key} (${s.problems.length})`).join(", ")}; variants: ${a.variants.join(", ")}.\n`);

  const answerer = deps.answerer ?? engineAnswerer(a, io);
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr.write("\nStopping: the running answer is cancelled; the report covers what was measured so far.\n");
    answerer.cancel();
  };
  process.on("SIGINT", onSigint);

  const measured: VariantRuns[] = [];
  let budget: { tokens: number; source: "brake-mean" | "given" } | null = a.budget === null ? null : { tokens: a.budget, source: "given" };
  let model = basename(a.model);
  let runsOn: string | null = null;
  const total = problems.length * a.variants.length;
  let done = 0;
  let seconds = 0;
  let failure: unknown = null;
  try {
    const prepared = await answerer.prepare();
    model = prepared.model;
    runsOn = prepared.runsOn;
    for (const variant of a.variants) {
      if (interrupted) break;
      if (BUDGET_VARIANTS.includes(variant) && budget === null) {
        const brakeRuns = measured.find((m) => m.variant === "brake")?.runs ?? [];
        if (brakeRuns.length === 0) break; // stopped before the brake answered anything
        budget = { tokens: budgetFromBrake(brakeRuns), source: "brake-mean" };
        io.stderr.write(`Fixed budget: ${budget.tokens} thinking tokens (the brake variant's mean).\n`);
      }
      const ask = variantAsk(variant, a, budget?.tokens ?? null);
      const runs: ProblemRun[] = [];
      measured.push({ variant, setting: variantSetting(variant, ask), runs });
      for (const problem of problems) {
        const request: AskRequest = {
          question: problem.question,
          history: [],
          ...ask,
          generation: { temperature: a.temperature, maxAnswerTokens: a.maxAnswerTokens, thinking: true, seed: a.seed },
        };
        const answered = await answerer.answer(request);
        if (answered === null || interrupted) break;
        const run = problemRun(problem, answered);
        runs.push(run);
        done++;
        seconds += run.wallSeconds;
        io.stderr.write(progressLine(variant, runs.length, problems.length, run, done < total ? (seconds / done) * (total - done) : null));
      }
    }
  } catch (error) {
    // An engine failure after answers were measured still reports them; before any, it is the error alone.
    if (done === 0) throw error;
    failure = error;
  } finally {
    process.off("SIGINT", onSigint);
    await answerer.dispose();
  }

  const report = benchReport({
    model,
    runsOn,
    problems: problems.length,
    sets: sets.map((s) => s.key),
    generation: { temperature: a.temperature, seed: a.seed, maxAnswerTokens: a.maxAnswerTokens },
    budget: a.variants.some((v) => BUDGET_VARIANTS.includes(v)) ? budget : null,
    variants: measured.filter((m) => m.runs.length > 0),
    stopped: interrupted || failure !== null,
  });
  if (interrupted || failure !== null) io.stderr.write(`Stopped after ${done} of ${total} answers.\n`);
  writeOutputs(report, a, io);
  if (failure !== null) {
    io.stderr.write(`self-braking bench: ${failure instanceof Error ? failure.message : String(failure)}\n`);
    return 1;
  }
  return interrupted ? 130 : 0;
}

function writeOutputs(report: BenchReport, a: Pick<Args, "json" | "svg" | "out">, io: CliIo): void {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = renderBenchMarkdown(report);
  io.stdout.write(a.json ? json : markdown);
  if (a.svg !== undefined) {
    writeFileSync(a.svg, `${benchChartSvg(report)}\n`);
    io.stderr.write(`Chart: ${a.svg}\n`);
  }
  if (a.out !== undefined) {
    mkdirSync(a.out, { recursive: true });
    writeFileSync(join(a.out, "bench.md"), markdown);
    writeFileSync(join(a.out, "bench.json"), json);
    writeFileSync(join(a.out, "bench.svg"), `${benchChartSvg(report)}\n`);
    io.stderr.write(`Wrote bench.md, bench.json and bench.svg in ${a.out}.\n`);
  }
}

export const benchCommand: CliCommand = {
  name: "bench",
  summary: "compare no brake, the brake, the signal, probes and fixed budgets live on the same problems",
  usage: USAGE,
  run: (args, io) => runBench(args, io),
};
