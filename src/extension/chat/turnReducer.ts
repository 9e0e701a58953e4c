import type { Turn, TurnStats } from "../../protocol";
import type { AskEvent, GenerationResult } from "../../engine/common/types";

/** What an engine event does to a turn: a new turn state, and text to stream, if any. */
export interface TurnChange {
  readonly turn: Turn;
  /** True when fields other than the streamed text changed (the page needs the whole turn). */
  readonly changed: boolean;
  readonly append?: { readonly channel: "thinking" | "answer"; readonly text: string };
}

export function newTurn(id: string, question: string): Turn {
  return {
    id,
    question,
    thinking: "",
    answer: "",
    status: "loading",
    thinkingMode: "on",
    meter: null,
    brake: null,
    stats: null,
    error: null,
    canContinue: false,
  };
}

/** Applies one streamed engine event to a turn (pure: the session sends the result to the page). */
export function applyEvent(turn: Turn, event: AskEvent): TurnChange {
  switch (event.type) {
    case "queued":
      return { turn: { ...turn, status: "queued", queuePosition: event.position }, changed: true };
    case "engine-starting":
    case "loading":
      return turn.status === "loading" ? { turn, changed: false } : { turn: withoutQueue({ ...turn, status: "loading" }), changed: true };
    case "loaded":
      return { turn, changed: false };
    case "started": {
      const stoodDown = event.standDown === null ? {} : { brakeStoodDown: event.standDown };
      return {
        turn: withoutQueue({ ...turn, status: event.thinkingMode === "on" ? "thinking" : "answering", thinkingMode: event.thinkingMode, ...stoodDown }),
        changed: true,
      };
    }
    case "thinking":
      return { turn: { ...turn, thinking: turn.thinking + event.text }, changed: false, append: { channel: "thinking", text: event.text } };
    case "answer": {
      const next = { ...turn, answer: turn.answer + event.text };
      if (turn.status !== "answering") return { turn: { ...next, status: "answering" }, changed: true };
      return { turn: next, changed: false, append: { channel: "answer", text: event.text } };
    }
    case "meter":
      return { turn: { ...turn, meter: { thinkingTokens: event.thinkingTokens, score: event.score, armed: event.armed } }, changed: true };
    case "brake":
      return {
        turn: {
          ...turn,
          status: "answering",
          thinking: turn.thinking.slice(0, event.brake.charOffset),
          brake: {
            reason: event.brake.reason,
            explanation: event.brake.explanation,
            charOffset: event.brake.charOffset,
            thinkingTokens: event.brake.thinkingTokens,
            score: event.brake.score,
            anchoredAnswer: event.brake.anchoredAnswer,
            cue: event.brake.injectedText,
          },
        },
        changed: true,
      };
    case "probe":
    case "prompt":
      return { turn, changed: false };
    case "resumed":
      return {
        turn: { ...turn, status: "thinking", thinking: turn.thinking.slice(0, event.charOffset), answer: "", brake: null, stats: null, canContinue: false },
        changed: true,
      };
  }
}

export function withoutQueue(turn: Turn): Turn {
  if (turn.queuePosition === undefined) return turn;
  const { queuePosition: _dropped, ...rest } = turn;
  return rest;
}

export function statsFrom(result: GenerationResult): TurnStats {
  return {
    promptTokens: result.tokens.prompt,
    thinkingTokens: result.tokens.thinking,
    answerTokens: result.tokens.answer,
    cueTokens: result.tokens.cue,
    probeTokens: result.tokens.probe,
    savedTokens: result.tokens.saved.estimate,
    savedMethod: result.tokens.saved.method,
    reEvaluatedTokens: result.tokens.reEvaluated,
    ttftMs: result.timings.ttftMs,
    tokensPerSecond: result.timings.tokensPerSecond,
    totalMs: result.timings.totalMs,
  };
}

/** The turn once the engine has finished it; the result's texts are authoritative. */
export function finishTurn(turn: Turn, result: GenerationResult): Turn {
  return withoutQueue({
    ...turn,
    status: result.stopReason === "cancelled" ? "stopped" : "done",
    thinking: result.thinking,
    answer: result.answer,
    thinkingMode: result.thinkingMode,
    meter: null,
    brake: result.brake && turn.brake ? { ...turn.brake, charOffset: result.brake.charOffset } : turn.brake,
    stats: statsFrom(result),
    canContinue: result.braked && result.stopReason !== "cancelled",
  });
}

export function failTurn(turn: Turn, message: string): Turn {
  return withoutQueue({ ...turn, status: "error", error: message, meter: null, canContinue: false });
}

/** A turn the user stopped (running, loading or still queued): not an error. */
export function stopTurn(turn: Turn): Turn {
  return { ...failTurn(turn, ""), status: "stopped", error: null };
}
