/**
 * Where the tokens of one pushed chunk lie in its text. Without token boundaries the tokens are
 * spread evenly over the chunk's characters; with them, evenly over each token's own characters.
 * The second is what pushing the tokens one at a time gives, so decisions made inside a chunk
 * (a budget running out, a step ending before the minimum thinking) do not depend on the chunk size.
 */
export interface ChunkTokenPositions {
  /** Tokens of the chunk before character `offset` of it (fractional inside a token). */
  tokensAt(offset: number): number;
  /** Characters of the chunk that `tokens` tokens cover (rounded up to a whole character; `tokens` > 0). */
  charsFor(tokens: number): number;
}

/**
 * @param tokenEnds where each token of the chunk ends, in characters from the chunk's start
 *   (ascending; as many as `count`, the last at `length`). Ignored when it does not fit.
 */
export function chunkTokenPositions(length: number, count: number, tokenEnds?: readonly number[]): ChunkTokenPositions {
  const ends = tokenEnds !== undefined && fits(tokenEnds, length, count) ? tokenEnds : null;
  if (ends === null || ends.length === 0) {
    return {
      tokensAt: (offset) => (length === 0 ? count : (count * offset) / length),
      charsFor: (tokens) => (count <= 0 || length === 0 ? 0 : clamp(Math.ceil((tokens / count) * length), length)),
    };
  }
  const startOf = (i: number): number => (i === 0 ? 0 : (ends[i - 1] ?? 0));
  return {
    tokensAt(offset) {
      const i = tokensBefore(ends, offset);
      if (i >= ends.length) return ends.length;
      const from = startOf(i);
      const size = (ends[i] ?? from) - from;
      return i + (size === 0 ? 1 : (offset - from) / size);
    },
    charsFor(tokens) {
      if (tokens <= 0) return 0;
      const i = Math.min(ends.length - 1, Math.ceil(tokens) - 1);
      const from = startOf(i);
      const size = (ends[i] ?? from) - from;
      return clamp(from + Math.ceil((tokens - i) * size), length);
    },
  };
}

function fits(ends: readonly number[], length: number, count: number): boolean {
  if (ends.length !== count || (count > 0 && ends[count - 1] !== length)) return false;
  for (let i = 1; i < ends.length; i++) if ((ends[i] ?? 0) < (ends[i - 1] ?? 0)) return false;
  return true;
}

/** Tokens whose end lies at or before `offset`, i.e. the index of the first token ending after it (binary search in ascending `ends`). */
export function tokensBefore(ends: readonly number[], offset: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ends[mid] ?? Infinity) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clamp(chars: number, length: number): number {
  return Math.max(0, Math.min(length, chars));
}
