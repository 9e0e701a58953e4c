import type { Settings } from "../../core/settings/registry";
import { composeQuestion } from "../../core/prompt/attachedCode";
import { answerReserve, checkContextBudget } from "../../core/prompt/contextBudget";
import type { BudgetCheck } from "../../core/prompt/contextBudget";
import type { ConversationTurn } from "../../engine/common/types";
import { estimateTokens } from "../attachments/editorAttachments";
import type { PendingAttachment } from "./chatSession";

/** Tokens a chat template adds around each message, roughly. */
const FRAMING_TOKENS = 8;

/**
 * The context check with the session's numbers: the loaded model's context when one is loaded,
 * else a fixed `selfBraking.model.contextSize`, else unknown (nothing refused: the engine checks
 * with the real tokenizer once it has loaded the model).
 */
export function checkNextQuestion(
  settings: Settings,
  loadedContextTokens: number | null,
  question: string,
  attachments: readonly PendingAttachment[],
  history: readonly ConversationTurn[],
): BudgetCheck {
  const setting = settings["model.contextSize"];
  const contextTokens = loadedContextTokens ?? (typeof setting === "number" ? setting : null);
  const historyTokens = history.reduce((sum, turn) => sum + estimateTokens(composeQuestion(turn.question, turn.attachments ?? [])) + estimateTokens(turn.answer) + 2 * FRAMING_TOKENS, 0);
  return checkContextBudget({
    questionTokens: estimateTokens(question) + 2 * FRAMING_TOKENS,
    historyTokens,
    attachments: attachments.map((a) => ({ label: a.view.label, tokens: a.view.tokens })),
    contextTokens,
    reserveTokens: contextTokens === null ? 0 : answerReserve(contextTokens, settings["generation.maxAnswerTokens"]),
  });
}
