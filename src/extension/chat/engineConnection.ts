import { loadedIn, loadSummaryParts } from "../../engine/common/loadSummary";
import type { AskEvent, AskRequest, GenerationResult, LoadConfig, LoadReport } from "../../engine/common/types";

/** One request running in the engine. */
export interface RunningAsk {
  /** Settles with the finished answer; rejects with an error whose message a user can act on. */
  readonly result: Promise<GenerationResult>;
  /** Brake now and let the model answer ("Answer now"). */
  answerNow(): void;
  /** Stop generating; the result then settles with stopReason "cancelled". */
  cancel(): void;
  /**
   * "Continue thinking" after a brake: drops the cue and the answer and thinks on. While the
   * answer is still streaming it resumes in place (this ask goes on); afterwards the
   * continuation is a new ask. The engine decides which.
   */
  continueThinking(onEvent: (event: AskEvent) => void): RunningAsk;
}

/**
 * What the chat needs from the engine (implemented over the engine process client). Kept
 * small so the chat session can be tested with a scripted stand-in.
 */
export interface EngineConnection {
  ask(load: LoadConfig, request: AskRequest, onEvent: (event: AskEvent) => void): RunningAsk;
  /** Loads the model now (after the user picked one); its progress arrives as `loading`/`loaded` events. */
  load?(load: LoadConfig, onEvent: (event: AskEvent) => void): Promise<LoadReport>;
}

/** One line for the model bar: the backend with what it means, device, layers, context, threads. */
export function summarizeLoad(report: LoadReport): string {
  return [...loadSummaryParts(report), loadedIn(report)].join(" · ");
}
