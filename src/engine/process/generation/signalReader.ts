/**
 * The model's own end-of-thinking signal, read at step boundaries at no extra evaluation.
 *
 * At a step boundary (the thinking ends with a blank line, right after a token) the model is
 * about to compute the distribution of the next token anyway: the token that completed the
 * boundary has been sampled but not yet evaluated. Instead of letting the token loop evaluate
 * it, the boundary token is evaluated here with `controlledEvaluate`, which samples the next
 * token (with the generation's own sampling options) *and* returns the next-token
 * probabilities in the same decode. The sampled token goes back to the loop as its next token,
 * so the thought continues exactly as it would have; one token is decoded either way.
 *
 * What is read: the probability of the end-of-thinking token (the thought's closing marker,
 * `</think>`, when the model has it as one token) and the top probability, from the
 * distribution the sampler draws from (at temperature 0 the model's softmax over the whole
 * vocabulary; at T > 0 node-llama-cpp's top-k 40 / top-p 0.95 cut, then softmax(logits / T),
 * where a token outside the cut reads 0).
 */
import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from "node-llama-cpp";

/** What the distribution after a step boundary said. */
export interface SignalReading {
  /** Probability that the end-of-thinking token comes next (0 when outside the sampler's cut). */
  readonly probability: number;
  /** Probability of the most likely next token. */
  readonly topProbability: number;
  /** The token sampled from the same distribution: the thought's next token (null: none sampled). */
  readonly next: Token | null;
}

/**
 * The token whose probability is the end-of-thinking signal: the closing marker (`</think>`)
 * tokenized with special tokens, when it is exactly one token. Null otherwise (a marker spelt
 * with several tokens has no single probability to read: the signal is then not read).
 */
export function endOfThinkingToken(model: { tokenize(text: string, specialTokens: boolean): Token[] }, closeMarker: string): Token | null {
  const tokens = model.tokenize(closeMarker, true);
  return tokens.length === 1 ? (tokens[0] ?? null) : null;
}

/**
 * Finds step boundaries in the thinking as it streams, the way the core detector's step
 * segmenter does: blank lines ("\n\n") matched left to right without overlap, so "\n\n\n\n" is
 * two boundaries and "\n\n\n" one. `push` says whether the text so far ends exactly at one.
 */
export class StepBoundaries {
  private length = 0;
  /** Where the last boundary ended (a blank line's end). */
  private lastEnd = 0;
  /** The last character pushed was a "\n" that may start a blank line. */
  private pendingNewline = false;

  /** Feeds thinking text; returns whether it now ends at a step boundary. */
  push(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const newline = text.charCodeAt(i) === 10;
      this.length++;
      if (newline && this.pendingNewline) {
        this.lastEnd = this.length;
        this.pendingNewline = false;
      } else {
        this.pendingNewline = newline;
      }
    }
    return text.length > 0 && this.lastEnd === this.length;
  }

  /** Starts over on a given thinking text (after a cut and "Continue thinking"). */
  reset(thinking = ""): void {
    this.length = 0;
    this.lastEnd = 0;
    this.pendingNewline = false;
    this.push(thinking);
  }
}

/**
 * Evaluates the boundary token (sampled, not yet in the cache) and reads the next-token
 * distribution in the same decode; the next token is sampled there too. The caller hands it to
 * its token loop instead of evaluating the boundary token itself.
 */
export async function evaluateReadingSignal(
  sequence: LlamaContextSequence,
  boundaryToken: Token,
  endToken: Token,
  sampling: SequenceEvaluateOptions,
): Promise<SignalReading> {
  const [out] = await sequence.controlledEvaluate([[boundaryToken, { generateNext: { token: true, probabilities: true, options: sampling } }]]);
  const probabilities = out?.next.probabilities;
  let topProbability = 0;
  if (probabilities) {
    // The map is sorted, most likely first.
    for (const p of probabilities.values()) {
      topProbability = p;
      break;
    }
  }
  return { probability: probabilities?.get(endToken) ?? 0, topProbability, next: out?.next.token ?? null };
}
