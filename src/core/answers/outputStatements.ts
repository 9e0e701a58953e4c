/**
 * What a thinking step says a program returns or prints, for questions whose answer is a Python
 * literal (CRUXEval's "complete the assert statement with the output"). Only values that parse as
 * Python literals count; `value` is the literal exactly as written in the step.
 *
 * How a statement is classed:
 * - explicit (`phrase`): a named answer — "the answer is X", "the (final/correct/expected) output
 *   is X", "the output of f(…) should be X", "the return value is X", "the right-hand side is X",
 *   "the missing part is X", an assert completed with a value (`assert f(…) == X`, "the assert
 *   should be f(…) == X", "the assert should check against X");
 * - implicit `conclusion`: a value after a result verb or copula in a concluding sentence or
 *   clause ("So …", "Therefore …", "…, so the list is X") or in a sentence about the program's
 *   result ("f(…) returns X", "the function will return X", "the result is X", "so f(…) == X");
 *   also a code span or fenced block holding only a literal after such a sentence;
 * - implicit `result`: any other value some operation produces ("… returns X", "becomes X",
 *   "→ X", "x = X", "Fourth: X", a step that is only a literal), or one in a hypothetical
 *   sentence ("If the input were …"): often an intermediate value.
 * Implicit statements carry `targeted`: whether their sentence is about the program's result
 * (names the function, its output, result or return value) rather than a step inside it.
 * Implicit statements of a value the question gives (the function's input) are dropped, as
 * numbers given in a math question are (statements.ts). Cues inside quoted strings are ignored.
 */
import type { AnswerStatement, StatementKind } from "./statement";
import { lastClause, ProseStep } from "./outputProse";
import type { LiteralInText } from "./pythonLiteral";
import { readLiteralAt } from "./pythonLiteral";
import { outputKey } from "./pythonValue";

