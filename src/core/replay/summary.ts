/** Aggregates replayed traces per model × dataset, per model and overall. */
import type { TraceOutcome } from "./outcome";
import { isBraked, keptTokens, rightUnderBudget, sameMeanBudget } from "./outcome";

export interface BudgetComparison {
  /** The fixed thinking budget (tokens) whose mean kept tokens equal the brake's. */
  readonly budgetTokens: number;
  readonly accuracy: number;
}

export interface GroupSummary {
  /** "ALL", a model, or "model · dataset". */
  readonly group: string;
  readonly traces: number;
  readonly baselineAccuracy: number;
  readonly brakedAccuracy: number;
  /** Braked − baseline accuracy, in percentage points. */
  readonly deltaPoints: number;
  readonly thinkingTokensBefore: number;
  readonly thinkingTokensAfter: number;
  /** Share of thinking tokens saved (0–1). */
  readonly tokensSaved: number;
  /** Share of thinking characters saved (what the judge measures). */
  readonly charsSaved: number;
  readonly brakeRate: number;
  readonly harmfulFlips: number;
  readonly beneficialFlips: number;
  readonly prematureBrakes: number;
  readonly oracle: { readonly tokensSaved: number; readonly charsSaved: number; readonly accuracy: number };
  /** Tokens saved by the brake ÷ tokens saved by the oracle. */
  readonly oracleCaptured: number;
  readonly budget: BudgetComparison;
}

/** The fixed budget that keeps as many tokens on average as the brake did, and its accuracy. */
function fixedBudgetAt(outcomes: readonly TraceOutcome[], meanKept: number): BudgetComparison {
  const n = outcomes.length;
  if (n === 0) return { budgetTokens: 0, accuracy: 0 };
  const budget = sameMeanBudget(outcomes.map((o) => o.replay.thinkingTokens), meanKept);
  return { budgetTokens: budget, accuracy: outcomes.filter((o) => rightUnderBudget(o, budget)).length / n };
}

function summarizeGroup(group: string, outcomes: readonly TraceOutcome[]): GroupSummary {
  const n = Math.max(1, outcomes.length);
  const sum = (f: (o: TraceOutcome) => number): number => outcomes.reduce((s, o) => s + f(o), 0);
  const before = sum((o) => o.replay.thinkingTokens);
  const after = sum(keptTokens);
  const charsBefore = sum((o) => o.replay.thinkingChars);
  const charsAfter = sum((o) => (isBraked(o.replay) ? (o.replay.brakeAt ?? o.replay.thinkingChars) : o.replay.thinkingChars));
  const oracleAfter = sum((o) => o.oracleTokens);
  const oracleCharsAfter = sum((o) => o.oracleChars);
  const base = sum((o) => (o.baselineCorrect ? 1 : 0)) / n;
  const braked = sum((o) => (o.brakedCorrect ? 1 : 0)) / n;
  const saved = before > 0 ? (before - after) / before : 0;
  const oracleSaved = before > 0 ? (before - oracleAfter) / before : 0;
  return {
    group,
    traces: outcomes.length,
    baselineAccuracy: base,
    brakedAccuracy: braked,
    deltaPoints: 100 * (braked - base),
    thinkingTokensBefore: before,
    thinkingTokensAfter: after,
    tokensSaved: saved,
    charsSaved: charsBefore > 0 ? (charsBefore - charsAfter) / charsBefore : 0,
    brakeRate: sum((o) => (isBraked(o.replay) ? 1 : 0)) / n,
    harmfulFlips: sum((o) => (o.baselineCorrect && !o.brakedCorrect ? 1 : 0)),
    beneficialFlips: sum((o) => (!o.baselineCorrect && o.brakedCorrect ? 1 : 0)),
    prematureBrakes: sum((o) => (o.premature ? 1 : 0)),
    oracle: {
      tokensSaved: oracleSaved,
      charsSaved: charsBefore > 0 ? (charsBefore - oracleCharsAfter) / charsBefore : 0,
      accuracy: sum((o) => (o.oracleCorrect ? 1 : 0)) / n,
    },
    oracleCaptured: oracleSaved > 0 ? saved / oracleSaved : 0,
    budget: fixedBudgetAt(outcomes, after / n),
  };
}

/** Overall first, then per model, then per model × dataset (sorted by name). */
export function summarize(outcomes: readonly TraceOutcome[]): GroupSummary[] {
  const byModel = new Map<string, TraceOutcome[]>();
  const byPair = new Map<string, TraceOutcome[]>();
  const add = (m: Map<string, TraceOutcome[]>, key: string, o: TraceOutcome): void => {
    const list = m.get(key);
    if (list) list.push(o);
    else m.set(key, [o]);
  };
  for (const o of outcomes) {
    add(byModel, o.model, o);
    add(byPair, `${o.model} · ${o.dataset}`, o);
  }
  const sorted = (m: Map<string, TraceOutcome[]>): GroupSummary[] =>
    [...m.keys()].sort().map((k) => summarizeGroup(k, m.get(k) ?? []));
  return [summarizeGroup("ALL", outcomes), ...sorted(byModel), ...sorted(byPair)];
}
