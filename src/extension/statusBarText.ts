/** The status bar's words for the last finished answer (pure, so unit tests read them without VS Code). */
import { brakeOutcomeTooltip, estimateShort } from "../core/brake/savingText";
import { formatTokens as tokens } from "../core/format";
import type { Turn, TurnStats } from "../protocol";

export interface StatusBarText {
  readonly text: string;
  readonly tooltip: string;
}

/**
 * "$(debug-pause) 812 think · 40 answer · est. ~211 avoided" — the estimate only where the
 * detector braked (never the budget left, never for Answer now, the budget or a full context);
 * the tooltip says what the estimate rests on, or that the answer was the user's call.
 */
export function lastAnswerText(stats: TurnStats, brake: Turn["brake"], modelFileName: string): StatusBarText {
  const saved = stats.savedEstimate ? ` · ${estimateShort(stats.savedEstimate)}` : "";
  const outcome = brake ? ` ${brakeOutcomeTooltip(brake.reason, brake.thinkingTokens, stats.savedEstimate)}` : "";
  return {
    text: `$(debug-pause) ${tokens(stats.thinkingTokens)} think · ${tokens(stats.answerTokens)} answer${saved}`,
    tooltip: `Last answer (${modelFileName}): ${stats.thinkingTokens} thinking tokens, ${stats.answerTokens} answer tokens, ${stats.tokensPerSecond.toFixed(1)} tokens/s.${outcome} Click to open the chat.`,
  };
}
