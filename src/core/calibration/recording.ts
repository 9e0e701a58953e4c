/**
 * A calibration recording: one problem answered once by the model with braking off, as a
 * {@link TraceRecord} (so replay reads it like any recorded trace) plus what only a live run can
 * record: the model's end-of-thinking probability at step boundaries, where the engine reports it.
 */
import { answersEquivalent } from "../answers/equivalence";
import { extractFinalAnswer } from "../answers/extract";
import { extractFinalOutput } from "../answers/outputAnswer";
import type { TraceRecord } from "../replay/record";
import { parseTraceFile } from "../replay/record";
import type { CalibrationProblem, ProblemKind } from "./problems";
import { datasetOf } from "./problems";

/** The end-of-thinking reading at a step boundary: `offset` in characters of the thinking. */
export interface SignalReading {
  readonly offset: number;
  readonly probability: number;
  /** ln(top probability) − ln(probability), nats (what the signal policy brakes on), when reported. */
  readonly margin?: number;
}

export interface CalibrationRecording extends TraceRecord {
  readonly kind: ProblemKind;
  /** Readings at step boundaries, in order; absent when the engine reported none. */
  readonly signals?: readonly SignalReading[];
  /** Thinking tokens as the engine counted them. */
  readonly engineThinkingTokens?: number;
  /** Wall time of the whole answer, seconds. */
  readonly seconds?: number;
}

/** The model's final answer read from its answer text (after the thinking), or null. */
export function finalAnswerOf(answerText: string, kind: ProblemKind): string | null {
  return kind === "output" ? extractFinalOutput(answerText) : extractFinalAnswer(answerText, "number");
}

/** Whether an answer text gives the gold answer: numbers by value (math), Python values (output). */
export function answerIsRight(answerText: string, gold: string, kind: ProblemKind): boolean {
  const answer = finalAnswerOf(answerText, kind);
  return answer !== null && answersEquivalent(answer, gold, kind === "output" ? "output" : "number");
}

export interface LiveAnswer {
  readonly model: string;
  readonly thinking: string;
  readonly answer: string;
  readonly signals?: readonly SignalReading[];
  readonly thinkingTokens?: number;
  readonly seconds?: number;
}

/** Builds the recording of one unbraked answer, scored against the problem's gold answer. */
export function makeRecording(problem: CalibrationProblem, live: LiveAnswer): CalibrationRecording {
  return {
    id: problem.id,
    model: live.model,
    dataset: datasetOf(problem.kind),
    kind: problem.kind,
    problem: problem.question,
    answer: problem.answer,
    finalCode: null,
    trace: `<think>${live.thinking}</think>${live.answer}`,
    correct: answerIsRight(live.answer, problem.answer, problem.kind),
    ...(live.signals !== undefined && live.signals.length > 0 ? { signals: live.signals } : {}),
    ...(live.thinkingTokens === undefined ? {} : { engineThinkingTokens: live.thinkingTokens }),
    ...(live.seconds === undefined ? {} : { seconds: live.seconds }),
  };
}

/** One JSONL line of a recordings file (finalCode left out: calibration problems have a gold answer). */
export function recordingLine(r: CalibrationRecording): string {
  const { finalCode: _finalCode, ...rest } = r;
  return JSON.stringify(rest);
}

function readSignals(value: unknown): SignalReading[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: SignalReading[] = [];
  for (const s of value) {
    if (typeof s !== "object" || s === null) continue;
    const { offset, probability, margin } = s as Record<string, unknown>;
    if (typeof offset !== "number" || typeof probability !== "number" || !(probability >= 0 && probability <= 1)) continue;
    out.push({ offset, probability, ...(typeof margin === "number" && margin >= 0 ? { margin } : {}) });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Parses a recordings file. Lines are checked as replay checks traces; a half-written last line
 * (a run stopped while writing) is skipped and reported like any bad line.
 */
export function parseRecordings(text: string): { recordings: CalibrationRecording[]; skipped: { line: number; error: string }[] } {
  const parsed = parseTraceFile(text);
  const extras = new Map<string, Record<string, unknown>>();
  for (const line of text.split("\n")) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null && "id" in value) extras.set(String((value as { id: unknown }).id), value as Record<string, unknown>);
    } catch {
      // reported by parseTraceFile
    }
  }
  const recordings = parsed.records.map((record): CalibrationRecording => {
    const extra = extras.get(record.id) ?? {};
    const kind: ProblemKind = extra.kind === "output" || /output/i.test(record.dataset) ? "output" : "math";
    const signals = readSignals(extra.signals);
    return {
      ...record,
      kind,
      ...(signals === undefined ? {} : { signals }),
      ...(typeof extra.engineThinkingTokens === "number" ? { engineThinkingTokens: extra.engineThinkingTokens } : {}),
      ...(typeof extra.seconds === "number" ? { seconds: extra.seconds } : {}),
    };
  });
  return { recordings, skipped: parsed.skipped };
}
