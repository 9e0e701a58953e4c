/**
 * One calibration problem answered through the engine: the recording run (braking off, the
 * end-of-thinking signal read at every step boundary) and the live confirmation (the recommended
 * setting on) both go through here. The CLI passes its EngineClient, the editor its gateway.
 */
import type { LiveAnswer, SignalReading } from "../../core/calibration/recording";
import { SETTINGS } from "../../core/settings/registry";
import { EngineError } from "../common/errors";
import type { AskEvent, AskRequest, BrakeOptions, GenerationResult } from "../common/types";

/** A question running in the engine: what the CLI's client and the editor's gateway both give. */
export interface RunningQuestion {
  readonly result: Promise<GenerationResult>;
  cancel(): void;
}
export type AskFn = (request: AskRequest, onEvent: (event: AskEvent) => void) => RunningQuestion;

export interface RecordingGeneration {
  readonly temperature: number;
  readonly seed: number;
  readonly maxAnswerTokens: number;
}

/** The request every recording uses: braking off, the signal recorded, thinking on. */
export function recordingRequest(g: RecordingGeneration): Omit<AskRequest, "question"> {
  return {
    history: [],
    brake: {
      mode: "off",
      threshold: SETTINGS["brake.threshold"].default,
      maxThinkingTokens: SETTINGS["brake.maxThinkingTokens"].default,
      cue: SETTINGS["brake.cue"].default,
      probe: "off",
      signal: "off",
    },
    generation: { temperature: g.temperature, maxAnswerTokens: g.maxAnswerTokens, thinking: true, seed: g.seed },
    // the end-of-thinking probability and margin at every step boundary, for the signal rows
    recordSignal: true,
  };
}

/** The same request with a brake on (the live confirmation). */
export function withBrake(base: Omit<AskRequest, "question">, brake: Partial<BrakeOptions>): Omit<AskRequest, "question"> {
  return { ...base, brake: { ...base.brake, ...brake }, recordSignal: false };
}

export interface AnsweredLive {
  readonly live: LiveAnswer & { readonly thinkingTokens: number; readonly seconds: number };
  /** Whether anything (the brake, a budget) ended the thinking before the model did. */
  readonly braked: boolean;
}

/** Answers calibration questions one at a time; null when cancelled. */
export interface Answerer {
  answer(request: AskRequest): Promise<AnsweredLive | null>;
  cancel(): void;
}

/**
 * Asks one question and collects the thinking, the answer and each end-of-thinking reading (one
 * per step boundary, at the thinking characters streamed so far). Resolves to null when cancelled.
 */
export class LiveAnswerer implements Answerer {
  private current: RunningQuestion | null = null;
  private cancelledValue = false;

  constructor(
    private readonly ask: AskFn,
    private readonly modelName: () => string,
    private readonly onEvent: (event: AskEvent) => void = () => undefined,
  ) {}

  get cancelled(): boolean {
    return this.cancelledValue;
  }

  async answer(request: AskRequest): Promise<AnsweredLive | null> {
    if (this.cancelledValue) return null;
    const started = Date.now();
    let thinkingChars = 0;
    const signals: SignalReading[] = [];
    const running = this.ask(request, (event) => {
      this.onEvent(event);
      if (event.type === "thinking") thinkingChars += event.text.length;
      else if (event.type === "meter" && event.endOfThinking) {
        const last = signals[signals.length - 1];
        if (last === undefined || last.offset !== thinkingChars) signals.push({ offset: thinkingChars, probability: event.endOfThinking.probability, margin: event.endOfThinking.margin });
      }
    });
    this.current = running;
    try {
      const result = await running.result;
      if (result.stopReason === "cancelled" || this.cancelledValue) return null;
      const live = { model: this.modelName(), thinking: result.thinking, answer: result.answer, signals, thinkingTokens: result.tokens.thinking, seconds: (Date.now() - started) / 1000 };
      return { live, braked: result.braked };
    } catch (error) {
      if (error instanceof EngineError && error.code === "cancelled") return null;
      throw error;
    } finally {
      this.current = null;
    }
  }

  cancel(): void {
    this.cancelledValue = true;
    this.current?.cancel();
  }
}
