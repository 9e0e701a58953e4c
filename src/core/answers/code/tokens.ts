/**
 * A language-neutral code lexer for C-like code (C, C++, Java, JavaScript/TypeScript, Go, Rust)
 * and for short snippets of any language: identifiers, numbers, strings, operators and
 * brackets, with comments dropped. Linear in the text; never throws.
 */
import type { DraftLanguage } from "./types";

export type CodeTokenKind = "word" | "number" | "string" | "operator" | "open" | "close";

export interface CodeToken {
  readonly kind: CodeTokenKind;
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/** Operators of two or three characters, longest first. */
const OPERATORS = [
  ">>>=", "<<=", ">>=", "...", "===", "!==", "**=", "//=", "->*", "<=>", "//",
  "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=",
  "&=", "|=", "^=", "<<", ">>", "**", ":=", "?.", "??",
];

/** Preprocessor directives: a `#` that starts one of these at the start of a line is code, not a comment. */
const DIRECTIVE = /^#\s*(include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|error|warning|import|line)\b/;

const isWordStart = (c: string): boolean => /[A-Za-z_$\u00C0-\uFFFF]/.test(c);
const isWordPart = (c: string): boolean => /[\w$\u00C0-\uFFFF]/.test(c);

/**
 * Whether `#` at `at` begins a comment (Python, shell) rather than a preprocessor directive or a
 * Rust attribute; `opensLine`: nothing but whitespace before it on its line.
 */
function hashStartsComment(text: string, at: number, opensLine: boolean): boolean {
  const next = text[at + 1];
  if (next === "[" || next === "!") return false;
  return !opensLine || !DIRECTIVE.test(text.slice(at, at + 12));
}

/** End of a quoted literal opened at `at` (exclusive); an unterminated one runs to the end of its line. */
function stringEnd(text: string, at: number): number {
  const quote = text[at] ?? "";
  const triple = (quote === '"' || quote === "'") && text.startsWith(quote.repeat(3), at);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = at + delimiter.length;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (text.startsWith(delimiter, i)) return i + delimiter.length;
    if (c === "\n" && !triple && quote !== "`") return i;
    i++;
  }
  return text.length;
}

/**
 * Whether `//` at `at` begins a comment. In Python it is floor division; in C-like code always a
 * comment; in code of unknown language a comment when it opens its line, ends it, or is followed
 * by words (`// the sum`), and floor division before an operand (`n // 2`, `a // b`).
 */
function slashesStartComment(text: string, at: number, language: DraftLanguage, opensLine: boolean): boolean {
  if (language === "python") return false;
  if (language === "c-like" || opensLine) return true;
  const after = text.slice(at + 2, at + 80);
  return /^[ \t]*(?:\n|$)/.test(after) || /^[ \t]*[A-Za-z][\w']*[ \t]+[A-Za-z]/.test(after);
}

/** The tokens of `text`, comments (`//`, `/* *\/`, `#` outside directives) left out. */
export function lexCode(text: string, language: DraftLanguage = "unknown"): CodeToken[] {
  const tokens: CodeToken[] = [];
  let i = 0;
  const n = text.length;
  let tokensBeforeLine = 0;
  while (i < n) {
    const c = text[i] ?? "";
    if (c === "\n") tokensBeforeLine = tokens.length;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v" || c === "\\") {
      i++;
      continue;
    }
    const opensLine = tokens.length === tokensBeforeLine;
    if (c === "/" && text[i + 1] === "/" && slashesStartComment(text, i, language, opensLine)) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "#" && (language === "python" || hashStartsComment(text, i, opensLine))) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    const from = i;
    if (c === '"' || c === "'" || c === "`") {
      i = stringEnd(text, i);
      tokens.push({ kind: "string", text: text.slice(from, i), from, to: i });
      continue;
    }
    if (isWordStart(c)) {
      while (i < n && isWordPart(text[i] ?? "")) i++;
      tokens.push({ kind: "word", text: text.slice(from, i), from, to: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      i++;
      while (i < n && /[\w.]/.test(text[i] ?? "")) i++;
      tokens.push({ kind: "number", text: text.slice(from, i), from, to: i });
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      tokens.push({ kind: "open", text: c, from, to: ++i });
      continue;
    }
    if (c === ")" || c === "]" || c === "}") {
      tokens.push({ kind: "close", text: c, from, to: ++i });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
    i += op.length;
    tokens.push({ kind: "operator", text: op, from, to: i });
  }
  return tokens;
}

const CLOSER: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

/** Whether every bracket in `tokens` is closed by the matching one, in order. */
export function bracketsBalanced(tokens: readonly CodeToken[]): boolean {
  const stack: string[] = [];
  for (const t of tokens) {
    if (t.kind === "open") stack.push(CLOSER[t.text] ?? "");
    else if (t.kind === "close" && stack.pop() !== t.text) return false;
  }
  return stack.length === 0;
}

/**
 * A string literal written one canonical way: `'a b'`, `"a b"` and `"""a b"""` all become
 * `"a b"` (escaped quotes unescaped); a one-character single-quoted literal stays as it is (a C,
 * C++, Java, Go or Rust character, which is not a string). A prefix (`r`, `b`, `f`) is
 * lower-cased and kept.
 */
export function canonicalString(literal: string): string {
  const m = /^([A-Za-z]*)("""|'''|"|'|`)/.exec(literal);
  if (m === null) return literal;
  const prefix = (m[1] ?? "").toLowerCase().replace("u", "");
  const delimiter = m[2] ?? '"';
  const closed = literal.length >= prefix.length + 2 * delimiter.length && literal.endsWith(delimiter);
  let body = literal.slice(m[0].length, closed ? literal.length - delimiter.length : literal.length);
  const raw = prefix.includes("r");
  if (!raw) body = body.replace(/\\(['"`])/g, "$1");
  if (delimiter === "'" && [...body].length === 1) return literal;
  if (delimiter === "'" && /^\\.$|^\\u\{?[0-9a-fA-F]+\}?$|^\\x[0-9a-fA-F]+$|^\\[0-7]{1,3}$/.test(body)) return literal;
  return `${prefix}"${raw ? body : body.replace(/"/g, '\\"')}"${closed ? "" : "…"}`;
}
