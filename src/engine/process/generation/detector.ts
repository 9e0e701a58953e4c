/** Maps the engine's brake options onto the core detector's configuration. */
import { createBrakeDetector, inferAnswerFormat } from "../../../core/brake/index";
import type { AnswerFormat } from "../../../core/answers/format";
import { inferQuestionKind } from "../../../core/answers/questionKind";
import type { BrakeDetector } from "../../../core/brake/types";
import type { AskRequest, BrakeOptions } from "../../common/types";

export type DetectorFactory = (input: DetectorInput) => BrakeDetector;

export interface DetectorInput {
  readonly brake: BrakeOptions;
  /** The user's words (attached code is not part of them). */
  readonly question: string;
  /** Code from the editor came with the question: a question of no recognisable kind is then about that code. */
  readonly attachedCode?: boolean;
  /** Tokens left for thinking and answer after the prompt. */
  readonly contextTokens: number;
  /** Tokens kept free for the cue, the end of thinking and the answer. */
  readonly answerReserveTokens: number;
  /** Overrides the mode (after "Continue thinking" only the budget applies). */
  readonly mode?: BrakeOptions["mode"];
  /** Overrides the budget (after "Continue thinking"). */
  readonly maxThinkingTokens?: number;
}

export const createCoreDetector: DetectorFactory = (input) =>
  createBrakeDetector({
    mode: input.mode ?? input.brake.mode,
    threshold: input.brake.threshold,
    maxThinkingTokens: input.maxThinkingTokens ?? input.brake.maxThinkingTokens,
    contextTokens: input.contextTokens,
    answerReserveTokens: input.answerReserveTokens,
    answerFormat: answerFormatOf(input),
    question: input.question,
    probe: { enabled: input.brake.probe === "onTransition" && (input.mode ?? input.brake.mode) !== "off" },
    signal: { policy: input.brake.signal ?? "off" },
  });

/** The question's answer format from its words; with code attached, a question of no recognisable kind is taken as a code question. */
export function answerFormatOf(input: Pick<DetectorInput, "question" | "attachedCode">): AnswerFormat {
  const format = inferAnswerFormat(undefined, input.question);
  return format === "auto" && input.attachedCode === true && inferQuestionKind("auto", input.question) !== "open" ? "code" : format;
}

/**
 * The detector for one answer: the request's brake, question and attachments, with the room the
 * context leaves. After "Continue thinking" only the budget applies (`resumedBudget`: the kept
 * thinking plus the extra tokens). `brake` overrides the request's options (a server has no probes
 * and no end-of-thinking signal).
 */
export function answerDetector(
  create: DetectorFactory,
  request: AskRequest,
  room: { readonly contextTokens: number; readonly answerReserveTokens: number },
  options: { readonly brake?: Partial<BrakeOptions>; readonly resumedBudget?: number } = {},
): BrakeDetector {
  return create({
    brake: { ...request.brake, ...options.brake },
    question: request.question,
    attachedCode: (request.attachments?.length ?? 0) > 0,
    contextTokens: room.contextTokens,
    answerReserveTokens: room.answerReserveTokens,
    ...(options.resumedBudget !== undefined ? { mode: "budget" as const, maxThinkingTokens: options.resumedBudget } : {}),
  });
}
