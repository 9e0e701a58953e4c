/**
 * The numbers of `self-braking bench`: the same problems answered once under each variant (no
 * brake, the brake, the brake with the end-of-thinking signal, with probes, a fixed budget with
 * the cue, node-llama-cpp's own thought budget at the same number), summed up per variant and compared with no brake on the
 * same problems. Pure: per-problem results come in, the report goes out; the CLI runs the engine.
 */
import type { PairedDifference } from "../calibration/stats";
import { mean, median, pairedDifference, quantile } from "../calibration/stats";
import type { BrakeReasonKind, StopReason } from "../vocabulary";
import { BRAKE_REASONS } from "../vocabulary";

/** Every variant, in the order they run: `budget` and `native` take their budget from `brake`, so they come after it. */
export const BENCH_VARIANTS = ["off", "brake", "signal", "probes", "budget", "native"] as const;
export type BenchVariant = (typeof BENCH_VARIANTS)[number];

/** The variants that cut the thinking at a fixed budget (by default the `brake` variant's mean thinking). */
export const BUDGET_VARIANTS: readonly BenchVariant[] = ["budget", "native"];

/** The bootstrap behind every paired interval (the calibration's, so both read the same). */
export const BENCH_BOOTSTRAP = { resamples: 4000, seed: 1 } as const;

/** What ended the thinking of one answer: a brake reason, or `none` (the model closed it itself). */
export type EndedBy = BrakeReasonKind | "none";
export const ENDED_BY: readonly EndedBy[] = [...BRAKE_REASONS, "none"];

/** One problem answered under one variant. */
export interface ProblemRun {
  readonly problemId: string;
  readonly right: boolean;
  /** Thinking tokens kept (the engine's count; for `native`, node-llama-cpp's count of the thought segment). */
  readonly thinkingTokens: number;
  readonly answerTokens: number;
  /** Tokens the model sampled: thinking, answer, and any dropped past a brake point. */
  readonly generatedTokens: number;
  /** From the first sampled token to the end of the answer: brake injections, probes and signal reads included. */
  readonly generationSeconds: number;
  /** The whole answer as the caller waited for it (the prompt included, the model already loaded). */
  readonly wallSeconds: number;
  readonly endedBy: EndedBy;
  readonly stopReason: StopReason;
}

/** One variant's answers, in problem order. */
export interface VariantRuns {
  readonly variant: BenchVariant;
  /** What the variant asked the engine for, in words. */
  readonly setting: string;
  readonly runs: readonly ProblemRun[];
}

export interface Spread {
  readonly mean: number;
  readonly median: number;
  /** 90th percentile, linear interpolation between order statistics ({@link quantile}). */
  readonly p90: number;
  readonly total: number;
}

export interface VariantSummary {
  readonly variant: BenchVariant;
  readonly setting: string;
  readonly problems: number;
  readonly correct: number;
  /** 0–1. */
  readonly accuracy: number;
  /**
   * This variant − `off`, in percentage points, on the problems both answered (`pairs`), with the
   * 95 % paired bootstrap interval. Null for `off` itself and when `off` was not run.
   */
  readonly vsOff: (PairedDifference & { readonly pairs: number }) | null;
  readonly thinkingTokens: Spread;
  readonly answerTokens: Spread;
  readonly wallSeconds: { readonly mean: number; readonly total: number };
  /** Σ generated tokens and Σ generation seconds over the problems: tokensPerSecond is their ratio. */
  readonly generatedTokens: number;
  readonly generationSeconds: number;
  readonly tokensPerSecond: number;
  /** Answers per reason their thinking ended (only reasons that occurred, in vocabulary order, `none` last). */
  readonly endedBy: Readonly<Partial<Record<EndedBy, number>>>;
  /** Answers per stop reason (`answer-cap` shows answers cut by the cap). */
  readonly stopReasons: Readonly<Partial<Record<StopReason, number>>>;
  readonly runs: readonly ProblemRun[];
}

