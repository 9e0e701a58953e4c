/** Replaying a set of recorded traces: tokenise once, replay per configuration, score. */
import type { AnswerFormat } from "../answers/format";
import { inferAnswerFormat } from "../answers/format";
import { inferCodeAnswerShape } from "../answers/questionKind";
import type { CodeAnswerShape } from "../answers/questionKind";
import type { BrakeConfigInput } from "../brake/config";
import type { EndOfThinkingSignal } from "../brake/types";
import type { TokenCounter } from "../tokens/counter";
import type { TraceOutcome } from "./outcome";
import { isBraked, scoreTrace } from "./outcome";
import type { TraceRecord } from "./record";
import { replayThinking } from "./replayTrace";
import { splitTrace } from "./thinking";

export interface PreparedTrace {
  readonly record: TraceRecord;
  readonly thinking: string;
  readonly tokenEnds: readonly number[];
  readonly format: AnswerFormat;
  /** Code traces: definitions or a snippet (from the dataset, as a host would know it from the question). */
  readonly codeAnswer: CodeAnswerShape;
}

export function prepareTrace(record: TraceRecord, counter: TokenCounter): PreparedTrace {
  const thinking = splitTrace(record.trace).thinking;
  const question = record.problem ?? undefined;
  return {
    record,
    thinking,
    tokenEnds: counter.tokenEnds(thinking),
    format: inferAnswerFormat(record.dataset, question),
    codeAnswer: inferCodeAnswerShape(record.dataset, question),
  };
}

/** Replays one prepared trace (the question is passed on, the gold answer never is) and scores it; `signals`: recorded end-of-thinking readings (see replayThinking). */
export function replayPrepared(trace: PreparedTrace, config: BrakeConfigInput, chunkTokens = 1, signals?: readonly EndOfThinkingSignal[]): TraceOutcome {
  const replay = replayThinking(
    trace.thinking,
    trace.tokenEnds,
    { ...config, answerFormat: trace.format, codeAnswer: trace.codeAnswer, question: trace.record.problem ?? undefined },
    chunkTokens,
    signals,
  );
  return scoreTrace(trace.record, trace.thinking, trace.tokenEnds, trace.format, replay);
}

/** One line of `--per-trace` output: exactly `{"id","braked","brakeAt","answer","reason"}`, `brakeAt` in code points. */
export function perTraceLine(o: TraceOutcome): string {
  const braked = isBraked(o.replay);
  return JSON.stringify({
    id: o.id,
    braked,
    brakeAt: braked ? o.brakeAtCodePoints : null,
    answer: braked ? o.replay.answer : null,
    reason: braked ? o.replay.reason : null,
  });
}
