/**
 * The answers one thinking step states, explicit ones ("the answer is 18", `\boxed{18}`) and
 * implicit ones (a computation that ends in `= 18`, "So she makes $18 a day", "option C is
 * correct"). Implicit statements ignore numbers that the question itself gives: restating a
 * given quantity is not an answer.
 */
import type { AnswerStatement } from "./extract";
import { choiceClaims } from "./claims";
import { boxedStatements, isExplicit, phraseStatements } from "./extract";
import type { AnswerFormat } from "./format";
import { canonicalNumber, parseNumber } from "./numbers";
import { outputStatements } from "./outputStatements";
import { findNumbers } from "./scan";
import { namesTarget } from "./target";
import { foldFullWidth } from "./width";

export interface StatementContext {
  readonly format: AnswerFormat;
  /** Canonical numbers written in the question (see {@link givenNumbers}). */
  readonly given?: ReadonlySet<string>;
  /** Stems of what the question asks for (see {@link questionTarget}); implied statements are marked `targeted`. */
  readonly target?: readonly string[];
  /** Format `output`: the output keys of values the question gives (outputQuestion.ts `givenOutputValues`). */
  readonly givenOutputs?: ReadonlySet<string>;
}

/** The numbers a question gives, canonical (`$19.50` → `19.5`). */
export function givenNumbers(question: string): Set<string> {
  return new Set(findNumbers(foldFullWidth(question)).map((n) => n.value));
}

/** Sentences of a step: split after `.`/`!`/`?` followed by a space, and at line ends. */
function sentences(step: string): { text: string; end: number }[] {
  const out: { text: string; end: number }[] = [];
  const re = /[.!?](?=\s)|\n/g;
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(step)) !== null) {
    const end = m.index + m[0].length;
    if (end > from) out.push({ text: step.slice(from, end), end });
    from = end;
  }
  if (from < step.length) out.push({ text: step.slice(from), end: step.length });
  return out;
}

