/**
 * Calibration: replays unbraked recordings of one model through the detector across a grid of
 * thresholds (no generation), compares each setting with no brake on the same problems, and
 * recommends the setting with the largest saving whose accuracy loss is within the tolerance.
 * Where recordings carry the model's end-of-thinking readings (with their margins), the same
 * thresholds are replayed a second time with the signal policy (`brake.signal` `endOfThinking`),
 * the readings given to the detector at their step boundaries as the engine gives them.
 * Pure: recordings and a token counter in, a JSON-serialisable report out.
 */
import { DEFAULT_SIGNAL_CONFIG } from "../brake/config";
import type { EndOfThinkingSignal } from "../brake/types";
import type { TraceOutcome } from "../replay/outcome";
import { isBraked, keptTokens, rightUnderBudget, sameMeanBudget } from "../replay/outcome";
import type { PreparedTrace } from "../replay/run";
import { prepareTrace, replayPrepared } from "../replay/run";
import type { TokenCounter } from "../tokens/counter";
import type { CalibrationRecording } from "./recording";
import type { PairedDifference } from "./stats";
import { mean, median, pairedDifference, quantile } from "./stats";
import type { CalibratedRatio } from "../brake/savingEstimate";

export const DEFAULT_THRESHOLDS: readonly number[] = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6];

export interface CalibrationOptions {
  readonly thresholds?: readonly number[];
  /**
   * Accepted accuracy loss in percentage points. Null (the default): no loss beyond noise, i.e.
   * the 95 % interval of the difference against no brake reaches 0 or above.
   */
  readonly tolerancePoints?: number | null;
  /** The thinking budget the adaptive settings keep (selfBraking.brake.maxThinkingTokens). */
  readonly maxThinkingTokens?: number;
  readonly resamples?: number;
  readonly seed?: number;
}

/** `signal`: adaptive with the end-of-thinking signal policy on (replayed from recorded readings). */
export type RowKind = "off" | "adaptive" | "signal" | "budget";

/** One setting's measurement: a row of the table and a point of the frontier. */
export interface SettingRow {
  readonly label: string;
  readonly kind: RowKind;
  readonly threshold: number | null;
  readonly budgetTokens: number | null;
  readonly problems: number;
  readonly correct: number;
  /** 0–1. */
  readonly accuracy: number;
  readonly meanThinkingTokens: number;
  readonly medianThinkingTokens: number;
  /** Share of the unbraked thinking tokens not spent (0–1). */
  readonly saving: number;
  /** Share of problems where the brake (or the budget) cut the thinking. */
  readonly brakeRate: number;
  /**
   * Estimated mean seconds per problem: each recording's wall time less the thinking tokens not
   * written at that recording's own seconds per thinking token. Null where recordings carry no
   * time. An estimate (the tokens cut were never generated); the live confirmation measures it.
   */
  readonly meanSeconds: number | null;
  readonly vsNoBrake: PairedDifference;
  /** Within the tolerance (see {@link CalibrationOptions.tolerancePoints}). */
  readonly withinTolerance: boolean;
}

export interface FrontierPoint {
  readonly label: string;
  readonly kind: RowKind;
  readonly meanThinkingTokens: number;
  readonly meanSeconds: number | null;
  readonly accuracy: number;
}

export interface Recommendation {
  readonly label: string;
  readonly threshold: number;
  /** The settings to use, as settings.json keys and values. */
  /** `selfBraking.brake.signal` only where the signal policy was replayed (then it says which of the two was chosen). */
  readonly settings: {
    readonly "selfBraking.brake.mode": "adaptive";
    readonly "selfBraking.brake.threshold": number;
    readonly "selfBraking.brake.signal"?: "off" | "endOfThinking";
  };
  readonly why: string;
}

export interface CalibrationReport {
  readonly problems: number;
  readonly models: readonly string[];
  readonly datasets: readonly string[];
  readonly tokenizer: string;
  readonly method: {
    readonly interval: string;
    readonly resamples: number;
    readonly seed: number;
    readonly tolerancePoints: number | null;
    readonly rule: string;
    readonly maxThinkingTokens: number;
  };
  readonly noBrake: SettingRow;
  readonly settings: readonly SettingRow[];
  /** The same thresholds with the end-of-thinking signal policy (empty where no recording carries readings with margins). */
  readonly signalSettings: readonly SettingRow[];
  /** Fixed thinking budgets (hard cuts) matched to the recommended setting (or, without one, the largest saving). */
  readonly budgets: readonly SettingRow[];
  readonly recommended: Recommendation | null;
  readonly signals: {
    readonly recordingsWithSignals: number;
    /** Whether the signal rows were replayed (some recording carries readings with margins). */
    readonly replayed: boolean;
    /** The margin (nats) at or under which the signal policy brakes, as replayed. */
    readonly maxMargin: number;
    readonly note: string;
  };
  /** The same numbers as the table, in table order. */
  readonly frontier: readonly FrontierPoint[];
  /**
   * Thinking the unbraked model went on to write per thinking token kept, over the problems the
   * recommended setting braked (null without a recommendation or with fewer than
   * {@link MIN_RATIO_PROBLEMS} braked problems): what the saving estimate rests on for this model.
   */
  readonly savingRatio: CalibratedRatio | null;
}

