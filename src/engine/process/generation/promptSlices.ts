/**
 * Evaluates a long prompt in slices so that Stop is honoured while it is read: llama.cpp cannot
 * be interrupted inside one evaluation, and a whole pasted file evaluated at once kept Stop
 * waiting for a minute on a CPU.
 *
 * A slice costs a fixed overhead (one graph computation, thread barriers that stall on a busy
 * machine) plus its tokens, so small slices read slowly (on a loaded 2-core machine 16-token
 * slices read at 40 % of the speed of 512-token ones). The size doubles while a slice takes less
 * than half of {@link SLICE_TARGET_MS} and halves only when one takes more than half as long
 * again, so a noisy machine does not drift to tiny slices. A GPU or an idle CPU ends up reading
 * in full batches; a loaded CPU in the largest slices that still stop in time.
 * (bench/stop.ts measures both the latency and the reading speed.)
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** How long a slice should take: Stop waits about this long (plus the current token), at most half as long again. */
export const SLICE_TARGET_MS = 500;
/** The first slice, before any speed is known. */
const FIRST_SLICE_TOKENS = 64;
const MIN_SLICE_TOKENS = 16;

export interface PromptSliceOptions {
  readonly signal?: AbortSignal;
  /** The context's batch size: no slice is larger. */
  readonly maxSliceTokens: number;
  /** After each slice: tokens of `tokens` evaluated so far. */
  readonly onProgress?: (evaluated: number) => void;
  readonly now?: () => number;
}

/** The next slice's size after one of `size` tokens took `ms`. */
export function nextSliceSize(size: number, ms: number, maxSliceTokens: number): number {
  const max = Math.max(MIN_SLICE_TOKENS, maxSliceTokens);
  if (ms < SLICE_TARGET_MS / 2) return Math.min(max, size * 2);
  if (ms > SLICE_TARGET_MS * 1.5) return Math.max(MIN_SLICE_TOKENS, Math.floor(size / 2));
  return Math.min(max, size);
}

/**
 * Evaluates all of `tokens` but the last slice into the cache and returns that last slice (the
 * generator evaluates it and samples the first token from its logits), or null when the signal
 * aborted the reading.
 */
export async function evaluatePromptInSlices(sequence: LlamaContextSequence, tokens: readonly Token[], options: PromptSliceOptions): Promise<Token[] | null> {
  const now = options.now ?? (() => performance.now());
  let size = Math.min(FIRST_SLICE_TOKENS, Math.max(MIN_SLICE_TOKENS, options.maxSliceTokens));
  let done = 0;
  while (tokens.length - done > size) {
    if (options.signal?.aborted) return null;
    const slice = tokens.slice(done, done + size);
    const started = now();
    await sequence.evaluateWithoutGeneratingNewTokens(slice);
    done += slice.length;
    options.onProgress?.(done);
    size = nextSliceSize(size, now() - started, options.maxSliceTokens);
  }
  if (options.signal?.aborted) return null;
  return tokens.slice(done);
}
