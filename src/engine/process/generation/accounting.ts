/** Counters of one generation and the result built from them. */
import type { BrakeRule } from "../../../core/brake/types";
import type { CalibratedRatio, SavingEstimate } from "../../../core/brake/savingEstimate";
import { estimateSaving } from "../../../core/brake/savingEstimate";
import type { BrakeInfo, GenerationResult, ProbeInfo, StopReason, ThinkingMode } from "../../common/types";

/** Tokens kept free for the cue and the end of thinking, beyond their own count. */
export const CUE_MARGIN = 16;

/**
 * Tokens an answer keeps free in the context: its cap, but at most a quarter of the context
 * (never under 64), plus `closeTokens` for what closes the thinking. Without a known context
 * (a server that does not say), the cap.
 */
export function answerRoom(contextSize: number | null, maxAnswerTokens: number, closeTokens: number): number {
  return (contextSize === null ? maxAnswerTokens : Math.min(maxAnswerTokens, Math.max(64, Math.floor(contextSize / 4)))) + closeTokens;
}

export class GenerationCounters {
  promptTokens = 0;
  promptEvaluated = 0;
  thinking = 0;
  answer = 0;
  cue = 0;
  probe = 0;
  discarded = 0;
  reEvaluated = 0;
  continued = 0;
  readonly startedAt: number;
  /** When prompt evaluation began (after rendering and cache alignment). */
  promptStartedAt: number | null = null;
  firstTokenAt: number | null = null;
  lastTokenAt: number | null = null;
  thinkingStartedAt: number | null = null;
  thinkingEndedAt: number | null = null;
  brakeToAnswerMs: number | null = null;
  /** Generated tokens (thinking, answer, discarded) since the first token. */
  generated = 0;
  /** Time in the engine's own per-token work. */
  engineMs = 0;

  constructor(readonly now: () => number) {
    this.startedAt = now();
  }

  tokenArrived(): void {
    const t = this.now();
    if (this.firstTokenAt === null) this.firstTokenAt = t;
    this.lastTokenAt = t;
    this.generated++;
  }
}

export interface ResultParts {
  readonly answer: string;
  readonly thinking: string;
  readonly thinkingMode: ThinkingMode;
  readonly brake: BrakeInfo | null;
  readonly probes: readonly ProbeInfo[];
  readonly stopReason: StopReason;
  /** The rule that fired an `overthinking` brake (the detector's evidence), for the estimate's table cell. */
  readonly brakeRule?: BrakeRule | null;
  /** The answer format the detector used, for the estimate's table cell. */
  readonly answerFormat?: string | null;
  /** The ratio calibration measured on this model (AskRequest.savingRatio), preferred over the recorded traces. */
  readonly calibration?: CalibratedRatio | null;
}

/** What the brake is estimated to have saved (null where nothing can honestly be claimed: see savingEstimate.ts). */
export function savedEstimate(parts: Pick<ResultParts, "brake" | "brakeRule" | "answerFormat" | "calibration">): SavingEstimate | null {
  if (!parts.brake) return null;
  return estimateSaving({
    reason: parts.brake.reason,
    keptTokens: parts.brake.thinkingTokens,
    rule: parts.brakeRule ?? null,
    format: parts.answerFormat ?? null,
    calibration: parts.calibration ?? null,
  });
}

export function buildResult(c: GenerationCounters, parts: ResultParts): GenerationResult {
  const end = c.now();
  const genMs = c.firstTokenAt !== null && c.lastTokenAt !== null ? c.lastTokenAt - c.firstTokenAt : 0;
  return {
    answer: parts.answer,
    thinking: parts.thinking,
    thinkingMode: parts.thinkingMode,
    braked: parts.brake !== null,
    brake: parts.brake,
    probes: parts.probes,
    stopReason: parts.stopReason,
    tokens: {
      prompt: c.promptTokens,
      promptEvaluated: c.promptEvaluated,
      thinking: c.thinking,
      cue: c.cue,
      probe: c.probe,
      answer: c.answer,
      discarded: c.discarded,
      reEvaluated: c.reEvaluated,
      savedEstimate: savedEstimate(parts),
    },
    timings: {
      ttftMs: c.firstTokenAt === null ? end - c.startedAt : c.firstTokenAt - c.startedAt,
      promptEvalMs: c.firstTokenAt === null || c.promptStartedAt === null ? 0 : c.firstTokenAt - c.promptStartedAt,
      thinkingMs: c.thinkingStartedAt === null ? 0 : (c.thinkingEndedAt ?? c.lastTokenAt ?? end) - c.thinkingStartedAt,
      brakeToAnswerMs: c.brakeToAnswerMs,
      totalMs: end - c.startedAt,
      tokensPerSecond: genMs > 0 ? ((c.generated - 1) * 1000) / genMs : 0,
      engineMs: c.engineMs,
    },
    continued: c.continued,
  };
}
