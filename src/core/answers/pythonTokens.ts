/**
 * Python's number and string tokens, read the way the Python 3.11 tokenizer reads them, for
 * pythonLiteral.ts. Each reader takes the text and a position and returns the value and where
 * the token ends, or null when Python would reject the token.
 */
import type { PythonValue } from "./pythonValue";

export interface Token {
  readonly value: PythonValue;
  readonly end: number;
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][-+]?${DIGITS}`;
const RADIX_INT = /0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/y;
const POINT_FLOAT = new RegExp(String.raw`(?:${DIGITS})?\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\.(?:${EXPONENT})?|${DIGITS}${EXPONENT}`, "y");
const DECIMAL_INT = new RegExp(DIGITS, "y");
const IMAGINARY_SUFFIX = /[jJ]/y;
const IDENTIFIER_CHAR = /[\p{L}\p{N}_]/u;
/** Python 3.11 refuses to convert longer decimal integers (`sys.int_info.default_max_str_digits`). */
const MAX_DECIMAL_DIGITS = 4300;

function sticky(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(text)?.[0] ?? null;
}

/**
 * A number token at `at` (no sign: that is an operator). With `proseEnd`, a trailing bare `.`
 * followed by a space or the end is the end of a sentence ("it returns 3."), not `3.`.
 */
export function readNumber(text: string, at: number, proseEnd = false): Token | null {
  const radix = sticky(RADIX_INT, text, at);
  let token: Token | null;
  if (radix !== null) {
    token = { value: { type: "int", value: BigInt(radix.replace(/_/g, "")) }, end: at + radix.length };
  } else {
    let float = sticky(POINT_FLOAT, text, at);
    if (float !== null && proseEnd && float.endsWith(".") && /^(?:\s|$)/.test(text.slice(at + float.length, at + float.length + 1))) {
      float = null;
    }
    const digits = float ?? sticky(DECIMAL_INT, text, at);
    if (digits === null) return null;
    const end = at + digits.length;
    const plain = digits.replace(/_/g, "");
    if (sticky(IMAGINARY_SUFFIX, text, end) !== null) {
      token = { value: { type: "complex", real: 0, imag: Number(plain) }, end: end + 1 };
    } else if (float !== null) {
      token = { value: { type: "float", value: Number(plain) }, end };
    } else {
      if (/^0+[1-9]/.test(plain) || plain.length > MAX_DECIMAL_DIGITS) return null;
      token = { value: { type: "int", value: BigInt(plain) }, end };
    }
  }
  // "1abc", "0x1g", "1__0": a name glued to a number is a syntax error
  return IDENTIFIER_CHAR.test(text.charAt(token.end)) ? null : token;
}

/** String prefixes `ast.literal_eval` accepts (f-strings are not literals). */
const STRING_PREFIX = /^(?:[rRuUbB]|[bB][rR]|[rR][bB])$/;

export function isStringPrefix(word: string): boolean {
  return STRING_PREFIX.test(word);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** The value of the escape after a backslash at `at - 1`: the text it stands for and where it ends, or null when Python rejects it. */
function readEscape(text: string, at: number, bytes: boolean): { out: string; end: number } | null {
  const c = text.charAt(at);
  if (c === "") return null;
  if (c === "\n") return { out: "", end: at + 1 };
  if (c === "\r") return { out: "", end: text.charAt(at + 1) === "\n" ? at + 2 : at + 1 };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { out: simple, end: at + 1 };
  const octal = /[0-7]{1,3}/y;
  octal.lastIndex = at;
  const o = octal.exec(text)?.[0];
  if (o !== undefined) {
    const code = parseInt(o, 8);
    return { out: String.fromCharCode(bytes ? code & 0xff : code), end: at + o.length };
  }
  const hexLength = c === "x" ? 2 : bytes ? 0 : c === "u" ? 4 : c === "U" ? 8 : 0;
  if (hexLength > 0) {
    const hex = text.slice(at + 1, at + 1 + hexLength);
    if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) return null;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return null;
    return { out: String.fromCodePoint(code), end: at + 1 + hexLength };
  }
  // \N{NAME} needs the Unicode name table: not read (Python may accept it; we only miss an answer)
  if (c === "N" && !bytes) return null;
  return { out: `\\${c}`, end: at + 1 };
}

/**
 * The string or bytes token whose opening quote is at `at`, after a prefix already read
 * (`r`, `b`, `rb`, `u`, …; empty for none). `limit` bounds how far it may look.
 */
export function readString(text: string, at: number, prefix: string, limit: number): Token | null {
  const quote = text.charAt(at);
  if (quote !== "'" && quote !== '"') return null;
  const raw = /[rR]/.test(prefix);
  const bytes = /[bB]/.test(prefix);
  const triple = text.startsWith(quote.repeat(3), at);
  const closing = triple ? quote.repeat(3) : quote;
  let i = at + closing.length;
  let out = "";
  while (i < limit) {
    if (text.startsWith(closing, i)) {
      const end = i + closing.length;
      return { value: bytes ? { type: "bytes", value: out } : { type: "str", value: out }, end };
    }
    const c = text.charAt(i);
    if (!triple && (c === "\n" || c === "\r")) return null;
    if (bytes && c.charCodeAt(0) > 0x7f) return null;
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    if (raw) {
      const next = text.charAt(i + 1);
      if (next === "" || (bytes && next.charCodeAt(0) > 0x7f)) return null;
      out += c + next;
      i += 2;
      continue;
    }
    const escape = readEscape(text, i + 1, bytes);
    if (escape === null) return null;
    out += escape.out;
    i = escape.end;
  }
  return null;
}