/** Braked problems needed before the ratio measured on them replaces the recorded traces' one. */
export const MIN_RATIO_PROBLEMS = 5;

interface Measured {
  readonly correct: readonly boolean[];
  readonly kept: readonly number[];
  readonly braked: readonly boolean[];
}

/**
 * The recorded readings as the detector takes them. The top probability is rebuilt from the
 * margin so that the detector computes the recorded margin again (not capped at 1: the margin
 * is what the policy compares); readings without a margin
 * (an older recording) cannot be replayed and are left out.
 */
export function recordedSignals(r: CalibrationRecording): EndOfThinkingSignal[] {
  const out: EndOfThinkingSignal[] = [];
  for (const s of r.signals ?? []) {
    if (s.margin === undefined) continue;
    out.push({ charOffset: s.offset, probability: s.probability, topProbability: Math.max(s.probability, 1e-12) * Math.exp(s.margin) });
  }
  return out;
}

const RULE_DEFAULT = "largest saving whose accuracy difference against no brake has a 95 % interval reaching 0 or above (no loss beyond noise)";
const ruleWithTolerance = (t: number): string => `largest saving whose accuracy loss against no brake is at most ${t} percentage points`;

export function calibrate(recordings: readonly CalibrationRecording[], counter: TokenCounter, options: CalibrationOptions = {}): CalibrationReport {
  const thresholds = [...new Set(options.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  const tolerance = options.tolerancePoints ?? null;
  const resamples = options.resamples ?? 4000;
  const seed = options.seed ?? 1;
  const maxThinkingTokens = options.maxThinkingTokens ?? 8192;
  const prepared: PreparedTrace[] = recordings.map((r) => prepareTrace(r, counter));
  const baseCorrect = recordings.map((r) => r.correct);
  const totals = prepared.map((p) => p.tokenEnds.length);
  const totalTokens = totals.reduce((s, t) => s + t, 0);
  const timed = recordings.every((r) => typeof r.seconds === "number" && r.seconds > 0);
  const secondsFor = (kept: readonly number[]): number | null =>
    !timed ? null : mean(recordings.map((r, i) => {
      const total = totals[i] as number;
      const seconds = r.seconds as number;
      return total === 0 ? seconds : seconds - ((total - (kept[i] as number)) * seconds) / (total + answerTokensGuess(r, counter));
    }));

  const within = (d: PairedDifference): boolean => (tolerance === null ? d.high >= 0 : -d.points <= tolerance + 1e-9);
  const row = (label: string, kind: RowKind, threshold: number | null, budgetTokens: number | null, m: Measured): SettingRow => {
    const vsNoBrake = pairedDifference(baseCorrect, m.correct, { resamples, seed });
    const keptSum = m.kept.reduce((s, t) => s + t, 0);
    const correct = m.correct.filter(Boolean).length;
    return {
      label,
      kind,
      threshold,
      budgetTokens,
      problems: m.correct.length,
      correct,
      accuracy: m.correct.length === 0 ? 0 : correct / m.correct.length,
      meanThinkingTokens: mean(m.kept),
      medianThinkingTokens: median(m.kept),
      saving: totalTokens > 0 ? (totalTokens - keptSum) / totalTokens : 0,
      brakeRate: m.braked.length === 0 ? 0 : m.braked.filter(Boolean).length / m.braked.length,
      meanSeconds: secondsFor(m.kept),
      vsNoBrake,
      withinTolerance: within(vsNoBrake),
    };
  };

  const noBrake = row("no brake", "off", null, null, { correct: baseCorrect, kept: totals, braked: totals.map(() => false) });
  let anyOutcomes: TraceOutcome[] = [];
  const outcomesOf = new Map<string, readonly TraceOutcome[]>();
  const settings = thresholds.map((threshold) => {
    const outcomes = prepared.map((p) => replayPrepared(p, { mode: "adaptive", threshold, maxThinkingTokens }));
    anyOutcomes = outcomes;
    outcomesOf.set(`threshold ${threshold.toFixed(2)}`, outcomes);
    return row(`threshold ${threshold.toFixed(2)}`, "adaptive", threshold, null, {
      correct: outcomes.map((o) => o.brakedCorrect),
      kept: outcomes.map(keptTokens),
      braked: outcomes.map((o) => isBraked(o.replay)),
    });
  });

  // the same thresholds with the signal policy, where readings were recorded
  const signals = recordings.map(recordedSignals);
  const replayed = signals.some((r) => r.length > 0);
  const maxMargin = DEFAULT_SIGNAL_CONFIG.maxMargin;
  const signalSettings = !replayed
    ? []
    : thresholds.map((threshold) => {
        const outcomes = prepared.map((p, i) => replayPrepared(p, { mode: "adaptive", threshold, maxThinkingTokens, signal: { policy: "endOfThinking", maxMargin } }, 1, signals[i]));
        outcomesOf.set(`threshold ${threshold.toFixed(2)} + signal`, outcomes);
        return row(`threshold ${threshold.toFixed(2)} + signal`, "signal", threshold, null, {
          correct: outcomes.map((o) => o.brakedCorrect),
          kept: outcomes.map(keptTokens),
          braked: outcomes.map((o) => isBraked(o.replay)),
        });
      });

  const candidates = [...settings, ...signalSettings].filter((s) => s.withinTolerance && s.saving > 0);
  // ties: the better accuracy, then text alone (it needs no signal), then the higher threshold
  const better = (s: SettingRow, b: SettingRow): boolean =>
    s.saving > b.saving ||
    (s.saving === b.saving && (s.accuracy > b.accuracy || (s.accuracy === b.accuracy && (s.kind !== b.kind ? s.kind === "adaptive" : (s.threshold ?? 0) > (b.threshold ?? 0)))));
  const best = candidates.reduce<SettingRow | null>((b, s) => (b === null || better(s, b) ? s : b), null);
  const rule = tolerance === null ? RULE_DEFAULT : ruleWithTolerance(tolerance);
  const recommended: Recommendation | null =
    best === null || best.threshold === null
      ? null
      : {
          label: best.label,
          threshold: best.threshold,
          settings: {
            "selfBraking.brake.mode": "adaptive",
            "selfBraking.brake.threshold": best.threshold,
            ...(replayed ? { "selfBraking.brake.signal": best.kind === "signal" ? "endOfThinking" : "off" } : {}),
          },
          why: `Chosen as the ${rule}: it saves ${(100 * best.saving).toFixed(1)} % of the thinking tokens, accuracy ${signed(best.vsNoBrake.points)} points (95 % interval ${signed(best.vsNoBrake.low)} to ${signed(best.vsNoBrake.high)}).`,
        };

  // fixed budgets: a hard cut at the matched setting's mean thinking tokens, and the cut whose mean equals it
  const matched = best ?? [...settings, ...signalSettings].reduce<SettingRow | null>((b, s) => (b === null || s.saving > b.saving ? s : b), null);
  const budgets: SettingRow[] = [];
  if (matched !== null && matched.saving > 0 && anyOutcomes.length > 0) {
    const cuts = [Math.round(matched.meanThinkingTokens), sameMeanBudget(totals, matched.meanThinkingTokens)];
    for (const [i, budget] of [...new Set(cuts)].entries()) {
      const what = i === 0 ? `budget ${budget} (= mean of ${matched.label})` : `budget ${budget} (same mean as ${matched.label})`;
      budgets.push(
        row(what, "budget", null, budget, {
          correct: anyOutcomes.map((o) => rightUnderBudget(o, budget)),
          kept: totals.map((t) => Math.min(t, budget)),
          braked: totals.map((t) => t > budget),
        }),
      );
    }
  }

  const withSignals = recordings.filter((r) => (r.signals?.length ?? 0) > 0).length;
  const table = [noBrake, ...settings, ...signalSettings, ...budgets];
  return {
    problems: recordings.length,
    models: [...new Set(recordings.map((r) => r.model))].sort(),
    datasets: [...new Set(recordings.map((r) => r.dataset))].sort(),
    tokenizer: counter.name,
    method: {
      interval: `paired bootstrap over problems (${resamples} resamples, seed ${seed}), 95 % percentile interval of the accuracy difference in percentage points`,
      resamples,
      seed,
      tolerancePoints: tolerance,
      rule,
      maxThinkingTokens,
    },
    noBrake,
    settings,
    signalSettings,
    budgets,
    recommended,
    signals: {
      recordingsWithSignals: withSignals,
      replayed,
      maxMargin,
      note: replayed
        ? `The "+ signal" rows replay the same thresholds with the end-of-thinking policy (brake at a step boundary where \`</think>\` is within ${maxMargin} nat of the most likely token), from the readings recorded on ${signals.filter((r) => r.length > 0).length} of ${recordings.length} problems (the others replay as text alone).`
        : withSignals > 0
          ? "The recorded readings carry no margin: the end-of-thinking signal policy was not replayed, only the text detector is calibrated."
          : "No recording carries end-of-thinking readings: only the text detector is calibrated.",
    },
    frontier: table.map((r) => ({ label: r.label, kind: r.kind, meanThinkingTokens: r.meanThinkingTokens, meanSeconds: r.meanSeconds, accuracy: r.accuracy })),
    savingRatio: recommended === null ? null : savingRatioOf(outcomesOf.get(recommended.label) ?? [], recordings),
  };
}

/**
 * Remaining / kept thinking over the problems a setting braked, as the saving estimate uses it.
 * Recordings whose thinking never closed (cut at a limit) are left out: what remained is unknown.
 */
export function savingRatioOf(outcomes: readonly TraceOutcome[], recordings: readonly CalibrationRecording[]): CalibratedRatio | null {
  const ratios: number[] = [];
  for (const [i, o] of outcomes.entries()) {
    if (!isBraked(o.replay) || o.replay.keptTokens <= 0 || !recordings[i]?.trace.includes("</think>")) continue;
    ratios.push((o.replay.thinkingTokens - o.replay.keptTokens) / o.replay.keptTokens);
  }
  if (ratios.length < MIN_RATIO_PROBLEMS) return null;
  const round = (v: number): number => Math.round(v * 100) / 100;
  const models = [...new Set(recordings.map((r) => r.model))].sort();
  return { traces: ratios.length, median: round(median(ratios)), q1: round(quantile(ratios, 0.25)), q3: round(quantile(ratios, 0.75)), model: models.join(", ") || "this model" };
}

/** The answer's tokens (after the thinking), counted with the replay's counter: the time a recording spent answering. */
function answerTokensGuess(r: CalibrationRecording, counter: TokenCounter): number {
  const close = r.trace.indexOf("</think>");
  return counter.tokenEnds(close >= 0 ? r.trace.slice(close + "</think>".length) : "").length;
}

function signed(points: number): string {
  return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${Math.abs(points).toFixed(1)}`;
}

/** The cells of one table row, as the markdown shows them (tests compare them with the JSON numbers). */
export function rowCells(r: SettingRow): string[] {
  const d = r.vsNoBrake;
  return [
    r.label,
    `${(100 * r.accuracy).toFixed(1)} % (${r.correct}/${r.problems})`,
    r.kind === "off" ? "—" : `${signed(d.points)} [${signed(d.low)}, ${signed(d.high)}]`,
    r.meanThinkingTokens.toFixed(1),
    r.medianThinkingTokens.toFixed(1),
    `${(100 * r.saving).toFixed(1)} %`,
    `${(100 * r.brakeRate).toFixed(1)} %`,
    r.meanSeconds === null ? "—" : r.meanSeconds.toFixed(1),
    r.kind === "off" ? "—" : r.withinTolerance ? "yes" : "no",
  ];
}

export const TABLE_HEADER = ["setting", "accuracy", "Δ vs no brake, pp [95 % CI]", "mean thinking", "median thinking", "saving", "cut", "est. seconds", "within tolerance"];

/** The report as markdown: what was measured, the table (same numbers as `frontier`), the recommendation and its settings. */
export function renderMarkdown(report: CalibrationReport): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const rows = [report.noBrake, ...report.settings, ...report.signalSettings, ...report.budgets];
  const out = [
    "# Brake calibration",
    "",
    `${report.problems} problems (${report.datasets.join(", ") || "none"}), model ${report.models.join(", ") || "unknown"}, recorded once with braking off and replayed through the detector (tokens: ${report.tokenizer}).`,
    "",
    line(TABLE_HEADER),
    line(TABLE_HEADER.map(() => "---")),
    ...rows.map((r) => line(rowCells(r))),
    "",
    `Interval: ${report.method.interval}. Rule: ${report.method.rule}.`,
    "",
  ];
  if (report.recommended === null) {
    out.push("**No recommendation**: no threshold saves thinking within the tolerance on these problems. Keep your current settings, or record more problems (`--n`).");
  } else {
    out.push(`**Recommended: ${report.recommended.label}.** ${report.recommended.why}`, "", "Settings to use:", "", "```json", JSON.stringify(report.recommended.settings, null, 2), "```");
  }
  const r = report.savingRatio;
  out.push(
    "",
    r === null
      ? `Saving estimate: fewer than ${MIN_RATIO_PROBLEMS} problems braked at the recommended setting, so the estimate keeps resting on the recorded traces.`
      : `Saving estimate for this model: after a brake the unbraked model went on to write ${r.median} thinking tokens per token kept (median of ${r.traces} braked problems; middle half ${r.q1}–${r.q3}).`,
  );
  out.push("", `End-of-thinking signal: recorded on ${report.signals.recordingsWithSignals} of ${report.problems} problems. ${report.signals.note}`, "");
  return out.join("\n");
}
