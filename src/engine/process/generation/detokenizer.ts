/**
 * Turns tokens into text one at a time without breaking multi-byte characters: a token that
 * ends inside a UTF-8 sequence is held until the sequence is complete. Special tokens are
 * rendered (the thought markers are special tokens in most reasoning models).
 */
import type { LlamaModel, Token } from "node-llama-cpp";

const CONTEXT_TOKENS = 8;
const MAX_HELD = 6;

export class StreamDetokenizer {
  private held: Token[] = [];
  private recent: Token[] = [];

  constructor(private readonly model: Pick<LlamaModel, "detokenize">) {}

  /** The text the token completes ("" while a character is still incomplete). */
  push(token: Token): string {
    this.held.push(token);
    const text = this.model.detokenize(this.held, true, this.recent);
    if (text.endsWith("\uFFFD") && this.held.length < MAX_HELD) return "";
    this.recent.push(...this.held);
    if (this.recent.length > CONTEXT_TOKENS) this.recent = this.recent.slice(-CONTEXT_TOKENS);
    this.held = [];
    return text;
  }

  /** Forget the context (the sequence was cut or rewritten). */
  reset(recent: readonly Token[] = []): void {
    this.held = [];
    this.recent = recent.slice(-CONTEXT_TOKENS);
  }

  get holding(): number {
    return this.held.length;
  }
}