/** A type word, not a call (`set()`, `list('ab')` are not "the set", "the list"). */
const TYPE_NOUN = String.raw`(?:string|list|tuple|dict(?:ionary)?|set|value|integer|int|number|boolean|float|array)\b(?!\s*\()`;
/** Words between a cue and its literal: blanks, a colon, bold, "the string", "simply". */
const LEAD_IN = new RegExp(
  String.raw`(?:\s|:|\*\*|\$|(?:the|a|an)\s+(?=(?:(?:new|final|resulting|empty|same)\s+)?${TYPE_NOUN})|(?:new|final|resulting|empty|same)\s+(?=${TYPE_NOUN})|${TYPE_NOUN}|(?:simply|just|still|now|then|also|actually|exactly|indeed|probably|likely|definitely)\b)*`,
  "iy",
);
/** A code span or fence opening right before a literal. */
const CODE_OPEN = /`(?!`)|```[\w+-]*[ \t]*\n/y;
/** What may start a literal (a lookahead): a quote, a bracket, a digit, a sign, a constant, a string prefix. */
const LITERAL_AHEAD = String.raw`(?=\s*(?:\*\*|\x60)?\s*(?:['"[({\d.-]|True\b|False\b|None\b|set\(|[rRbBuU]{1,2}['"]))`;

/** Explicit cues. Each match ends where the literal may start. */
const ANSWER_NOUN = String.raw`(?:(?:the|its|an?|my|final|correct|expected|actual|function's)\s+)+(?:(?:final|correct|expected|actual|program's|function's)\s+)*(?:answer|output|return(?:ed)?\s+value|(?:expected|correct|final)\s+value|right[-\s]hand\s+side|rhs|missing\s+(?:part|value|piece|output)|completion)`;
/** Words that turn what follows into the program's input: "… when the input is X", "calling f with X". */
const NAMES_INPUT = String.raw`(?!\b(?:when|where|input|inputs|argument|arguments|called|calling|given|parameters?|test\s+case)\b)`;
/** "of f('a.b')", "for this call": where the named answer comes from. */
const BRIDGE = String.raw`(?:\s+(?:of|for|from|after|in|here|now)\b(?:${NAMES_INPUT}(?:[^.!?\n]|\.(?!\s))){0,100}?)?`;
const COPULA = String.raw`\s*(?:,\s*)?(?:is|are|should\s+be|would\s+be|will\s+be|must\s+be|becomes|equals|=|==|:)(?![\w=])`;
const EXPLICIT_PHRASE = new RegExp(String.raw`\b${ANSWER_NOUN}${BRIDGE}${COPULA}`, "gi");
/** "the assert should check against X", "the assert should have X", "complete the assert with X". */
const ASSERT_WORDS = new RegExp(
  String.raw`\bassert(?:ion)?(?:\s+statement)?\b(?:${NAMES_INPUT}(?:[^.!?\n=]|\.(?!\s))){0,80}?\b(?:against|with|to|be|is|as|have)\b${LITERAL_AHEAD}`,
  "gi",
);
const ASSERT_WORD = /\bassert(?:ion)?\b/i;

/** Implicit cues: a result verb, a copula, `==`, `=`, an arrow, a colon after a word. */
const RESULT_CUE = new RegExp(
  [
    String.raw`\b(?:returns|returned|returning|(?:will|would|should|must|to)\s+return|outputs|evaluates\s+to|results?\s+in|resulting\s+in|gives|giving|becomes|became|equals|mak(?:es|ing)(?:\s+it)?|is|are|was|should\s+be|would\s+be|will\s+be|must\s+be|be)\b`,
    String.raw`\b(?:that|it|this|which)['’]s\b`,
    String.raw`==|(?<![=!<>+\-*/%])=(?!=)|→|->|=>`,
    String.raw`(?<=[A-Za-z)])\s*:(?=[ \t\n])`,
  ].join("|"),
  "gi",
);

const CONCLUSION_OPENER =
  /^\W*(?:(?:wait|okay|ok|yes|yep|hmm|right|alright|and|but)\W+)*(?:so|therefore|thus|hence|then|that\s+means|this\s+means|which\s+means|finally|in\s+conclusion|putting\s+(?:it|them|everything|this)?\s*(?:all\s+)?together|overall|in\s+the\s+end|in\s+this\s+case|the\s+final)\b/i;
/**
 * Words that make a named answer tentative: "I think the output is …", "probably", "might", or a
 * question mark before the answer in its sentence. ("maybe" and "perhaps" are left out: on the
 * recorded traces they hedge the reasoning around a settled answer; marking them cost 0.3 points
 * of cut and avoided no wrong brake.)
 */
const TENTATIVE = /\b(?:i\s+(?:think|guess|believe|suspect)|probably|might|presumably)\b|\?/i;
/** The same after the answer, up to the end of its sentence: "… is 3, I guess". */
const TENTATIVE_AFTER = /^[^.!?\n]{0,60}?\b(?:i\s+(?:think|guess|believe|suspect)|probably|presumably)\b/i;
/**
 * Doubt later in the same step: "the output is 'a\\tb'? Wait, no, that's not right." A question
 * mark alone is not doubt — QwQ ends most of its conclusions with one ("So the answer should be
 * 3?") and is right; marking those cost a point of cut on program outputs.
 */
const DOUBT_AFTER = /\b(?:wait|hmm|hold\s+on|actually|mistake|wrong)\b|\bno\s*[,.!]|\bnot\s+(?:right|correct|sure)\b/i;
/** A sentence about something other than what happens: "If the input were …", "For example, …". */
const HYPOTHETICAL = /^\W*(?:if|suppose|supposing|assuming|assume|for\s+example|for\s+instance|e\.g\.|say|imagine|like)\b/i;
/** A sentence about the program's result, not a step inside it. */
const ABOUT_RESULT =
  /\b(?:the\s+function|function\s+(?:returns|will|would|should)|output|result|return(?:ed)?\s+value|returns|returned|final\s+(?:string|list|tuple|dict(?:ionary)?|set|value|text|array|result))\b|\b[A-Za-z_]\w*\s*\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)\s*(?:==|→|->|(?:returns|would|will|should|is)\b)/i;
/** The cue's subject is the program's input: "the input is X", "called with X". */
const ABOUT_INPUT = /\b(?:input|inputs|argument|arguments|parameters?|called\s+with|calling\s+\w+\s+with|given|test\s+case)\b[^,;]{0,30}$/i;
/** A method's or builtin's own result ("s.count('a') returns 2", "len(x) is 3"): not the program's. */
const INNER_CALL = /(?:\.\s*[A-Za-z_]\w*|\b(?:len|str|int|sorted|list|tuple|set|dict|sum|max|min|ord|chr|range|abs|round)\s*)\([^()\n]*\)\s*(?:==|returns|would|will|should|is|gives|→|->)\s*$/;

/** Words that may follow a number and still leave it the stated value ("returns 3 because …"). */
const AFTER_NUMBER_WORD =
  /^(?:because|since|as|and|so|which|but|here|in|for|when|then|now|too|also|instead|not|right|correct|though|this|that|is|was|would|will|should|at|on|from|after|before|regardless|anyway|again|with|without|even|yes|no|i|we|it|the|correctly|exactly|only|case|there|hmm|wait|okay|ok)\b/i;
/**
 * After the literal: it is an operand, a source or a part, not the result ("'a' + 'b'",
 * "'ab'.upper()", "[1][0]", "'a' → 'b'", "3 or 4", "'ab' followed by '#'", "'a', 'b'").
 */
const OPERAND_AFTER =
  /^(?:[+*/%<>=&|^@\]}]|-(?!\s+[A-Za-z])|→|\.(?=[A-Za-z_])|\s*(?:or|if|else|for|x|followed|plus|minus|concatenated|repeated|times|with|without|except)\b|\s*[,;]\s*(?=['"[({\d]|-\d))/i;

/** Whether the literal stands as a stated value given what follows it. */
function standsAlone(step: string, lit: LiteralInText, closeEnd: number): boolean {
  const raw = step.slice(closeEnd, closeEnd + 40);
  const attached = raw.charAt(0);
  if (attached === "(" || attached === "[") return false;
  const after = raw.replace(/^[ \t]+/, "");
  if (!after.startsWith("**") && OPERAND_AFTER.test(after)) return false;
  const v = lit.value;
  const number = v.type === "int" || v.type === "float" || v.type === "complex" || v.type === "bool";
  return !(number && /^[A-Za-z]/.test(after) && !AFTER_NUMBER_WORD.test(after));
}

/** The literal after lead-in words and an opening code span at `from`, with where its wrapper closes. */
function literalAfter(step: string, from: number): { lit: LiteralInText; closeEnd: number } | null {
  LEAD_IN.lastIndex = from;
  let at = from + (LEAD_IN.exec(step)?.[0].length ?? 0);
  CODE_OPEN.lastIndex = at;
  const open = CODE_OPEN.exec(step)?.[0];
  if (open !== undefined) at += open.length;
  const lit = readLiteralAt(step, at);
  if (lit === null) return null;
  if (open === undefined) return { lit, closeEnd: lit.end };
  const close = (open === "`" ? /^`/ : /^\s*```/).exec(step.slice(lit.end, lit.end + 8));
  return close === null ? null : { lit, closeEnd: lit.end + close[0].length };
}

type AddCue = (at: number, kind: StatementKind, targeted: boolean, tentative?: boolean) => void;

/** Whether the sentence leading up to a named answer hedges or supposes it. */
function saysTentatively(sentenceBefore: string): boolean {
  return TENTATIVE.test(sentenceBefore) || HYPOTHETICAL.test(sentenceBefore);
}

function explicitCues(step: ProseStep, add: AddCue): void {
  for (const re of [EXPLICIT_PHRASE, ASSERT_WORDS]) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(step.text)) !== null) {
      if (step.insideQuote(m.index)) continue;
      // "the output of s.find('a') is 3": a method's result, not the program's
      const inner = re === EXPLICIT_PHRASE && /\.\s*[A-Za-z_]\w*\s*\(/.test(m[0]);
      add(m.index + m[0].length, inner ? "result" : "phrase", true, saysTentatively(step.sentenceAt(m.index).text));
    }
  }
}

/** `== X` where the sentence has an assert before it: explicit; other `==` are implicit cues. */
function assertCues(step: ProseStep, add: AddCue): void {
  const equals = /(?<![=!<>])==(?!=)/g;
  let m: RegExpExecArray | null;
  while ((m = equals.exec(step.text)) !== null) {
    if (step.insideQuote(m.index)) continue;
    const sentence = step.sentenceAt(m.index).text;
    if (ASSERT_WORD.test(sentence)) add(m.index + 2, "phrase", true, saysTentatively(sentence));
  }
}

function implicitCues(step: ProseStep, add: AddCue): void {
  RESULT_CUE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RESULT_CUE.exec(step.text)) !== null) {
    if (step.insideQuote(m.index)) continue;
    const at = m.index + m[0].length;
    const sentence = step.sentenceAt(m.index);
    const clause = lastClause(sentence.text);
    const upToCue = step.text.slice(sentence.start, at);
    const hypothetical = HYPOTHETICAL.test(sentence.text) || HYPOTHETICAL.test(clause);
    const inner = INNER_CALL.test(upToCue) || ABOUT_INPUT.test(upToCue);
    const targeted = !inner && !hypothetical && ABOUT_RESULT.test(upToCue);
    const concluding = !hypothetical && (CONCLUSION_OPENER.test(sentence.text) || CONCLUSION_OPENER.test(clause));
    // outside a concluding sentence or one about the result, "x is 3" is at most an intermediate value
    add(at, !inner && (concluding || targeted) ? "conclusion" : "result", targeted);
  }
}

