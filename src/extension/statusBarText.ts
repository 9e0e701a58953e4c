/** The status bar's words for the last finished answer (pure, so unit tests read them without VS Code). */
import { brakeOutcomeTooltip, estimateShort } from "../core/brake/savingText";
import { formatTokens as tokens } from "../core/format";
import type { EngineInfo, Turn, TurnStats } from "../protocol";

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

/** What the item says about the engine itself: a model loading, or a load that failed (undefined: nothing to say). */
export function engineText(engine: EngineInfo | undefined, running: Turn | undefined, modelReady: boolean): (StatusBarText & { readonly failed: boolean }) | undefined {
  if (engine?.state === "loading" && (!running || running.status === "loading")) {
    const progress = engine.loadProgress !== undefined ? ` ${Math.round(engine.loadProgress * 100)} %` : "";
    return { text: `$(loading~spin) Self-Braking: loading model${progress}`, tooltip: "Loading the model into memory. Click to stop.", failed: false };
  }
  if (!running && modelReady && (engine?.loadError !== undefined || engine?.state === "crashed")) {
    return {
      text: engine.loadError !== undefined ? "$(error) Self-Braking: model failed to load" : "$(error) Self-Braking: engine stopped",
      tooltip: `${engine.loadError ?? engine.summary} Click to open the log.`,
      failed: true,
    };
  }
  return undefined;
}
