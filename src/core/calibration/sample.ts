/**
 * How the built-in calibration sets (assets/calibration) are drawn from the source datasets:
 * every line of the source is read in file order, shuffled with {@link SAMPLE_SEED}
 * (random.ts: mulberry32 + Fisher–Yates), and the first `n` are kept, in shuffled order.
 */
import type { CalibrationProblem } from "./problems";
import { gsm8kAnswer, outputQuestion, sampleProblems, SAMPLE_SEED } from "./problems";

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** GSM8K test lines `{question, answer}` → problems `gsm8k-test-<line index>`, gold the number after `####`. */
export function sampleGsm8k(text: string, n: number, seed = SAMPLE_SEED): CalibrationProblem[] {
  const all = jsonLines(text).map((v, i): CalibrationProblem | null => {
    const answer = typeof v.answer === "string" ? gsm8kAnswer(v.answer) : null;
    return typeof v.question === "string" && answer !== null ? { id: `gsm8k-test-${i}`, question: v.question, answer, kind: "math" } : null;
  });
  return sampleProblems(all, n, seed).filter((p): p is CalibrationProblem => p !== null);
}

/** CRUXEval lines `{code, input, output, id}` → output-prediction problems `cruxeval-<id>`. */
export function sampleCruxeval(text: string, n: number, seed = SAMPLE_SEED): CalibrationProblem[] {
  const all = jsonLines(text).map((v): CalibrationProblem | null =>
    typeof v.code === "string" && typeof v.input === "string" && typeof v.output === "string" && typeof v.id === "string"
      ? { id: `cruxeval-${v.id}`, question: outputQuestion(v.code, v.input), answer: v.output, kind: "output" }
      : null,
  );
  return sampleProblems(all, n, seed).filter((p): p is CalibrationProblem => p !== null);
}
