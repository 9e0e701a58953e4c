/**
 * Answer extraction: the final answer of a whole response ({@link extractFinalAnswer}) and the
 * explicit answer statements (`\boxed{…}`, "the answer is …") that statements.ts builds on.
 */
import { choiceClaims } from "./claims";
import type { AnswerFormat } from "./format";
import { parseChoice } from "./format";
import { findBoxed } from "./latex";
import { canonicalNumber, parseNumber, stripNumberDecorations } from "./numbers";
import { extractFinalOutput } from "./outputAnswer";
import { findNumbers, firstLetter, firstNumber } from "./scan";
import { foldFullWidth } from "./width";

export type { AnswerStatement, StatementKind } from "./statement";
export { isExplicit } from "./statement";
import type { AnswerStatement } from "./statement";

const ANSWER_PHRASE =
  /\b(?:final\s+answer|(?:the\s+)?(?:correct\s+)?answer|correct\s+(?:option|choice))\s*(?:\([^)]{0,20}\)\s*)?(?:is|should\s+be|would\s+be|must\s+be|will\s+be|=|:)\s*:?\s*/gi;
const SENTENCE_END = /[.!?;](?=\s|$)|\n/;

/** Reads a value of the given format from the start of `text` (a boxed content or the words after "answer is"). */
function readValue(text: string, format: AnswerFormat, whole: boolean, strict = false): string | null {
  const t = text.trim();
  if (t.length === 0) return null;
  if (strict && !whole && !STRICT_LEAD[format === "choice" ? "choice" : format === "number" ? "number" : "math"].test(t)) return null;
  if (format === "choice") return parseChoice(t) ?? firstLetter(t);
  const n = parseNumber(t);
  // expressions keep their spelling ("9/256", "\frac{9}{256}"): it is what the thinking shows
  if (n !== null) return format === "math" && !Number.isInteger(n) ? t.replace(/[.。]$/, "").trim() : spelledNumber(t, n);
  if (format === "number") return numberOf(t, whole);
  if (whole) return t;
  const inline = /^(?:\$\$?|\\\(|\\\[)([^$]*?)(?:\$\$?|\\\)|\\\])/.exec(t);
  if (inline?.[1] !== undefined && inline[1].trim().length > 0) return readValue(inline[1], format, true);
  const bold = /^\*\*([^*]+)\*\*/.exec(t);
  if (bold?.[1] !== undefined) return readValue(bold[1], format, false);
  const sentence = t.split(SENTENCE_END)[0]?.trim() ?? "";
  if (sentence.length === 0 || sentence.length > 60 || /\b(?:the|that|this|we|not|a|an)\b/i.test(sentence)) return null;
  return sentence;
}

/**
 * In thinking, "the answer is …" only counts when the value follows at once ("the answer is
 * $18", "the answer is (C)"), not "the answer is small, but 2016 seems reasonable".
 */
const LEAD_FILLER = String.raw`(?:\*\*|\$|\\\(|\\\[|\\boxed\{|\\text\{|\(|:|option|choice|approximately|about|exactly|just|simply|then|probably|likely|indeed|still|actually|now|\s)*`;
const STRICT_LEAD = {
  number: new RegExp(String.raw`^${LEAD_FILLER}(?:[-−]?\\?\$?\s?\d|-?\\[dt]?frac|-?\\sqrt)`, "i"),
  math: new RegExp(String.raw`^${LEAD_FILLER}(?:[-−]?\\?\$?\s?\d|-?\\[dt]?frac|-?\\sqrt|-?\\pi|[a-z]\s*=|[-(\[{]?\s*[\d\\a-z])`, "i"),
  choice: new RegExp(String.raw`^${LEAD_FILLER}\(?[A-J]\)?(?![A-Za-z])`),
};

