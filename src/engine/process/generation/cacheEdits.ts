/**
 * The edits a brake, a probe and "Continue thinking" make to the KV cache of the sequence. The
 * thought already in the cache is never evaluated again: tokens are erased from the end only,
 * and what is kept stays untouched.
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import type { LedgerCut } from "./tokenLedger";
import type { Transcript } from "./transcript";

/** A cut of the thinking applied to the cache. */
export interface CacheCut extends LedgerCut {
  /** Kept tokens that were sampled but are not in the cache yet (they must be fed before anything else). */
  readonly keptUnfed: Token[];
  /** Tokens past the cut (generated, now dropped). */
  readonly dropped: Token[];
  /** How many of the dropped tokens had been evaluated into the cache (and were erased). */
  readonly droppedFed: number;
}

/** Erases the cache from `start` to its end; returns how many tokens were erased. */
export async function eraseFrom(sequence: LlamaContextSequence, start: number): Promise<number> {
  const end = sequence.nextTokenIndex;
  if (start >= end) return 0;
  await sequence.eraseContextTokenRanges([{ start, end }]);
  return end - start;
}

/** Cuts the thinking at a character offset: the cache entries of tokens past it are erased. */
export async function cutThinking(sequence: LlamaContextSequence, transcript: Transcript, charOffset: number, nextKvIndex: number): Promise<CacheCut> {
  const cut = transcript.cutAt(charOffset);
  const cached = sequence.nextTokenIndex;
  const keptUnfed: Token[] = [];
  for (let i = 0; i < cut.index; i++) if (transcript.kvIndex(i) >= cached) keptUnfed.push(...transcript.tokens(i, i + 1));
  const firstDroppedKv = cut.index < transcript.length ? transcript.kvIndex(cut.index) : nextKvIndex;
  const droppedFed = firstDroppedKv < cached ? await eraseFrom(sequence, firstDroppedKv) : 0;
  return { ...cut, keptUnfed, dropped: transcript.tokens(cut.index), droppedFed };
}

/**
 * Generation samples from the logits of the last evaluated token, which a finished evaluation
 * does not keep: the last token is taken out of the cache to be evaluated again. Returns it.
 */
export async function takeBackLastToken(sequence: LlamaContextSequence): Promise<Token[]> {
  const last = sequence.nextTokenIndex - 1;
  const token = sequence.contextTokens.slice(last);
  await eraseFrom(sequence, last);
  return token;
}

/**
 * Evaluates `feed` (kept thought tokens, then the cue and the end of thinking) in one batch and
 * samples two tokens from it: the thought's next token (after the last kept one, at index
 * `thoughtEnd - 1`), so that "Continue thinking" can resume without evaluating anything again,
 * and the answer's first token (after the last injected one).
 */
export async function injectAndSample(
  sequence: LlamaContextSequence,
  feed: readonly Token[],
  thoughtEnd: number,
  sampling: SequenceEvaluateOptions,
): Promise<{ readonly thoughtNext: Token | null; readonly answerFirst: Token | null }> {
  const sample = { token: true, options: sampling };
  const items: ControlledEvaluateInputItem[] = feed.map((token, i) => (i === thoughtEnd - 1 || i === feed.length - 1 ? [token, { generateNext: sample }] : token));
  const out = await sequence.controlledEvaluate(items);
  return { thoughtNext: out[thoughtEnd - 1]?.next.token ?? null, answerFirst: out[feed.length - 1]?.next.token ?? null };
}
