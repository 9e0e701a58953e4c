/**
 * Calibration problems: a question with a checkable answer. The built-in sets (assets/calibration)
 * are fixed samples of GSM8K and CRUXEval drawn with {@link sampleProblems}; a user's own JSONL of
 * `{id?, question, answer, kind?}` lines works the same way.
 */
import { inferAnswerFormat } from "../answers/format";
import { seededShuffle } from "./random";

/** `math`: a number (GSM8K); `output`: what a Python function returns, as a Python literal (CRUXEval). */
export type ProblemKind = "math" | "output";

export interface CalibrationProblem {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly kind: ProblemKind;
}

/** The seed the built-in samples were drawn with (see assets/calibration/README.md). */
export const SAMPLE_SEED = 20251;

/** The first `n` items of a seeded shuffle: a fixed, reproducible sample. */
export function sampleProblems<T>(items: readonly T[], n: number, seed = SAMPLE_SEED): T[] {
  return seededShuffle(items, seed).slice(0, Math.max(0, n));
}

/** The final answer of a GSM8K solution: the number after `####`, thousands separators removed. */
export function gsm8kAnswer(solution: string): string | null {
  const at = solution.lastIndexOf("####");
  if (at < 0) return null;
  const answer = solution.slice(at + 4).trim().replace(/,/g, "");
  return answer.length > 0 ? answer : null;
}

/** A CRUXEval output-prediction problem as the project asks it: the code, the call, "What does this return?". */
export function outputQuestion(code: string, input: string): string {
  return `\`\`\`python\n${code.trimEnd()}\n\`\`\`\n\nf(${input})\n\nWhat does this return?`;
}

/** The dataset name a recording of this kind carries (it selects the answer format in replay). */
export function datasetOf(kind: ProblemKind): string {
  return kind === "output" ? "cruxeval_output" : "gsm8k";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ParsedProblems {
  readonly problems: CalibrationProblem[];
  readonly skipped: { readonly line: number; readonly error: string }[];
}

/**
 * Parses a problems JSONL text. `kind` may be left out: a question that asks what a program
 * returns is `output`, anything else `math`. `id` may be left out: the line number is used.
 * Bad lines and duplicate ids are reported and skipped.
 */
export function parseProblems(text: string): ParsedProblems {
  const problems: CalibrationProblem[] = [];
  const skipped: { line: number; error: string }[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const fail = (error: string): void => void skipped.push({ line: i + 1, error });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return fail("malformed JSON");
    }
    if (!isObject(value)) return fail("not a JSON object");
    const { question, answer, kind } = value;
    if (typeof question !== "string" || question.trim().length === 0) return fail("question must be a non-empty string");
    if ((typeof answer !== "string" && typeof answer !== "number") || String(answer).trim().length === 0) return fail("answer must be a non-empty string or number");
    if (kind !== undefined && kind !== "math" && kind !== "output") return fail('kind must be "math" or "output"');
    const id = value.id === undefined ? `line-${i + 1}` : String(value.id);
    if (id.trim().length === 0) return fail("empty id");
    if (seen.has(id)) return fail(`duplicate id ${id}`);
    seen.add(id);
    const inferred: ProblemKind = inferAnswerFormat(undefined, question) === "output" ? "output" : "math";
    problems.push({ id, question, answer: String(answer), kind: kind ?? inferred });
  });
  return { problems, skipped };
}
