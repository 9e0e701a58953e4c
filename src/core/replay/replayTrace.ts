/** Streams one recorded thinking through a fresh detector, token by token (or a few tokens at a time). */
import { createBrakeDetector } from "../brake/detector";
import type { BrakeConfigInput } from "../brake/config";
import type { BrakeDecision, BrakeEvidence, BrakeReason, EndOfThinkingSignal } from "../brake/types";

export interface ThinkingReplay {
  readonly braked: boolean;
  /** Kept thinking prefix in characters (null: not braked). */
  readonly brakeAt: number | null;
  /** The anchored answer at the brake (null: not braked or nothing anchored). */
  readonly answer: string | null;
  readonly reason: BrakeReason | null;
  readonly evidence: BrakeEvidence | null;
  readonly explanation: string | null;
  readonly thinkingChars: number;
  readonly thinkingTokens: number;
  /** Thinking tokens kept (all of them when not braked). */
  readonly keptTokens: number;
}

export { tokensBefore } from "../brake/tokenPositions";

/**
 * @param tokenEnds character offsets where each token of `thinking` ends (see TokenCounter)
 * @param chunkTokens tokens per push (1 = what an engine does); decisions do not depend on it
 * @param signals recorded end-of-thinking readings (`charOffset` in characters of `thinking`):
 *   each is given to `observeSignal` once the text up to its offset is pushed, as the engine
 *   does at a step boundary (a push that would pass an offset is split there, a token that
 *   straddles it counted after it); the detector's `signal` config decides whether it brakes
 */
export function replayThinking(
  thinking: string,
  tokenEnds: readonly number[],
  config: BrakeConfigInput,
  chunkTokens = 1,
  signals: readonly EndOfThinkingSignal[] = [],
): ThinkingReplay {
  const detector = createBrakeDetector(config);
  const step = Math.max(1, Math.floor(chunkTokens));
  const readings = signals.filter((s) => s.charOffset > 0 && s.charOffset <= thinking.length).sort((a, b) => a.charOffset - b.charOffset);
  let next = 0;
  let from = 0;
  for (let t = 0; t < tokenEnds.length; t += step) {
    const last = Math.min(tokenEnds.length, t + step);
    const to = tokenEnds[last - 1] ?? thinking.length;
    const ends = tokenEnds.slice(t, last);
    let decision: BrakeDecision | null = null;
    let k = 0;
    for (; next < readings.length && (readings[next]?.charOffset ?? Infinity) <= to && decision?.kind !== "brake"; next++) {
      const reading = readings[next];
      if (reading === undefined || reading.charOffset < from) continue;
      const at = reading.charOffset;
      if (at > from) {
        let k2 = k;
        while (k2 < ends.length && (ends[k2] ?? Infinity) <= at) k2++;
        decision = detector.push(thinking.slice(from, at), k2 - k, ends.slice(k, k2).map((end) => end - from));
        k = k2;
        from = at;
        if (decision.kind === "brake") break;
      }
      decision = detector.observeSignal(reading);
    }
    if (decision?.kind !== "brake" && (from < to || k < ends.length)) {
      decision = detector.push(thinking.slice(from, to), ends.length - k, ends.slice(k).map((end) => end - from));
    }
    from = to;
    if (decision?.kind === "brake") {
      return {
        braked: true,
        brakeAt: decision.charOffset,
        answer: decision.evidence.anchoredAnswer,
        reason: decision.reason,
        evidence: decision.evidence,
        explanation: decision.explanation,
        thinkingChars: thinking.length,
        thinkingTokens: tokenEnds.length,
        keptTokens: Math.min(tokenEnds.length, Math.round(decision.evidence.thinkingTokens)),
      };
    }
  }
  return {
    braked: false,
    brakeAt: null,
    answer: null,
    reason: null,
    evidence: null,
    explanation: null,
    thinkingChars: thinking.length,
    thinkingTokens: tokenEnds.length,
    keptTokens: tokenEnds.length,
  };
}
