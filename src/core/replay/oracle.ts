/**
 * Ground-truth helpers for replay (they read the gold answer; the detector never does):
 * where the gold answer first appears in the thinking (the oracle brake), and which answer a
 * budget cut leaves the model with.
 */
import { answersEquivalent } from "../answers/equivalence";
import type { AnswerFormat } from "../answers/format";
import { parseChoice } from "../answers/format";
import { extractStatements } from "../answers/statements";
import { normalizeMath } from "../answers/normalize";
import { parseNumber, sameNumber } from "../answers/numbers";
import { findNumbers } from "../answers/scan";
import { splitSteps } from "../brake/steps";
import { finalCodeEnd } from "./gold";

function mentionsNumber(text: string, value: number): boolean {
  return findNumbers(text).some((n) => {
    const v = Number(n.value);
    return Number.isFinite(v) && sameNumber(v, value);
  });
}

function squash(s: string): string {
  return s.replace(/\s+|\\left|\\right|\\[!,]|\$/g, "");
}

/** Does this text mention the gold answer at all (any number equal to it, the letter as an option, the expression)? */
export function mentionsAnswer(text: string, gold: string, format: AnswerFormat): boolean {
  if (format === "choice") {
    // the gold is data: only a letter it spells ("A", "(A)", "A)") goes into the pattern
    const letter = parseChoice(gold);
    if (letter === null) return false;
    return new RegExp(`(?:option|answer|choice)\\W{0,3}\\(?${letter}\\b|\\(${letter}\\)`, "i").test(text);
  }
  const value = parseNumber(gold);
  if (value !== null && mentionsNumber(text, value)) return true;
  if (format === "number") return false;
  const g = squash(gold);
  return g.length > 0 && (squash(text).includes(g) || normalizeMath(text).includes(normalizeMath(gold)));
}

/** Does this step state the gold answer (as an answer statement, or — when the problem does not already contain it — as any mention)? */
export function stepStatesAnswer(step: string, gold: string, format: AnswerFormat, goldInProblem: boolean): boolean {
  // code: the step writes the final code out in full
  if (format === "code") return finalCodeEnd(step, gold) !== null;
  if (extractStatements(step, format).some((s) => answersEquivalent(s.value, gold, format))) return true;
  if (goldInProblem && format !== "choice") return false;
  return mentionsAnswer(step, gold, format);
}

/**
 * Kept length of the oracle brake: right after the first step stating the gold answer (null: never
 * stated). For code, `gold` is the final code, and the cut is after the step where it is first
 * written out in full (as the judge cuts: at the blank line after it).
 */
export function oracleCut(thinking: string, gold: string, format: AnswerFormat, problem: string | null): number | null {
  if (format === "code") {
    const end = finalCodeEnd(thinking, gold);
    if (end === null) return null;
    const blank = thinking.indexOf("\n\n", end);
    return blank < 0 ? thinking.length : blank + 2;
  }
  const inProblem = problem !== null && mentionsAnswer(problem, gold, format === "choice" ? "math" : format);
  for (const step of splitSteps(thinking)) {
    if (stepStatesAnswer(step.text, gold, format, inProblem)) return step.end;
  }
  return null;
}

/** The last answer stated in completed steps ending at or before each step end: for budget cuts. */
export function lastStatedAnswers(thinking: string, format: AnswerFormat): { readonly end: number; readonly answer: string | null }[] {
  let answer: string | null = null;
  return splitSteps(thinking).map((step) => {
    const found = extractStatements(step.text, format);
    const last = found[found.length - 1];
    if (last) answer = last.value;
    return { end: step.end, answer };
  });
}
