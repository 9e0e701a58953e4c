/** Scoring one replayed trace against its gold answer (replay only; the detector never sees gold). */
import { answersEquivalent } from "../answers/equivalence";
import { codePointOffset } from "../codePoints";
import type { AnswerFormat } from "../answers/format";
import { splitSteps } from "../brake/steps";
import { finalCodeEnd, goldOf } from "./gold";
import { lastStatedAnswers, oracleCut } from "./oracle";
import type { TraceRecord } from "./record";
import type { ThinkingReplay } from "./replayTrace";
import { tokensBefore } from "./replayTrace";

export interface TraceOutcome {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly replay: ThinkingReplay;
  /** `replay.brakeAt` in code points, as `--per-trace` writes it (see codePoints.ts). */
  readonly brakeAtCodePoints: number | null;
  readonly baselineCorrect: boolean;
  /** Right after braking: the anchored answer equals gold (unbraked traces keep `correct`). */
  readonly brakedCorrect: boolean;
  /** Braked before the gold answer had appeared in the thinking. */
  readonly premature: boolean;
  /** Thinking tokens the oracle keeps (all of them when gold never appears). */
  readonly oracleTokens: number;
  readonly oracleChars: number;
  /** Right under the oracle (gold stated → right; otherwise `correct`). */
  readonly oracleCorrect: boolean;
  /** For fixed-budget comparisons: at each step end (in tokens), the last answer stated so far, and whether it is right. */
  readonly budgetPoints: readonly { readonly tokens: number; readonly correct: boolean }[];
}

/**
 * Whether a braked trace counts as braked: something was actually cut. A brake at the very end of
 * the recorded thinking (the model closed it there itself, or the input was cut exactly there)
 * changes nothing and is reported as no brake.
 */
export function isBraked(replay: ThinkingReplay): boolean {
  return replay.braked && replay.brakeAt !== null && replay.brakeAt < replay.thinkingChars;
}

/** Thinking tokens a trace keeps: up to its brake, or all of them. */
export function keptTokens(o: TraceOutcome): number {
  return isBraked(o.replay) ? o.replay.keptTokens : o.replay.thinkingTokens;
}

/** Whether a trace is right when cut at `budget` tokens: the last answer stated in steps that ended within it (uncut traces keep their result). */
export function rightUnderBudget(o: TraceOutcome, budget: number): boolean {
  if (o.replay.thinkingTokens <= budget) return o.baselineCorrect;
  let correct = false;
  for (const p of o.budgetPoints) {
    if (p.tokens > budget) break;
    correct = p.correct;
  }
  return correct;
}

/** The fixed budget B (whole tokens) with mean(min(thinking, B)) equal to `meanKept`: the budget that keeps as much as a brake did (bisection). */
export function sameMeanBudget(thinkingTokens: readonly number[], meanKept: number): number {
  if (thinkingTokens.length === 0) return 0;
  const meanAt = (b: number): number => thinkingTokens.reduce((s, t) => s + Math.min(t, b), 0) / thinkingTokens.length;
  let lo = 0;
  let hi = Math.max(...thinkingTokens);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanAt(mid) < meanKept) lo = mid;
    else hi = mid;
  }
  return Math.round(hi);
}

export function scoreTrace(
  record: TraceRecord,
  thinking: string,
  tokenEnds: readonly number[],
  format: AnswerFormat,
  replay: ThinkingReplay,
): TraceOutcome {
  const gold = goldOf(record);
  const braked = isBraked(replay);
  const oracle = gold === null ? null : oracleCut(thinking, gold, format, record.problem);
  const oracleChars = oracle ?? thinking.length;
  const premature = braked && oracle !== null && (replay.brakeAt ?? 0) < oracle;
  let brakedCorrect: boolean;
  let budgetPoints: { tokens: number; correct: boolean }[];
  if (format === "code") {
    // a braked code trace is right when it was right and its final code was already written out in full
    const written = gold === null ? null : finalCodeEnd(thinking, gold);
    const writtenBy = (offset: number): boolean => record.correct && written !== null && written <= offset;
    brakedCorrect = braked ? writtenBy(replay.brakeAt ?? 0) : record.correct;
    budgetPoints = splitSteps(thinking).map((step) => ({ tokens: tokensBefore(tokenEnds, step.end), correct: writtenBy(step.end) }));
  } else {
    brakedCorrect = braked ? replay.answer !== null && gold !== null && answersEquivalent(replay.answer, gold, format) : record.correct;
    budgetPoints = lastStatedAnswers(thinking, format).map((p) => ({
      tokens: tokensBefore(tokenEnds, p.end),
      correct: p.answer !== null && gold !== null && answersEquivalent(p.answer, gold, format),
    }));
  }
  return {
    id: record.id,
    model: record.model,
    dataset: record.dataset,
    replay,
    brakeAtCodePoints: replay.brakeAt === null ? null : codePointOffset(thinking, replay.brakeAt),
    baselineCorrect: record.correct,
    brakedCorrect,
    premature,
    oracleTokens: oracle === null ? tokenEnds.length : tokensBefore(tokenEnds, oracle),
    oracleChars,
    oracleCorrect: oracle !== null ? true : record.correct,
    budgetPoints,
  };
}
