/**
 * Evaluates a long prompt in slices so that Stop is honoured while it is read: llama.cpp cannot
 * be interrupted inside one evaluation, and a whole pasted file evaluated at once kept Stop
 * waiting for a minute on a CPU. Each slice is sized from the speed of the one before to take
 * about {@link SLICE_TARGET_MS}, so a fast GPU reads in full batches and a slow CPU in small ones.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** How long one slice should take: Stop waits at most about this long (plus the current token). */
export const SLICE_TARGET_MS = 200;
/** The first slice, before any speed is known. */
const FIRST_SLICE_TOKENS = 64;
const MIN_SLICE_TOKENS = 8;

export interface PromptSliceOptions {
  readonly signal?: AbortSignal;
  /** The context's batch size: no slice is larger. */
  readonly maxSliceTokens: number;
  /** After each slice: tokens of `tokens` evaluated so far. */
  readonly onProgress?: (evaluated: number) => void;
  readonly now?: () => number;
}

/**
 * Evaluates all of `tokens` but the last slice into the cache and returns that last slice (the
 * generator evaluates it and samples the first token from its logits), or null when the signal
 * aborted the reading.
 */
export async function evaluatePromptInSlices(sequence: LlamaContextSequence, tokens: readonly Token[], options: PromptSliceOptions): Promise<Token[] | null> {
  const now = options.now ?? (() => performance.now());
  const max = Math.max(MIN_SLICE_TOKENS, options.maxSliceTokens);
  let size = Math.min(FIRST_SLICE_TOKENS, max);
  let done = 0;
  while (tokens.length - done > size) {
    if (options.signal?.aborted) return null;
    const slice = tokens.slice(done, done + size);
    const started = now();
    await sequence.evaluateWithoutGeneratingNewTokens(slice);
    const msPerToken = (now() - started) / slice.length;
    done += slice.length;
    options.onProgress?.(done);
    size = msPerToken > 0 ? Math.round(SLICE_TARGET_MS / msPerToken) : max;
    size = Math.min(max, Math.max(MIN_SLICE_TOKENS, size));
  }
  if (options.signal?.aborted) return null;
  return tokens.slice(done);
}
