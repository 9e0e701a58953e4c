/**
 * Short code inside a line of prose: a backticked span, or a call or subscript (or a bracketed
 * literal that is assigned: `x = (a, b)`) written in a sentence ("… should be `sm.add_constant(X)`", "… so maybe LocalDate d = new LocalDate(); or …")
 * with what is attached to it — a chain of calls and members, `new`, an assignment, a declared
 * type that cannot be an English word, a binary operator and another code operand. A line that is
 * one such statement and nothing else is a whole-line snippet (there, any identifier may be the
 * declared type: `mpz_class seed(time(nullptr));`). Linear in the line's length: brackets are
 * matched in one pass and statements are read back through a bounded window.
 */

export interface SnippetSpan {
  /** Offsets in the line, `to` exclusive. */
  readonly from: number;
  readonly to: number;
  /** The span is the whole line (apart from indentation, a trailing `;` and a trailing comment). */
  readonly wholeLine: boolean;
  readonly backticked: boolean;
}

const isWord = (c: string | undefined): boolean => c !== undefined && /[\w$]/.test(c);
const isWordStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_$]/.test(c);

/**
 * For every opening bracket of the line, the index just past its matching closer (-1 when it has
 * none): one pass with a stack, so matching costs nothing per call site. Quotes are not
 * followed (prose has apostrophes); a bracket inside a string literal is rare in a snippet.
 */
function bracketPartners(s: string): Int32Array {
  const partners = new Int32Array(s.length).fill(-1);
  const stack: number[] = [];
  const opener: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? "";
    if (c === "(" || c === "[" || c === "{") stack.push(i);
    else if (c === ")" || c === "]" || c === "}") {
      while (stack.length > 0) {
        const open = stack.pop() ?? 0;
        if (s[open] === opener[c]) {
          partners[open] = i + 1;
          break;
        }
      }
    }
  }
  return partners;
}

/** Start of the name chain (`a.b`, `ns::f`, `p->q`) that ends at `end`. */
function chainStart(s: string, end: number): number {
  let i = end;
  for (;;) {
    while (i > 0 && isWord(s[i - 1])) i--;
    if (s[i - 1] === "." && isWord(s[i - 2])) i -= 1;
    else if ((s.slice(i - 2, i) === "::" || s.slice(i - 2, i) === "->") && isWord(s[i - 3])) i -= 2;
    else return i;
  }
}

/** Where a name's generic arguments (`make_shared<Foo>`) that end at `end` (just past `>`) begin, or -1. */
function genericStart(s: string, end: number): number {
  let depth = 0;
  for (let i = end - 1; i >= Math.max(0, end - 80); i--) {
    const c = s[i];
    if (c === ">") depth++;
    else if (c === "<" && --depth === 0) return isWord(s[i - 1]) ? i : -1;
    else if (c !== undefined && !/[\w$:.,\s*&<>[\]]/.test(c)) return -1;
  }
  return -1;
}

/** Extends a code expression ending at `at` over calls, subscripts and member accesses. */
function extendChain(s: string, partners: Int32Array, at: number): number {
  let i = at;
  for (;;) {
    const c = s[i];
    if (c === "(" || c === "[") {
      const j = partners[i] ?? -1;
      if (j < 0) return i;
      i = j;
    } else if (c === "." && isWordStart(s[i + 1])) {
      i += 1;
      while (isWord(s[i])) i++;
    } else if ((s.startsWith("::", i) || s.startsWith("->", i)) && isWordStart(s[i + 2])) {
      i += 2;
      while (isWord(s[i])) i++;
    } else return i;
  }
}

const BINARY = /^\s*(?:\*\*|\/\/|==|!=|<=|>=|&&|\|\||<<|>>|[-+*/%<>&|^])\s*/;
const NUMBER = /^\d[\w.]*/;

