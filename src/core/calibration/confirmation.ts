/**
 * The live confirmation of a recommendation: a few calibration problems answered again with the
 * recommended setting on, compared with what replay predicted for the same problems. Replay
 * cannot see what the model writes after the braking cue; this run does.
 * Pure: the sample is chosen from the report, the live answers come in, the summary goes out.
 */
import { DEFAULT_SIGNAL_CONFIG } from "../brake/config";
import { isBraked, keptTokens } from "../replay/outcome";
import { prepareTrace, replayPrepared } from "../replay/run";
import type { TokenCounter } from "../tokens/counter";
import type { CalibrationReport, Recommendation } from "./calibrate";
import { recordedSignals } from "./calibrate";
import type { CalibrationRecording } from "./recording";
import { mean } from "./stats";

/** Problems answered live by default: a minute or two on a laptop GPU. */
export const DEFAULT_CONFIRM_PROBLEMS = 6;

export interface ConfirmationCase {
  readonly recording: CalibrationRecording;
  /** What replay predicted at the recommended setting. */
  readonly predicted: { readonly correct: boolean; readonly thinkingTokens: number; readonly braked: boolean };
}

/**
 * Up to `n` problems for the live run: those the recommended setting brakes in replay first (that is
 * where replay may be wrong about the answer), then unbraked ones, each group in recording order.
 */
export function confirmationSample(report: CalibrationReport, recordings: readonly CalibrationRecording[], counter: TokenCounter, n = DEFAULT_CONFIRM_PROBLEMS): ConfirmationCase[] {
  const rec = report.recommended;
  if (rec === null || n <= 0) return [];
  const signal = rec.settings["selfBraking.brake.signal"] === "endOfThinking";
  const cases = recordings.map((recording): ConfirmationCase => {
    const outcome = replayPrepared(
      prepareTrace(recording, counter),
      {
        mode: "adaptive",
        threshold: rec.threshold,
        maxThinkingTokens: report.method.maxThinkingTokens,
        ...(signal ? { signal: { policy: "endOfThinking", maxMargin: DEFAULT_SIGNAL_CONFIG.maxMargin } } : {}),
      },
      1,
      signal ? recordedSignals(recording) : undefined,
    );
    return { recording, predicted: { correct: outcome.brakedCorrect, thinkingTokens: keptTokens(outcome), braked: isBraked(outcome.replay) } };
  });
  return [...cases.filter((c) => c.predicted.braked), ...cases.filter((c) => !c.predicted.braked)].slice(0, n);
}

/** One problem answered live with the recommended setting. */
export interface LiveOutcome {
  readonly id: string;
  readonly correct: boolean;
  /** Thinking tokens as the engine counted them. */
  readonly thinkingTokens: number;
  readonly braked: boolean;
  readonly seconds: number;
}

export interface ConfirmationSummary {
  readonly setting: string;
  readonly problems: number;
  readonly liveCorrect: number;
  readonly predictedCorrect: number;
  /** Right without the brake (the recordings) on the same problems. */
  readonly noBrakeCorrect: number;
  /** Problems where live and replay agree on right or wrong. */
  readonly agreeing: number;
  readonly liveBraked: number;
  readonly predictedBraked: number;
  readonly liveMeanThinkingTokens: number;
  /** The recordings' engine counts where present (replay's counter otherwise). */
  readonly noBrakeMeanThinkingTokens: number;
  readonly liveMeanSeconds: number;
  /** The recordings' wall time on the same problems; null where a recording has none. */
  readonly noBrakeMeanSeconds: number | null;
  readonly verdict: string;
}

/** Compares the live answers with replay's prediction and with the unbraked recordings, problem by problem. */
export function summariseConfirmation(recommendation: Recommendation, cases: readonly ConfirmationCase[], live: readonly LiveOutcome[]): ConfirmationSummary {
  const byId = new Map(live.map((l) => [l.id, l]));
  const paired = cases.flatMap((c) => {
    const l = byId.get(c.recording.id);
    return l === undefined ? [] : [{ c, l }];
  });
  const count = (f: (p: (typeof paired)[number]) => boolean): number => paired.filter(f).length;
  const liveCorrect = count((p) => p.l.correct);
  const noBrakeCorrect = count((p) => p.c.recording.correct);
  const seconds = paired.map((p) => p.c.recording.seconds);
  const noBrakeMeanSeconds = seconds.every((s): s is number => typeof s === "number") && seconds.length > 0 ? mean(seconds) : null;
  const lost = count((p) => p.c.recording.correct && !p.l.correct);
  const agreeing = count((p) => p.l.correct === p.c.predicted.correct);
  const summary = {
    setting: recommendation.label,
    problems: paired.length,
    liveCorrect,
    predictedCorrect: count((p) => p.c.predicted.correct),
    noBrakeCorrect,
    agreeing,
    liveBraked: count((p) => p.l.braked),
    predictedBraked: count((p) => p.c.predicted.braked),
    liveMeanThinkingTokens: mean(paired.map((p) => p.l.thinkingTokens)),
    noBrakeMeanThinkingTokens: mean(paired.map((p) => p.c.recording.engineThinkingTokens ?? p.c.predicted.thinkingTokens)),
    liveMeanSeconds: mean(paired.map((p) => p.l.seconds)),
    noBrakeMeanSeconds,
  };
  const verdict =
    paired.length === 0
      ? "No problem was answered live."
      : lost === 0
        ? `Confirmed: live with ${recommendation.label}, ${liveCorrect} of ${paired.length} right (${noBrakeCorrect} without the brake); replay's prediction agreed on ${agreeing} of ${paired.length}.`
        : `Check this setting: live it lost ${lost} of the ${noBrakeCorrect} problems right without the brake (replay agreed on ${agreeing} of ${paired.length}). Record more problems or raise the threshold.`;
  return { ...summary, verdict };
}

/** The confirmation as markdown lines (a section of the report). */
export function renderConfirmation(s: ConfirmationSummary): string {
  const secs = (v: number | null): string => (v === null ? "—" : `${v.toFixed(1)} s`);
  return [
    `## Live confirmation (${s.setting}, ${s.problems} problems)`,
    "",
    "| | right | braked | mean thinking tokens | mean time |",
    "| --- | --- | --- | --- | --- |",
    `| no brake (recorded) | ${s.noBrakeCorrect}/${s.problems} | — | ${s.noBrakeMeanThinkingTokens.toFixed(1)} | ${secs(s.noBrakeMeanSeconds)} |`,
    `| replay's prediction | ${s.predictedCorrect}/${s.problems} | ${s.predictedBraked} | — | — |`,
    `| live | ${s.liveCorrect}/${s.problems} | ${s.liveBraked} | ${s.liveMeanThinkingTokens.toFixed(1)} | ${secs(s.liveMeanSeconds)} |`,
    "",
    s.verdict,
    "",
  ].join("\n");
}
