/**
 * A whole calibration, as the CLI and the editor run it: record what is missing (braking off,
 * resumable), replay every recording across the thresholds, then answer a few problems live with
 * the recommended setting to confirm it. Progress (with a time-left estimate) is reported after
 * every problem; cancelling keeps what is recorded.
 */
import type { CalibrationOptions, CalibrationReport } from "../../core/calibration/calibrate";
import { calibrate } from "../../core/calibration/calibrate";
import type { ConfirmationSummary, LiveOutcome } from "../../core/calibration/confirmation";
import { confirmationSample, summariseConfirmation } from "../../core/calibration/confirmation";
import { answerIsRight, makeRecording } from "../../core/calibration/recording";
import type { TokenCounter } from "../../core/tokens/counter";
import type { AskRequest } from "../common/types";
import type { Answerer } from "./liveAnswer";
import { withBrake } from "./liveAnswer";
import type { ProblemSet } from "./problemSets";
import { RecordingStore } from "./recordingStore";

export type CalibrationProgress =
  | {
      readonly phase: "recording" | "confirming";
      /** Problems finished in this phase of this run, and how many it has. */
      readonly done: number;
      readonly total: number;
      readonly problemId: string;
      readonly thinkingTokens: number;
      readonly right: boolean;
      /** Seconds left in this phase at the pace so far; null before the first problem. */
      readonly etaSeconds: number | null;
    }
  | { readonly phase: "starting"; readonly total: number; readonly alreadyRecorded: number; readonly folder: string; readonly toConfirm: number };

export interface CalibrationRunInput {
  /** Where the recordings are cached under `recordingsRoot` (modelKey of a file, serverModelCacheKey of a server's model). */
  readonly cacheKey: string;
  readonly sets: readonly ProblemSet[];
  readonly recordingsRoot: string;
  readonly answerer: Answerer;
  /** The recording request (braking off): see recordingRequest. */
  readonly request: Omit<AskRequest, "question">;
  readonly counter: TokenCounter;
  readonly options: CalibrationOptions;
  /** Problems answered live with the recommendation (0: no confirmation). */
  readonly confirm: number;
  readonly onProgress?: (progress: CalibrationProgress) => void;
}

export interface CalibrationRunResult {
  /** `cancelled`: stopped while recording (what was recorded is kept; no report). */
  readonly status: "done" | "cancelled";
  readonly folder: string;
  readonly total: number;
  readonly recorded: number;
  readonly report: CalibrationReport | null;
  /** Null without a recommendation, with `confirm` 0, or when the confirmation was cancelled. */
  readonly confirmation: ConfirmationSummary | null;
  readonly confirmationCancelled: boolean;
}

function eta(started: number, done: number, total: number): number | null {
  if (done === 0) return null;
  return (((Date.now() - started) / 1000) / done) * (total - done);
}

export async function runCalibration(input: CalibrationRunInput): Promise<CalibrationRunResult> {
  const store = new RecordingStore(input.recordingsRoot, input.cacheKey, input.sets);
  const pending = store.pending();
  const progress = input.onProgress ?? (() => undefined);
  progress({ phase: "starting", total: store.total, alreadyRecorded: store.total - pending.length, folder: store.folder, toConfirm: input.confirm });

  const started = Date.now();
  for (const [i, { problem, set }] of pending.entries()) {
    const answered = await input.answerer.answer({ ...input.request, question: problem.question });
    if (answered === null) {
      return { status: "cancelled", folder: store.folder, total: store.total, recorded: store.recordings().length, report: null, confirmation: null, confirmationCancelled: false };
    }
    const recording = makeRecording(problem, answered.live);
    store.add(set, recording);
    progress({ phase: "recording", done: i + 1, total: pending.length, problemId: problem.id, thinkingTokens: answered.live.thinkingTokens, right: recording.correct, etaSeconds: eta(started, i + 1, pending.length) });
  }

  const recordings = store.recordings();
  const report = calibrate(recordings, input.counter, input.options);
  const base = { status: "done" as const, folder: store.folder, total: store.total, recorded: recordings.length, report };
  const rec = report.recommended;
  if (rec === null || input.confirm <= 0) return { ...base, confirmation: null, confirmationCancelled: false };

  const sample = confirmationSample(report, recordings, input.counter, input.confirm);
  const request = withBrake(input.request, {
    mode: "adaptive",
    threshold: rec.threshold,
    maxThinkingTokens: report.method.maxThinkingTokens,
    signal: rec.settings["selfBraking.brake.signal"] ?? "off",
  });
  const live: LiveOutcome[] = [];
  const confirmStarted = Date.now();
  for (const [i, c] of sample.entries()) {
    const answered = await input.answerer.answer({ ...request, question: c.recording.problem ?? "" });
    if (answered === null) return { ...base, confirmation: null, confirmationCancelled: true };
    const correct = answerIsRight(answered.live.answer, c.recording.answer ?? "", c.recording.kind);
    live.push({ id: c.recording.id, correct, thinkingTokens: answered.live.thinkingTokens, braked: answered.braked, seconds: answered.live.seconds });
    progress({ phase: "confirming", done: i + 1, total: sample.length, problemId: c.recording.id, thinkingTokens: answered.live.thinkingTokens, right: correct, etaSeconds: eta(confirmStarted, i + 1, sample.length) });
  }
  return { ...base, confirmation: summariseConfirmation(rec, sample, live), confirmationCancelled: false };
}
