/**
 * DEER-style probe: with the thinking closed, let the model write a short trial answer greedily,
 * read the probability of each token it picks, then roll the sequence back so the thinking
 * continues as if nothing happened. The probe's cost is every token it evaluated.
 */
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";

export interface ProbeOutcome {
  /** Geometric mean of the trial answer's token probabilities, in [0, 1]. */
  readonly confidence: number;
  readonly answer: string;
  /** Tokens evaluated for the probe (the closing text and the trial answer). */
  readonly evaluated: number;
}

export interface ProbeOptions {
  readonly maxAnswerTokens: number;
  readonly stopTexts: readonly string[];
}

/** Evaluates `trial` (the text that closes the thinking) and up to `maxAnswerTokens` of answer, then erases it all. */
export async function runProbe(sequence: LlamaContextSequence, model: LlamaModel, trial: Token[], options: ProbeOptions): Promise<ProbeOutcome> {
  const start = sequence.nextTokenIndex;
  const decoded = (): number => sequence.tokenMeter.usedInputTokens + sequence.tokenMeter.usedOutputTokens;
  const meterBefore = decoded();
  const tokens: Token[] = [];
  const logs: number[] = [];
  const iterator = sequence.evaluateWithMetadata(trial, { confidence: true }, { temperature: 0 });
  try {
    for (let step = 0; step < options.maxAnswerTokens; step++) {
      const next = await iterator.next();
      if (next.done) break;
      const { token, confidence } = next.value;
      tokens.push(token);
      logs.push(Math.log(Math.max(1e-12, confidence)));
      const text = model.detokenize(tokens, false);
      if (options.stopTexts.some((s) => s.length > 0 && text.includes(s))) break;
      if (/\n\s*\n/.test(text.trim()) || (text.trim().length > 0 && text.endsWith("\n"))) break;
    }
  } finally {
    await iterator.return();
  }
  const evaluated = decoded() - meterBefore;
  await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
  const confidence = logs.length === 0 ? 0 : Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
  return { confidence: Math.min(1, Math.max(0, confidence)), answer: model.detokenize(tokens, false).trim(), evaluated };
}
