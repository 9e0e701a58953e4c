/**
 * Answer extraction: what answer does a piece of text state?
 * - {@link extractFinalAnswer}: the final answer of a whole response (after `</think>`).
 * - {@link extractStatements}: the answers one thinking step states, each with how strongly.
 */
import type { AnswerFormat } from "./format";
import { parseChoice } from "./format";
import { findBoxed } from "./latex";
import { canonicalNumber, parseNumber } from "./numbers";
import { findNumbers, firstLetter, firstNumber } from "./scan";

/** How an answer was stated: in a box, after "the answer is", or as a closing `= value`. */
export type StatementKind = "boxed" | "phrase" | "equation";

export interface AnswerStatement {
  /** The answer as the detector compares and reports it (numbers canonical, letters upper-case, expressions as written). */
  readonly value: string;
  readonly kind: StatementKind;
  /** Offset in the text just past the statement. */
  readonly end: number;
}

const ANSWER_PHRASE =
  /\b(?:final\s+answer|(?:the\s+)?(?:correct\s+)?answer|correct\s+(?:option|choice))\s*(?:\([^)]{0,20}\)\s*)?(?:is|should\s+be|would\s+be|must\s+be|will\s+be|=|:)\s*:?\s*/gi;
const SENTENCE_END = /[.!?;](?=\s|$)|\n/;

/** Reads a value of the given format from the start of `text` (a boxed content or the words after "answer is"). */
export function readValue(text: string, format: AnswerFormat, whole: boolean): string | null {
  const t = text.trim();
  if (t.length === 0) return null;
  if (format === "choice") return parseChoice(t) ?? firstLetter(t);
  const n = parseNumber(t);
  if (n !== null) return canonicalNumber(n);
  if (format === "number") {
    const first = firstNumber(t);
    return first === null ? null : first.value;
  }
  if (whole) return t;
  const inline = /^(?:\$\$?|\\\(|\\\[)([^$]*?)(?:\$\$?|\\\)|\\\])/.exec(t);
  if (inline?.[1] !== undefined && inline[1].trim().length > 0) return readValue(inline[1], format, true);
  const bold = /^\*\*([^*]+)\*\*/.exec(t);
  if (bold?.[1] !== undefined) return readValue(bold[1], format, false);
  const sentence = t.split(SENTENCE_END)[0]?.trim() ?? "";
  if (sentence.length === 0 || sentence.length > 60 || /\b(?:the|that|this|we|not|a|an)\b/i.test(sentence)) return null;
  return sentence;
}

function afterPhrase(text: string, from: number): string {
  const rest = text.slice(from, from + 120);
  const boxed = /^\s*\$*\s*\\boxed/.test(rest);
  if (boxed) return "";
  const end = rest.search(SENTENCE_END);
  return end >= 0 ? rest.slice(0, end) : rest;
}

/** Answers stated after "the answer is" / "Answer:" / "final answer:", in order. */
function phraseStatements(text: string, format: AnswerFormat): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  ANSWER_PHRASE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ANSWER_PHRASE.exec(text)) !== null) {
    const window = afterPhrase(text, m.index + m[0].length);
    const value = window.length > 0 ? readValue(window, format, false) : null;
    if (value !== null) out.push({ value, kind: "phrase", end: m.index + m[0].length + window.length });
  }
  return out;
}

function boxedStatements(text: string, format: AnswerFormat): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  for (const b of findBoxed(text)) {
    const value = readValue(b.content, format, true);
    if (value !== null) out.push({ value, kind: "boxed", end: b.end });
  }
  return out;
}

const CLOSING_EQUATION = /=\s*(?:\\\$|\$)?\s*(-?\d[\d,]*(?:\.\d+)?)\s*(?:\\%|%)?\s*(?:\\\]|\\\)|\$)?\s*[a-zA-Z%]*\s*[.!]?\s*$/;

/** A step that ends in `= 42` (numbers only). */
function equationStatement(step: string): AnswerStatement | null {
  const m = CLOSING_EQUATION.exec(step.trimEnd());
  if (!m?.[1]) return null;
  const v = parseNumber(m[1]);
  return v === null ? null : { value: canonicalNumber(v), kind: "equation", end: step.trimEnd().length };
}

/** The answers a thinking step states, ordered by position. */
export function extractStatements(step: string, format: AnswerFormat): AnswerStatement[] {
  const found = [...boxedStatements(step, format), ...phraseStatements(step, format)];
  if (found.length === 0 && format === "number") {
    const eq = equationStatement(step);
    if (eq) found.push(eq);
  }
  return found.sort((a, b) => a.end - b.end);
}

/** The final answer of a response (the text after `</think>`, or a whole answer), or null. */
export function extractFinalAnswer(text: string, format: AnswerFormat): string | null {
  const boxed = boxedStatements(text, format);
  const lastBoxed = boxed[boxed.length - 1];
  if (lastBoxed) return lastBoxed.value;
  const phrases = phraseStatements(text, format);
  const lastPhrase = phrases[phrases.length - 1];
  if (lastPhrase) return lastPhrase.value;
  if (format === "choice") return lastBoldLetter(text);
  const bold = lastBoldNumber(text);
  if (bold !== null) return bold;
  if (format === "number") {
    const all = findNumbers(text);
    return all[all.length - 1]?.value ?? null;
  }
  return null;
}

function lastBoldLetter(text: string): string | null {
  const bolds = [...text.matchAll(/\*\*([^*]{1,40})\*\*/g)];
  for (let i = bolds.length - 1; i >= 0; i--) {
    const letter = parseChoice(bolds[i]?.[1] ?? "");
    if (letter !== null) return letter;
  }
  const paren = [...text.matchAll(/\(([A-J])\)/g)];
  return paren[paren.length - 1]?.[1] ?? null;
}

function lastBoldNumber(text: string): string | null {
  const bolds = [...text.matchAll(/\*\*([^*]{1,60})\*\*/g)];
  for (let i = bolds.length - 1; i >= 0; i--) {
    const n = firstNumber(bolds[i]?.[1] ?? "");
    if (n !== null) return n.value;
  }
  return null;
}