const DIGIT_GROUP_SPACING = /(\d),?(?:\\[,!]|\{,\}|\\ )(?=\d{3}(?!\d))/g;
const RESULT_SIGN = /=|\bequals\b|\\approx|≈|,?\s*which\s+(?:is|equals|gives)\b/g;
/** After a number: it is an operand, not the stated value ("2016 mod 1000", "12 divided by 4", "3 * 5"). */
const OPERAND_FOLLOWS = /^\s*(?:\\?\(?\s*\\?p?mod(?:ulo)?\b|divided\s+by\b|times\b|plus\b|minus\b|[-+*/×÷^]\s*\d|\\(?:times|cdot|div)\b)/i;

/**
 * The number a phrase states: the one after the last `=`/"equals" when there is one
 * ("1 + 1 equals 2"), otherwise the first ("18 dollars", "Billy sold 7 DVDs").
 */
function numberOf(text: string, whole: boolean): string | null {
  const t = text.replace(DIGIT_GROUP_SPACING, "$1");
  if (whole) {
    const v = parseNumber(t);
    if (v !== null) return canonicalNumber(v);
  }
  let from = 0;
  RESULT_SIGN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RESULT_SIGN.exec(t)) !== null) from = m.index + m[0].length;
  const rest = t.slice(from);
  const n = firstNumber(rest);
  if (n === null) {
    const first = firstNumber(t);
    return first === null ? null : spelledNumber(first.raw, Number(first.value));
  }
  return OPERAND_FOLLOWS.test(rest.slice(n.index + n.raw.length)) ? null : spelledNumber(n.raw, Number(n.value));
}

/** A fraction that is not a whole number keeps its spelling ("4/17", not 0.2352941176); other numbers are canonical. */
function spelledNumber(raw: string, value: number): string {
  return !Number.isInteger(value) && /\/|\\[dt]?frac/.test(raw) ? stripNumberDecorations(raw) : canonicalNumber(value);
}

function afterPhrase(text: string, from: number): string {
  const rest = text.slice(from, from + 120);
  const boxed = /^\s*\$*\s*\\boxed/.test(rest);
  if (boxed) return "";
  const end = rest.search(SENTENCE_END);
  return end >= 0 ? rest.slice(0, end) : rest;
}

/** Answers stated after "the answer is" / "Answer:" / "final answer:", in order. */
export function phraseStatements(text: string, format: AnswerFormat, strict = false): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  ANSWER_PHRASE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ANSWER_PHRASE.exec(text)) !== null) {
    const window = afterPhrase(text, m.index + m[0].length);
    const value = window.length > 0 ? readValue(window, format, false, strict) : null;
    if (value !== null) out.push({ value, kind: "phrase", end: m.index + m[0].length + window.length });
  }
  return out;
}

export function boxedStatements(text: string, format: AnswerFormat): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  for (const b of findBoxed(text)) {
    const value = readValue(b.content, format, true);
    if (value !== null) out.push({ value, kind: "boxed", end: b.end });
  }
  return out;
}

/** The final answer of a response (the text after `</think>`, or a whole answer), or null. */
export function extractFinalAnswer(response: string, format: AnswerFormat): string | null {
  if (format === "output") return extractFinalOutput(response);
  const text = foldFullWidth(response);
  const boxed = boxedStatements(text, format);
  const lastBoxed = boxed[boxed.length - 1];
  if (lastBoxed) return lastBoxed.value;
  const phrases = phraseStatements(text, format);
  const lastPhrase = phrases[phrases.length - 1];
  if (lastPhrase) return lastPhrase.value;
  if (format === "choice") return lastBoldLetter(text) ?? choiceClaims(text).pop()?.value ?? parseChoice(lastLine(text));
  const bold = lastBoldNumber(text);
  if (bold !== null) return bold;
  if (format === "number") {
    const eq = lastEquationResult(text);
    if (eq !== null) return eq;
    const all = findNumbers(text);
    return all[all.length - 1]?.value ?? null;
  }
  return null;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1]?.trim() ?? "";
}

function lastEquationResult(text: string): string | null {
  const all = [...text.matchAll(/=\s*\\?\$?\s*(-?\d[\d,]*(?:\.\d+)?)(?![\d.]*\d)/g)];
  const raw = all[all.length - 1]?.[1];
  const v = raw === undefined ? null : parseNumber(raw);
  return v === null ? null : canonicalNumber(v);
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
