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

/** The thinking has ended now: "Thought for 4.1 s" from here on. */
function thinkingEnded(turn: Turn, now: number): Turn {
  if (turn.thinkingStartedAt === undefined || turn.thinkingMs !== undefined) return turn;
  return { ...turn, thinkingMs: Math.max(0, now - turn.thinkingStartedAt) };
}

/** Applies one streamed engine event to a turn (pure but for `now`: the session sends the result to the page). */
export function applyEvent(turn: Turn, event: AskEvent, now = Date.now()): TurnChange {
  switch (event.type) {
    case "engine-starting":
    case "loading":
      return turn.status === "loading" ? { turn, changed: false } : { turn: withoutQueue({ ...turn, status: "loading" }), changed: true };
    case "loaded":
      return { turn, changed: false };
    case "started": {
      const stoodDown = event.standDown === null ? {} : { brakeStoodDown: event.standDown };
      const clock = event.thinkingMode === "on" ? { thinkingStartedAt: now } : {};
      return {
        turn: withoutQueue({ ...turn, status: event.thinkingMode === "on" ? "thinking" : "answering", thinkingMode: event.thinkingMode, ...stoodDown, ...clock }),
        changed: true,
      };
    }
    case "prompt": {
      const before = turn.promptRead;
      const read = { ...turn, promptRead: { evaluated: event.evaluated, total: event.total } };
      // Progress every few percent is plenty (each change sends the whole turn to the page).
      const moved = before === undefined || readPercent(event.evaluated, event.total) - readPercent(before.evaluated, before.total) >= PROMPT_PROGRESS_STEP;
      return moved ? { turn: read, changed: true } : { turn: { ...read, promptRead: before }, changed: false };
    }
    case "thinking":
      if (turn.promptRead !== undefined) return { turn: withoutPromptRead({ ...turn, thinking: turn.thinking + event.text }), changed: true };
      return { turn: { ...turn, thinking: turn.thinking + event.text }, changed: false, append: { channel: "thinking", text: event.text } };
    case "answer": {
      const next = { ...turn, answer: turn.answer + event.text };
      if (turn.status !== "answering" || turn.promptRead !== undefined) return { turn: withoutPromptRead(thinkingEnded({ ...next, status: "answering" }, now)), changed: true };
      return { turn: next, changed: false, append: { channel: "answer", text: event.text } };
    }
    case "meter":
      return {
        turn: {
          ...turn,
          meter: { thinkingTokens: event.thinkingTokens, score: event.score, armed: event.armed, ...(event.endOfThinking === undefined ? {} : { endOfThinking: event.endOfThinking }) },
        },
        changed: true,
      };
    case "brake":
      return {
        turn: {
          ...thinkingEnded(turn, now),
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
      return { turn, changed: false };
    case "resumed": {
      const { thinkingMs: spent, ...rest } = turn;
      return {
        turn: { ...rest, status: "thinking", thinking: turn.thinking.slice(0, event.charOffset), answer: "", brake: null, stats: null, canContinue: false, thinkingStartedAt: now - (spent ?? 0) },
        changed: true,
      };
    }
  }
}

/** Percent steps at which reading a long prompt is shown. */
const PROMPT_PROGRESS_STEP = 5;

function readPercent(evaluated: number, total: number): number {
  return total > 0 ? (100 * evaluated) / total : 100;
}

function withoutPromptRead(turn: Turn): Turn {
  const { promptRead: _read, ...rest } = turn;
  return rest;
}

export function withoutQueue(turn: Turn): Turn {
  if (turn.queuePosition === undefined) return turn;
  const { queuePosition: _dropped, ...rest } = turn;
  return rest;
}

/** A turn's accounting from the engine's: the thinking kept, and the estimated saving only where the engine made one. */
export function statsFrom(result: GenerationResult): TurnStats {
  const estimate = result.tokens.savedEstimate;
  return {
    promptTokens: result.tokens.prompt,
    thinkingTokens: result.tokens.thinking,
    answerTokens: result.tokens.answer,
    cueTokens: result.tokens.cue,
    probeTokens: result.tokens.probe,
    ...(estimate === null ? {} : { savedEstimate: { ...estimate } }),
    reEvaluatedTokens: result.tokens.reEvaluated,
    ttftMs: result.timings.ttftMs,
    tokensPerSecond: result.timings.tokensPerSecond,
    totalMs: result.timings.totalMs,
  };
}

/** The turn once the engine has finished it; the result's texts are authoritative. */
export function finishTurn(turn: Turn, result: GenerationResult): Turn {
  return withoutQueue({
    ...withoutPromptRead(turn),
    status: result.stopReason === "cancelled" ? "stopped" : "done",
    thinking: result.thinking,
    answer: result.answer,
    thinkingMode: result.thinkingMode,
    meter: null,
    brake: result.brake && turn.brake ? { ...turn.brake, charOffset: result.brake.charOffset } : turn.brake,
    stats: statsFrom(result),
    canContinue: result.braked && result.stopReason !== "cancelled",
    ...(result.thinkingMode === "on" && turn.thinkingStartedAt !== undefined ? { thinkingMs: Math.round(result.timings.thinkingMs) } : {}),
  });
}

export function failTurn(turn: Turn, message: string): Turn {
  return withoutQueue({ ...withoutPromptRead(turn), status: "error", error: message, meter: null, canContinue: false });
}

/** Why a turn saved while its answer was being generated came back after a reload. */
export const INTERRUPTED_MESSAGE = "Interrupted: VS Code was closed or reloaded while this answer was being generated. Ask Again to send the question again.";
/** Why a braked answer restored after a reload offers no "Continue Thinking". */
export const CONTINUE_AFTER_RELOAD = "Continue Thinking is not offered after a reload: the engine that held this answer's thinking was restarted. Regenerate to think afresh.";
/** Why a braked answer offers no "Continue Thinking" once another question has run. */
export const CONTINUE_AFTER_ANOTHER_QUESTION = "Continue Thinking is no longer offered: another question has used the engine since. Regenerate to think afresh.";
/** Why a turn saved while it waited in the queue came back after a reload. */
export const NOT_ASKED_MESSAGE = "Not asked: VS Code was closed or reloaded while this question waited its turn. Ask Again to send it.";

/**
 * A saved turn as it comes back after a reload: nothing can resume (the engine and its cache are
 * gone), so a running turn is an error saying it was interrupted and a queued one says it was
 * never asked (both keep their question and whatever had streamed; the page offers Ask Again).
 */
export function restoredTurn(turn: Turn): Turn {
  switch (turn.status) {
    case "done":
    case "stopped":
    case "error":
      return turn.canContinue ? { ...turn, canContinue: false, meter: null, continueUnavailable: CONTINUE_AFTER_RELOAD } : { ...turn, canContinue: false, meter: null };
    case "queued":
      return failTurn(turn, NOT_ASKED_MESSAGE);
    case "loading":
    case "thinking":
    case "answering":
      return failTurn(turn, INTERRUPTED_MESSAGE);
  }
}

/** A turn the user stopped (running, loading or still queued): not an error. */
export function stopTurn(turn: Turn): Turn {
  return { ...failTurn(turn, ""), status: "stopped", error: null };
}
