/** The status bar's words for the last finished answer (pure, so unit tests read them without VS Code). */
import { brakeOutcomeTooltip, estimateShort } from "../core/brake/savingText";
import { formatTokens as tokens } from "../core/format";
import type { EngineInfo, ModelStatus, Turn, TurnStats } from "../protocol";
import { serverModelName } from "./server/serverStatus";

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

/**
 * What the item says about the engine itself: a model loading (with a server: connecting), or a
 * load that failed (undefined: nothing to say).
 */
export function engineText(engine: EngineInfo | undefined, running: Turn | undefined, modelReady: boolean, server = false): (StatusBarText & { readonly failed: boolean }) | undefined {
  if (engine?.state === "loading" && (!running || running.status === "loading")) {
    if (server) return { text: "$(loading~spin) Self-Braking: connecting to the server", tooltip: "Connecting to the server and finding out its model and prompt format. Click to stop.", failed: false };
    const progress = engine.loadProgress !== undefined ? ` ${Math.round(engine.loadProgress * 100)} %` : "";
    return { text: `$(loading~spin) Self-Braking: loading model${progress}`, tooltip: "Loading the model into memory. Click to stop.", failed: false };
  }
  if (!running && modelReady && (engine?.loadError !== undefined || engine?.state === "crashed")) {
    const failedLoad = server ? "$(error) Self-Braking: could not use the server" : "$(error) Self-Braking: model failed to load";
    return {
      text: engine.loadError !== undefined ? failedLoad : "$(error) Self-Braking: engine stopped",
      tooltip: `${engine.loadError ?? engine.summary} Click to open the log.`,
      failed: true,
    };
  }
  return undefined;
}

/**
 * The item at rest in server mode: "Self-Braking · Server gpu-box:8080" once connected; which
 * server and model in the tooltip. Without an address it says so and offers to give one.
 */
export function serverText(model: Extract<ModelStatus, { kind: "server" | "serverNotConfigured" }>, engine: EngineInfo | undefined): StatusBarText & { readonly warning: boolean } {
  if (model.kind === "serverNotConfigured") {
    return {
      text: "$(warning) Self-Braking: no server address",
      tooltip: "selfBraking.engine is \"server\" but no server address is set. Click to give one (Use a Server…), or select a local model.",
      warning: true,
    };
  }
  const name = serverModelName(model);
  if (engine?.state === "loaded") {
    return { text: `$(debug-pause) Self-Braking · Server ${model.host}`, tooltip: `Model: ${name}, connected: ${engine.summary}. The brake runs here on what the server streams. Click to open the chat.`, warning: false };
  }
  return { text: "$(debug-pause) Self-Braking", tooltip: `Model: ${name} (${model.url}); connects on the first question. Click to open the chat.`, warning: false };
}
