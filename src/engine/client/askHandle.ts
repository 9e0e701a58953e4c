/**
 * One question in flight: its events (streamed, buffered for late readers), its result, and
 * the controls the UI offers while it runs.
 */
import type { EngineError } from "../common/errors";
import type { AskEvent, GenerationResult } from "../common/types";

export interface AskControls {
  answerNow(id: string): void;
  cancel(id: string): void;
  continueThinking(id: string, extraThinkingTokens?: number): Promise<AskHandle>;
}

/** `running` from the moment it is asked (starting the engine and loading the model included). */
export type AskState = "running" | "done" | "failed";

export class AskHandle {
  private readonly listeners = new Set<(event: AskEvent) => void>();
  private readonly history: AskEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  private stateValue: AskState = "running";
  private settle!: { resolve: (result: GenerationResult) => void; reject: (error: EngineError) => void };
  /** Resolves with the accounting when the answer is complete (also after "Stop": `stopReason: "cancelled"`); rejects with an {@link EngineError}. */
  readonly result: Promise<GenerationResult>;

  constructor(
    readonly id: string,
    private readonly controls: AskControls,
  ) {
    this.result = new Promise<GenerationResult>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // The result is also delivered through events(); an unobserved rejection is not a crash.
    this.result.catch(() => undefined);
  }

  get state(): AskState {
    return this.stateValue;
  }

  /** Subscribes to events; events already emitted are replayed first. Returns an unsubscribe function. */
  onEvent(listener: (event: AskEvent) => void): () => void {
    for (const event of this.history) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** All events from the start, then the ones to come, ending when the answer ends. */
  async *events(): AsyncGenerator<AskEvent, void, void> {
    let index = 0;
    for (;;) {
      while (index < this.history.length) yield this.history[index++] as AskEvent;
      if (this.stateValue === "done" || this.stateValue === "failed") return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Brake now and answer with what was thought so far. */
  answerNow(): void {
    this.controls.answerNow(this.id);
  }

  /** Stop: a running answer ends with `stopReason: "cancelled"`; one still loading is rejected with code `cancelled`. */
  cancel(): void {
    this.controls.cancel(this.id);
  }

  /**
   * After a brake: drop the cue and the answer and let the model think on (with
   * `extraThinkingTokens` more budget). Resolves with this handle when the answer was still
   * streaming (it resumes in place), else with a new handle that streams the continuation.
   */
  continueThinking(extraThinkingTokens?: number): Promise<AskHandle> {
    return this.controls.continueThinking(this.id, extraThinkingTokens);
  }

  // ---- used by the client ----

  emit(event: AskEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
    this.wake();
  }

  complete(result: GenerationResult): void {
    if (this.stateValue === "done" || this.stateValue === "failed") return;
    this.stateValue = "done";
    this.settle.resolve(result);
    this.wake();
  }

  fail(error: EngineError): void {
    if (this.stateValue === "done" || this.stateValue === "failed") return;
    this.stateValue = "failed";
    this.settle.reject(error);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