/** LaTeX and words that may appear in a pure computation (`3 \times 4`, `78 divided by 3`), replaced by an operator. */
const ARITHMETIC_WORDS = /\\(?:times|cdot|div)|\b(?:times|divided\s+by|plus|minus|multiplied\s+by)\b|×|÷|(?<=\d\s*)\b[xX]\b(?=\s*\d)/g;
const ARITHMETIC_DROP = /\\(?:left|right|[dt]?frac|text\s*\{[^{}]*\}|mathrm\s*\{[^{}]*\}|[,;!: ])|[$€£{}]|\\\$|\\\(|\\\[/g;
/** "60 miles / 6 hours": unit words right after a number, before an operator. */
const UNIT_AFTER_NUMBER = /(\d)\s+[A-Za-z][A-Za-z/]*(?:\s+[A-Za-z]+)?(?=\s*(?:[-+*/^)]|$))/g;
/** "50 (original) + 20 (from Johanna)": labels in parentheses between the numbers of a computation. */
const PARENTHETICAL_LABEL = /\((?=[^()]*[A-Za-z]{2})[^()\d=]{1,40}\)/g;
const ARITHMETIC_TAIL = /[\d\s.,+\-*/^()]*$/;
const RESULT = /=\s*(?:\\\$|\$|\*\*)?\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d.,]*\d)(?!\s*(?:[-+*/×÷^]|\\times|\\cdot|\\div)\s*[\d(\\])(?!\s*\(?\s*\\?p?mod\b)/g;

/** `16 - 7 = 9`: a computation on numbers only (no variables) right before the `=`, ending in a number. */
function resultOf(sentence: string): { value: string; at: number } | null {
  let found: { value: string; at: number } | null = null;
  RESULT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RESULT.exec(sentence)) !== null) {
    const lhs = sentence
      .slice(0, m.index)
      .replace(PARENTHETICAL_LABEL, " ")
      .replace(ARITHMETIC_WORDS, "*")
      .replace(ARITHMETIC_DROP, " ")
      .replace(UNIT_AFTER_NUMBER, "$1");
    const run = ARITHMETIC_TAIL.exec(lhs)?.[0] ?? "";
    const before = lhs.slice(0, lhs.length - run.length);
    // a variable glued to the computation ("x^2 - 4", "a_1 + 3"), not "So, 36 - 15"
    const glued = run.length > 0 && /^[\d.(^]/.test(run) && /[A-Za-z_^]$/.test(before);
    if (glued || run.trimStart().startsWith("^")) continue; // x^2 - 4 = 0, a_1 + 3 = 5
    if (!/\d\s*\)?\s*[-+*/^]\s*\(?\s*\d/.test(run)) continue;
    const v = parseNumber(m[1] ?? "");
    if (v !== null) found = { value: canonicalNumber(v), at: m.index + m[0].length };
  }
  return found;
}

const CONCLUSION_OPENER =
  /^\W*(?:(?:wait|okay|ok|yes|yep|hmm|right|alright)\W+)*(?:so|therefore|thus|hence|that\s+means|this\s+means|which\s+means|in\s+total|altogether|overall|finally|that\s+gives|so\s+yes|so\s+overall)\b/i;
const RESULT_VERB =
  /(?:\b(?:is|are|was|were|equals|gives|get|gets|got|makes|made|costs|earns|earned|pays|paid|spends|spent|needs|has|have|had|as|be|totals?|comes\s+to|left\s+with)\b)\s*(?:a\s+total\s+of\s+|about\s+|approximately\s+)?(?:\\\$|\$|\*\*|\\\()?\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d.,]*\d)(?:\s+(?:and\s+)?(\d+\s*\/\s*\d+|a\s+half|one\s+half)\b)?(?!\s*(?:[-+*/×÷^]|\\times|\\cdot)\s*(?:\\?\$)?\s*\d)(?!\s*\(?\s*\\?p?mod\b)/gi;

/** "137", "137 and 1/2", "2 and a half": a whole number with an optional fraction after it. */
function mixedValue(whole: string, part: string | undefined): number | null {
  const w = parseNumber(whole);
  if (w === null || part === undefined) return w;
  const frac = /half/i.test(part) ? 0.5 : parseNumber(part.replace(/\s+/g, ""));
  if (frac === null || frac >= 1 || !Number.isInteger(w)) return w;
  return w < 0 ? w - frac : w + frac;
}

/** "So she makes $18 every day.": the number after the last result verb of a concluding sentence. */
function conclusionOf(sentence: string): { value: string; at: number } | null {
  if (!CONCLUSION_OPENER.test(sentence)) return null;
  let found: { value: string; at: number } | null = null;
  RESULT_VERB.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RESULT_VERB.exec(sentence)) !== null) {
    const v = mixedValue(m[1] ?? "", m[2]);
    if (v !== null) found = { value: canonicalNumber(v), at: m.index + m[0].length };
  }
  return found;
}

function numericImplicit(step: string, given: ReadonlySet<string> | undefined): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  let offset = 0;
  for (const s of sentences(step)) {
    const start = s.end - s.text.length;
    offset = start;
    const fresh = (x: { value: string; at: number } | null): { value: string; at: number } | null => (x !== null && given?.has(x.value) ? null : x);
    const result = fresh(resultOf(s.text));
    const conclusion = fresh(conclusionOf(s.text));
    const pick = result !== null && (conclusion === null || result.at >= conclusion.at) ? result : conclusion;
    if (pick === null) continue;
    out.push({ value: pick.value, kind: pick === result ? "result" : "conclusion", end: offset + pick.at });
  }
  return out;
}

/** Every answer statement in a step, ordered by position. */
export function extractStatements(stepText: string, context: StatementContext | AnswerFormat): AnswerStatement[] {
  const step = foldFullWidth(stepText);
  const ctx: StatementContext = typeof context === "string" ? { format: context } : context;
  // program outputs are read unfolded: full-width characters inside a string literal are its value
  if (ctx.format === "output") return outputStatements(stepText, ctx.givenOutputs);
  // code is drafted, not stated as a value: the detector reads drafts (answers/code) itself
  if (ctx.format === "code") return [];
  const found = [...boxedStatements(step, ctx.format), ...phraseStatements(step, ctx.format, true)];
  if (ctx.format === "choice") found.push(...choiceClaims(step));
  else if (ctx.format === "number" || ctx.format === "auto" || ctx.format === "math") found.push(...numericImplicit(step, ctx.given));
  const targeted = ctx.target === undefined ? undefined : namesTarget(step, ctx.target);
  const marked = targeted === undefined ? found : found.map((s) => (isExplicit(s.kind) ? s : { ...s, targeted }));
  return marked.sort((a, b) => a.end - b.end);
}
