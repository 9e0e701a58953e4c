/**
 * Offline SBT metrics of one trace with a known answer (Zhao et al., Self-Braking Tuning):
 * steps are the blank-line separated pieces of the thinking; FS is the step where the correct
 * answer first appears, TS the number of steps, η = FS / TS, κ = marker tokens / thinking
 * tokens, Overthink Score = β·κ + (1−β)·(1−η).
 */
import type { AnswerFormat } from "../answers/format";
import { createMarkerCounter, SBT_MARKERS } from "../brake/markers";
import { splitSteps } from "../brake/steps";
import { oracleCut } from "../replay/oracle";

export interface SbtStep {
  readonly text: string;
  /** Offset of the step's first character in the thinking. */
  readonly start: number;
  /** Offset just past the step's "\n\n" separator (clamped to the thinking's length). */
  readonly end: number;
}

export interface SbtMetrics {
  /** Non-empty steps. */
  readonly steps: readonly SbtStep[];
  readonly ts: number;
  /** 1-based index of the foundation solution step (null: gold never stated). */
  readonly fs: number | null;
  readonly eta: number | null;
  readonly kappa: number;
  readonly score: number | null;
  readonly markerCount: number;
  readonly thinkingTokens: number;
}

/** Non-empty blank-line steps with offsets (empty pieces between runs of blank lines are skipped). */
function sbtSteps(thinking: string): SbtStep[] {
  const out: SbtStep[] = [];
  let start = 0;
  for (const { text, end } of splitSteps(thinking)) {
    if (text.trim().length > 0) out.push({ text, start, end });
    start = end;
  }
  return out;
}

export interface SbtInput {
  readonly thinking: string;
  readonly thinkingTokens: number;
  /** The gold answer (for code: the final code); null when there is none (the foundation step is then unknown). */
  readonly gold: string | null;
  readonly format: AnswerFormat;
  readonly problem: string | null;
  readonly markers?: readonly string[];
  readonly beta?: number;
}

export function sbtMetrics(input: SbtInput): SbtMetrics {
  const beta = input.beta ?? 0.1;
  const steps = sbtSteps(input.thinking);
  // the first non-empty step ending at or after the oracle's cut is where the gold was first stated
  const cut = input.gold === null ? null : oracleCut(input.thinking, input.gold, input.format, input.problem);
  const index = cut === null ? -1 : steps.findIndex((s) => s.end >= cut);
  const counter = createMarkerCounter(input.markers ?? SBT_MARKERS);
  const found = counter.count(input.thinking);
  const kappa = input.thinkingTokens > 0 ? Math.min(1, found.markerWords / input.thinkingTokens) : 0;
  const ts = steps.length;
  const fs = index < 0 ? null : index + 1;
  const eta = fs === null || ts === 0 ? null : fs / ts;
  return {
    steps,
    ts,
    fs,
    eta,
    kappa,
    score: eta === null ? null : beta * kappa + (1 - beta) * (1 - eta),
    markerCount: found.markers,
    thinkingTokens: input.thinkingTokens,
  };
}

/** Overthink Score had the thinking stopped after step `k` (1-based), with κ measured up to there. */
export function scoreAtStep(fs: number, k: number, kappa: number, beta = 0.1): number {
  return beta * kappa + (1 - beta) * (1 - fs / Math.max(fs, k));
}