/**
 * Literals shown as code: a step that is nothing but a literal (bare or fenced: `result`), a code
 * span ending a concluding sentence or one about the result, a fenced block after one.
 */
function codeCues(step: ProseStep, add: AddCue): void {
  const text = step.text;
  const body = /^\s*(?:```[\w+-]*[ \t]*\n)?/.exec(text)?.[0].length ?? 0;
  const whole = readLiteralAt(text, body);
  if (whole !== null && /^\s*(?:```\s*)?[.;]?\s*$/.test(text.slice(whole.end))) add(body, "result", false);
  const code = /`(?!`)[^`\n]+`(?=[.!?:]?(?:\s|$))|```[\w+-]*[ \t]*\n/g;
  let m: RegExpExecArray | null;
  while ((m = code.exec(text)) !== null) {
    if (m.index === 0 || step.insideQuote(m.index)) continue;
    // a fence opens a line: its sentence is the one the line before ends
    const sentence = step.sentenceAt(m.index).text || step.sentenceAt(m.index - 1).text;
    const targeted = ABOUT_RESULT.test(sentence);
    if (targeted || CONCLUSION_OPENER.test(sentence)) add(m.index, "conclusion", targeted);
  }
}

interface Found {
  readonly lit: LiteralInText;
  readonly kind: StatementKind;
  readonly targeted: boolean;
  readonly tentative: boolean;
}

const KIND_STRENGTH: Readonly<Record<StatementKind, number>> = { result: 0, claim: 1, conclusion: 2, phrase: 3, boxed: 4 };

/**
 * The output statements in one thinking step, ordered by position. `given` holds the
 * {@link outputKey}s of values the question gives (see outputQuestion.ts `givenOutputValues`).
 */
export function outputStatements(text: string, given?: ReadonlySet<string>): AnswerStatement[] {
  const step = new ProseStep(text);
  const byStart = new Map<number, Found>();
  const add: AddCue = (at, kind, targeted, tentative = false) => {
    const read = literalAfter(text, at);
    if (read === null || step.insideQuote(read.lit.start) || !standsAlone(text, read.lit, read.closeEnd)) return;
    const known = byStart.get(read.lit.start);
    if (known !== undefined && KIND_STRENGTH[known.kind] >= KIND_STRENGTH[kind]) return;
    const unsure =
      kind === "phrase" &&
      (tentative ||
        TENTATIVE.test(text.slice(at, read.lit.start)) ||
        TENTATIVE_AFTER.test(text.slice(read.closeEnd, read.closeEnd + 80)) ||
        DOUBT_AFTER.test(text.slice(read.closeEnd)));
    byStart.set(read.lit.start, { lit: read.lit, kind, targeted: targeted || (known?.targeted ?? false), tentative: unsure });
  };
  explicitCues(step, add);
  assertCues(step, add);
  implicitCues(step, add);
  codeCues(step, add);
  const out: AnswerStatement[] = [];
  for (const f of byStart.values()) {
    const explicit = f.kind === "phrase";
    if (!explicit && given?.has(outputKey(f.lit.value))) continue;
    const value = text.slice(f.lit.start, f.lit.end);
    out.push(explicit ? { value, kind: f.kind, end: f.lit.end, ...(f.tentative ? { tentative: true } : {}) } : { value, kind: f.kind, end: f.lit.end, targeted: f.targeted });
  }
  return out.sort((a, b) => a.end - b.end);
}
