/**
 * Coalesces thinking and answer deltas before they cross the process boundary: a fast model
 * makes thousands of tokens a second, and one message per token would cost more than the
 * tokens. Any other event flushes the pending delta first, so the order is kept.
 */
import type { GenerationEvent } from "../common/types";

type Delta = Extract<GenerationEvent, { type: "thinking" | "answer" }>;

export class EventBatcher {
  private pending: { type: Delta["type"]; text: string; tokens: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (event: GenerationEvent) => void,
    private readonly delayMs = 16,
  ) {}

  push(event: GenerationEvent): void {
    if (event.type === "thinking" || event.type === "answer") {
      if (this.pending && this.pending.type !== event.type) this.flush();
      if (this.pending) {
        this.pending.text += event.text;
        this.pending.tokens += event.tokens;
      } else {
        this.pending = { type: event.type, text: event.text, tokens: event.tokens };
      }
      this.timer ??= setTimeout(() => this.flush(), this.delayMs);
      return;
    }
    this.flush();
    this.send(event);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const pending = this.pending;
    this.pending = null;
    if (pending) this.send(pending);
  }
}