/** An operand that reads as code, not prose: a number, or a name chain with a call, member, `_`, digit or camel case. */
function codeOperandEnd(s: string, partners: Int32Array, at: number): number {
  const number = NUMBER.exec(s.slice(at, at + 40));
  if (number !== null) return at + number[0].length;
  if (!isWordStart(s[at])) return -1;
  let i = at;
  while (isWord(s[i])) i++;
  const end = extendChain(s, partners, i);
  const text = s.slice(at, end);
  return /[.([_\d]|::|->|[a-z][A-Z]|^[A-Z0-9_]{2,}$/.test(text) ? end : -1;
}

/** Any operand: a number or a name chain with its calls and members. */
function anyOperandEnd(s: string, partners: Int32Array, at: number): number {
  const number = NUMBER.exec(s.slice(at, at + 40));
  if (number !== null) return at + number[0].length;
  if (!isWordStart(s[at])) return -1;
  let i = at;
  while (isWord(s[i])) i++;
  return extendChain(s, partners, i);
}

const PRIMITIVE = /^(?:int|long|short|double|float|char|bool|boolean|byte|auto|var|void|String|string|size_t|u?int\d+_t|unsigned|signed|i\d+|u\d+|f\d+|usize|isize|str)$/;
const MODIFIERS = /(?:\b(?:const|final|static|let|var|mut|volatile|constexpr)\s+)*$/;
const TYPE_BEFORE = /([A-Za-z_$][\w$]*(?:(?:::|\.)[A-Za-z_$][\w$]*)*(?:<[^<>\n]*(?:<[^<>\n]*>[^<>\n]*)*>)?(?:\[\])*[*&]*)\s*[*&]?\s+$/;
const TARGET_BEFORE =
  /([A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*|\[[^\]\n]*\])*)\s*(?<![=!<>])(?:=|\+=|-=|\*=|\/=|%=|:=|\|=|&=)\s*$/;
const LEADING_KEYWORD = /(?:^|\s)(return|yield|await|throw|raise)\s+$/;

/** A declared type that cannot be an English word: qualified, generic, with `_` or digits, camel-case, or a primitive. */
function isDistinctType(type: string): boolean {
  return /::|<|\.|_|\d|[*&]$|\[\]/.test(type) || /^[A-Z][a-z0-9]+[A-Z]/.test(type) || PRIMITIVE.test(type);
}

/** The text just before `at`: statements are read backwards through a bounded window, so each call site costs a constant. */
const LOOK_BACK = 160;
const before = (s: string, at: number): string => s.slice(Math.max(0, at - LOOK_BACK), at);

/** Moves a statement's start left over a declared type and its modifiers, when allowed. */
function declarationStart(s: string, at: number, lineMode: boolean): number {
  const type = TYPE_BEFORE.exec(before(s, at));
  if (type === null || type[1] === undefined) return at;
  const typeStart = at - type[0].length;
  const modifiers = MODIFIERS.exec(before(s, typeStart));
  const hasModifier = modifiers !== null && modifiers[0] !== "";
  if (!lineMode && !hasModifier && !isDistinctType(type[1])) return at;
  return hasModifier && modifiers !== null ? typeStart - modifiers[0].length : typeStart;
}

/** The start of the statement whose expression begins at `at` (`new`, an assignment, a declaration). */
function statementStart(s: string, at: number, chainIsName: boolean, lineMode: boolean): number {
  let start = at;
  const newKeyword = /\bnew\s+$/.exec(before(s, start));
  if (newKeyword !== null) start -= newKeyword[0].length;
  const target = TARGET_BEFORE.exec(before(s, start));
  if (target !== null) return declarationStart(s, start - target[0].length, lineMode);
  if (chainIsName && /^[a-z_]/.test(s.slice(at, at + 1))) return declarationStart(s, start, lineMode);
  return start;
}

/**
 * Where the line's code would end: before a trailing `;` or `,` (a statement or argument
 * separator), a trailing ` # …` comment or a `//` comment in words (not `n // 2`), and whitespace.
 */
function contentEnd(line: string): number {
  let end = line.length;
  const comment = /(?:\s\/\/(?=[ \t]*(?:$|[A-Za-z][\w']*[ \t]+[A-Za-z]))|\s#\s).*$/.exec(line);
  if (comment !== null) end = comment.index;
  while (end > 0 && /[\s;,]/.test(line[end - 1] ?? "")) end--;
  return end;
}

const SIMPLE_ASSIGNMENT =
  /^([A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*)[ \t]*(?:=|\+=|-=|\*=|\/=|\/\/=|%=|\*\*=|:=)[ \t]*(?!=)(.+)$/;
const OPERAND = String.raw`(?:[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*|\d[\w.]*|"[^"\n]*"|'[^'\n]*')`;
const OPERATOR = String.raw`(?:\*\*|\/\/|==|!=|<=|>=|&&|\|\||<<|>>|[-+*/%<>&|^])`;
const EXPRESSION = new RegExp(String.raw`^-?${OPERAND}(?:[ \t]*${OPERATOR}[ \t]*-?${OPERAND})*$`);
const CODE_ONLY = /_|\.\w|\d[A-Za-z_]|[a-z][A-Z]|\*\*|\/\/|==|!=|&&|\|\||<<|>>|[+\-*/%]=/;

/**
 * A line that is one assignment of names, numbers and operators, without brackets
 * (`i = indices // 2`, `total_len += n`), and that reads as code: something in it is written as
 * only code writes it (`_`, a member, camel case, `//`, `**`, `==`, `+=` …). Bracketed
 * statements are found from their brackets.
 */
function simpleAssignmentSpan(line: string, from: number, to: number): SnippetSpan | null {
  const text = line.slice(from, to);
  if (text.length > 400) return null;
  const m = SIMPLE_ASSIGNMENT.exec(text);
  if (m === null || m[2] === undefined || !EXPRESSION.test(m[2].trim()) || !CODE_ONLY.test(text)) return null;
  return { from, to, wholeLine: true, backticked: false };
}

const looksLikeCode = (text: string): boolean => /[([=]|::|->|\w\.\w/.test(text) && !/^\s*\w+\s*$/.test(text);

/** Code spans in one line of prose, left to right, not overlapping. */
export function findSnippetSpans(line: string): SnippetSpan[] {
  const spans: SnippetSpan[] = [];
  const firstCode = line.search(/\S/);
  const lastCode = contentEnd(line);
  const partners = bracketPartners(line);
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "`") {
      const close = line.indexOf("`", i + 1);
      if (close < 0) break;
      const inner = line.slice(i + 1, close);
      if (!inner.startsWith("`") && looksLikeCode(inner)) {
        const lead = inner.length - inner.trimStart().length;
        const wholeLine = line.slice(0, i).trim() === "" && line.slice(close + 1).trim().replace(/^[;.:,]$/, "") === "";
        spans.push({ from: i + 1 + lead, to: i + 1 + inner.trimEnd().length, wholeLine, backticked: true });
      }
      i = close + 1;
      continue;
    }
    const opensCall = (c === "(" || c === "[") && (isWord(line[i - 1]) || line[i - 1] === ">");
    const assignedLiteral = !opensCall && (c === "(" || c === "[" || c === "{") && TARGET_BEFORE.test(before(line, i));
    if (!opensCall && !assignedLiteral) {
      i++;
      continue;
    }
    let nameEnd = i;
    if (line[i - 1] === ">") {
      const generic = genericStart(line, i);
      if (generic < 0) {
        i++;
        continue;
      }
      nameEnd = generic;
    }
    const chainFrom = assignedLiteral ? i : chainStart(line, nameEnd);
    const previous = spans[spans.length - 1];
    if (previous !== undefined && chainFrom < previous.to) {
      i++;
      continue;
    }
    const literalEnd = assignedLiteral ? (partners[i] ?? -1) : i;
    let end = literalEnd < 0 ? i : extendChain(line, partners, literalEnd);
    if (end === i) {
      i++;
      continue;
    }
    // Binary operators and operands after it: code-looking ones belong to an inline span; on a
    // line that is code and nothing else, any operand does (`(2 * i) / dim`).
    let loose = end;
    let strict = true;
    for (;;) {
      const op = BINARY.exec(line.slice(loose, loose + 8));
      if (op === null) break;
      const at = loose + op[0].length;
      const codeEnd = codeOperandEnd(line, partners, at);
      const anyEnd = codeEnd >= 0 ? codeEnd : anyOperandEnd(line, partners, at);
      if (anyEnd < 0) break;
      strict &&= codeEnd >= 0;
      loose = anyEnd;
      if (strict) end = anyEnd;
    }
    if (loose === lastCode) end = loose;
    const chainIsName = !assignedLiteral && !/[.:>-]/.test(line.slice(chainFrom, nameEnd));
    const inlineStart = statementStart(line, chainFrom, chainIsName, false);
    let from = inlineStart;
    let wholeLine = false;
    if (end >= lastCode) {
      const lineStart = statementStart(line, chainFrom, chainIsName, true);
      const keyword = LEADING_KEYWORD.exec(before(line, lineStart));
      const candidate = keyword !== null ? lineStart - keyword[0].length + keyword[0].indexOf(keyword[1] ?? "") : lineStart;
      if (candidate === firstCode && end === lastCode) {
        from = candidate;
        wholeLine = true;
      }
    }
    if (previous !== undefined && from <= previous.from) spans.pop();
    if (previous === undefined || from <= previous.from || from >= previous.to) spans.push({ from, to: end, wholeLine, backticked: false });
    i = Math.max(end, i + 1);
  }
  if (spans.length === 0 && firstCode >= 0) {
    const assignment = simpleAssignmentSpan(line, firstCode, lastCode);
    if (assignment !== null) spans.push(assignment);
  }
  return spans;
}

/**
 * A Python block header whose condition or target reads as code (`for i, w in enumerate(ws):`,
 * `if x is None:`, `else:`), not an English clause ending in a colon ("for each item in the list:").
 */
export function isPythonBlockHeader(line: string): boolean {
  const t = line.trim();
  if (/^(?:else|try|finally)\s*:$/.test(t)) return true;
  const m = /^(?:(for)\s+[\w, ()]+?\s+in\s+|(?:if|elif|while|with|except)\s+)(.+?):\s*(?:#.*)?$/.exec(t);
  if (m === null || m[2] === undefined) return false;
  return /[(.[_]|==|!=|<|>|\bis\s+(?:not\s+)?None\b/.test(m[1] === "for" ? t : m[2]);
}