export interface BenchInput {
  readonly model: string;
  /** What the model ran on (backend, devices, layers, context, threads), when known. */
  readonly runsOn: string | null;
  /** The problems asked of every variant, and the sets they came from. */
  readonly problems: number;
  readonly sets: readonly string[];
  readonly generation: { readonly temperature: number; readonly seed: number; readonly maxAnswerTokens: number };
  /** The `budget`/`native` budget, and where it came from. */
  readonly budget: { readonly tokens: number; readonly source: "brake-mean" | "given" } | null;
  readonly variants: readonly VariantRuns[];
  /** Stopped before every variant answered every problem (Ctrl-C). */
  readonly stopped: boolean;
}

export interface BenchReport extends Omit<BenchInput, "variants"> {
  readonly complete: boolean;
  readonly method: { readonly interval: string; readonly resamples: number; readonly seed: number; readonly tokensPerSecond: string; readonly order: string };
  readonly variants: readonly VariantSummary[];
}

export function spread(values: readonly number[]): Spread {
  return { mean: mean(values), median: median(values), p90: quantile(values, 0.9), total: values.reduce((s, v) => s + v, 0) };
}

function counted<K extends string>(keys: readonly K[], values: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const key of keys) {
    const n = values.filter((v) => v === key).length;
    if (n > 0) out[key] = n;
  }
  return out;
}

const STOP_ORDER: readonly StopReason[] = ["eos", "answer-cap", "context-full", "cancelled"];

/** One variant's numbers; `off` (when given) is the base of the paired difference. */
export function summarizeVariant(v: VariantRuns, off: VariantRuns | null): VariantSummary {
  const runs = v.runs;
  const correct = runs.filter((r) => r.right).length;
  let vsOff: VariantSummary["vsOff"] = null;
  if (off !== null && v.variant !== "off") {
    const mine = new Map(runs.map((r) => [r.problemId, r.right]));
    const paired = off.runs.filter((r) => mine.has(r.problemId));
    const d = pairedDifference(
      paired.map((r) => r.right),
      paired.map((r) => mine.get(r.problemId) === true),
      BENCH_BOOTSTRAP,
    );
    vsOff = { ...d, pairs: paired.length };
  }
  const generatedTokens = runs.reduce((s, r) => s + r.generatedTokens, 0);
  const generationSeconds = runs.reduce((s, r) => s + r.generationSeconds, 0);
  const wall = runs.map((r) => r.wallSeconds);
  return {
    variant: v.variant,
    setting: v.setting,
    problems: runs.length,
    correct,
    accuracy: runs.length === 0 ? 0 : correct / runs.length,
    vsOff,
    thinkingTokens: spread(runs.map((r) => r.thinkingTokens)),
    answerTokens: spread(runs.map((r) => r.answerTokens)),
    wallSeconds: { mean: mean(wall), total: wall.reduce((s, w) => s + w, 0) },
    generatedTokens,
    generationSeconds,
    tokensPerSecond: generationSeconds > 0 ? generatedTokens / generationSeconds : 0,
    endedBy: counted(ENDED_BY, runs.map((r) => r.endedBy)),
    stopReasons: counted(STOP_ORDER, runs.map((r) => r.stopReason)),
    runs,
  };
}

/** The fixed budget matched to the brake: its mean thinking tokens, rounded (at least 1). */
export function budgetFromBrake(brake: readonly ProblemRun[]): number {
  return Math.max(1, Math.round(mean(brake.map((r) => r.thinkingTokens))));
}

export function benchReport(input: BenchInput): BenchReport {
  const off = input.variants.find((v) => v.variant === "off") ?? null;
  const variants = input.variants.map((v) => summarizeVariant(v, off));
  return {
    ...input,
    complete: !input.stopped && variants.every((v) => v.problems === input.problems),
    method: {
      interval: "95 % percentile paired bootstrap over the problems both variants answered",
      resamples: BENCH_BOOTSTRAP.resamples,
      seed: BENCH_BOOTSTRAP.seed,
      tokensPerSecond: "tokens the model sampled (thinking, answer, dropped past a brake) ÷ seconds from each answer's first token to its end, summed over the problems",
      order: "variant after variant, each over every problem, the same seed for every request",
    },
    variants,
  };
}
