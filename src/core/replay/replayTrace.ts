/** Streams one recorded thinking through a fresh detector, token by token (or a few tokens at a time). */
import { createBrakeDetector } from "../brake/detector";
import type { BrakeConfigInput } from "../brake/config";
import type { BrakeEvidence, BrakeReason } from "../brake/types";

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
 */
export function replayThinking(thinking: string, tokenEnds: readonly number[], config: BrakeConfigInput, chunkTokens = 1): ThinkingReplay {
  const detector = createBrakeDetector(config);
  const step = Math.max(1, Math.floor(chunkTokens));
  let from = 0;
  for (let t = 0; t < tokenEnds.length; t += step) {
    const last = Math.min(tokenEnds.length, t + step);
    const to = tokenEnds[last - 1] ?? thinking.length;
    const decision = detector.push(
      thinking.slice(from, to),
      last - t,
      tokenEnds.slice(t, last).map((end) => end - from),
    );
    from = to;
    if (decision.kind === "brake") {
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
