/**
 * A reader for the Python literals `ast.literal_eval` (Python 3.11, the judge's) accepts:
 * numbers (ints with `_`, hex/octal/binary, floats with exponents, imaginary numbers, `a+bj`),
 * strings and bytes in every quote and accepted prefix (`r`, `u`, `b`, `rb`; not `f`), adjacent
 * strings joined, `True`/`False`/`None`/`...`, lists, tuples (`()`, `(1,)`, `1, 2` at the top),
 * dicts and sets (later duplicate keys win, as in Python), and `set()`, which `literal_eval`
 * accepts since Python 3.9. Names, calls, subscripts and operators other than a sign on a number
 * and `real ± imaginary` are rejected, as is what Python rejects: `007`, `1__0`, `b'é'`,
 * `'\x4'`, `{[1]: 2}` (unhashable), newlines outside brackets between tokens.
 *
 * Deliberate limits: `\N{NAME}` escapes are not read (no name table); nesting deeper than
 * {@link MAX_DEPTH} and texts longer than {@link MAX_LITERAL_CHARS} are not read, so hostile
 * input can neither hang nor overflow the stack. Each limit can only make us miss a literal.
 */
import { readNumber, readString, isStringPrefix } from "./pythonTokens";
import type { PythonValue } from "./pythonValue";
import { isHashable, pythonKey } from "./pythonValue";

/** Brackets and signs nested deeper than this are not read (Python itself stops near 200). */
export const MAX_DEPTH = 100;
/** Longest text {@link parsePythonLiteral} reads. */
export const MAX_LITERAL_CHARS = 100_000;

/** The expression tree before `literal_eval`'s checks: parentheses leave no trace, as in Python's AST. */
type Node =
  | { readonly node: "constant"; readonly value: PythonValue }
  | { readonly node: "sign"; readonly minus: boolean; readonly operand: Node }
  | { readonly node: "binary"; readonly minus: boolean; readonly left: Node; readonly right: Node }
  | { readonly node: "list" | "tuple" | "set"; readonly items: readonly Node[] }
  | { readonly node: "dict"; readonly entries: readonly (readonly [Node, Node])[] }
  | { readonly node: "emptySet" };

class Rejected extends Error {}

function reject(): never {
  throw new Rejected();
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const CLOSERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

class LiteralParser {
  private pos: number;
  /** Brackets and signs entered: bounded by MAX_DEPTH. */
  private depth = 0;
  /** Brackets entered: newlines are blanks inside them, and a number's `.` is its own. */
  private brackets = 0;

  constructor(
    private readonly text: string,
    start: number,
    private readonly limit: number,
    /** Reading inside prose: a trailing `.` after a number ends the sentence. */
    private readonly prose: boolean,
  ) {
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  /** Skips blanks and newlines inside brackets; outside prose also comments and line continuations. */
  skipBlank(): void {
    const t = this.text;
    while (this.pos < this.limit) {
      const c = t.charAt(this.pos);
      if (c === " " || c === "\t" || c === "\f") this.pos++;
      else if ((c === "\n" || c === "\r") && this.brackets > 0) this.pos++;
      else if (this.prose) break;
      else if (c === "\\" && (t.charAt(this.pos + 1) === "\n" || t.startsWith("\r\n", this.pos + 1))) this.pos += t.charAt(this.pos + 1) === "\n" ? 2 : 3;
      else if (c === "#") {
        const eol = t.indexOf("\n", this.pos);
        this.pos = eol < 0 || eol > this.limit ? this.limit : eol;
      } else break;
    }
  }

  private peek(): string {
    this.skipBlank();
    return this.pos < this.limit ? this.text.charAt(this.pos) : "";
  }

  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) reject();
  }

  /** `a, b, c` with an optional trailing comma: a tuple when there is a comma, else the one expression. */
  expressionList(closer: string): Node {
    const first = this.expression();
    if (this.peek() !== ",") return first;
    const items = [first];
    while (this.eat(",")) {
      const next = this.peek();
      if (next === closer || next === "") break;
      items.push(this.expression());
    }
    return { node: "tuple", items };
  }

  /** `a + b`, `a - b` (left to right), over signed operands. */
  expression(): Node {
    let left = this.signed();
    for (;;) {
      const c = this.peek();
      if (c !== "+" && c !== "-") return left;
      const before = this.pos;
      const depth = this.depth;
      const brackets = this.brackets;
      this.pos++;
      try {
        left = { node: "binary", minus: c === "-", left, right: this.signed() };
      } catch (error) {
        // in prose "5 - that is" is a dash after the literal, not an operator
        if (!(error instanceof Rejected) || !this.prose) throw error;
        this.pos = before;
        this.depth = depth;
        this.brackets = brackets;
        return left;
      }
    }
  }

  private signed(): Node {
    const c = this.peek();
    if (c !== "+" && c !== "-") return this.primary();
    this.pos++;
    this.enter();
    const operand = this.signed();
    this.depth--;
    return { node: "sign", minus: c === "-", operand };
  }

  /** An atom; a call, subscript or attribute after it is not a literal. */
  private primary(): Node {
    const atom = this.atom();
    const next = this.peek();
    if (next === "(" || next === "[") reject();
    if (next === "." && /[A-Za-z_]/.test(this.text.charAt(this.pos + 1))) reject();
    return atom;
  }

  private atom(): Node {
    const c = this.peek();
    const t = this.text;
    if (c === "") reject();
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(t.charAt(this.pos + 1)))) {
      const n = readNumber(t, this.pos, this.prose && this.brackets === 0);
      if (n === null || n.end > this.limit) reject();
      this.pos = n.end;
      return { node: "constant", value: n.value };
    }
    if (c === "'" || c === '"') return this.strings("");
    if (t.startsWith("...", this.pos)) {
      this.pos += 3;
      return { node: "constant", value: { type: "ellipsis" } };
    }
    if (c === "(" || c === "[" || c === "{") return this.display(c);
    NAME.lastIndex = this.pos;
    const name = NAME.exec(t)?.[0];
    if (name === undefined || this.pos + name.length > this.limit) reject();
    const after = t.charAt(this.pos + name.length);
    if ((after === "'" || after === '"') && isStringPrefix(name)) {
      this.pos += name.length;
      return this.strings(name);
    }
    if (/[\p{L}\p{N}]/u.test(after)) reject();
    this.pos += name.length;
    if (name === "True" || name === "False") return { node: "constant", value: { type: "bool", value: name === "True" } };
    if (name === "None") return { node: "constant", value: { type: "NoneType" } };
    if (name === "set" && this.eat("(")) {
      this.enter();
      this.brackets++;
      const closed = this.eat(")");
      this.depth--;
      this.brackets--;
      if (!closed) reject();
      return { node: "emptySet" };
    }
    return reject();
  }

  /** One string token or several adjacent ones, joined (`'a' "b"` is `'ab'`); bytes never join str. */
  private strings(firstPrefix: string): Node {
    let prefix = firstPrefix;
    let joined: PythonValue | null = null;
    for (;;) {
      const s = readString(this.text, this.pos, prefix, this.limit);
      if (s === null) reject();
      this.pos = s.end;
      if (joined === null) joined = s.value;
      else if (joined.type === "str" && s.value.type === "str") joined = { type: "str", value: joined.value + s.value.value };
      else if (joined.type === "bytes" && s.value.type === "bytes") joined = { type: "bytes", value: joined.value + s.value.value };
      else reject();
      const next = this.peek();
      NAME.lastIndex = this.pos;
      const word = NAME.exec(this.text)?.[0] ?? "";
      const quoteAfterWord = this.text.charAt(this.pos + word.length);
      if (next === "'" || next === '"') prefix = "";
      else if (word.length > 0 && isStringPrefix(word) && (quoteAfterWord === "'" || quoteAfterWord === '"')) {
        prefix = word;
        this.pos += word.length;
      } else return { node: "constant", value: joined };
    }
  }

  /** `( … )`, `[ … ]`, `{ … }`. */
  private display(open: string): Node {
    const close = CLOSERS[open] ?? "";
    this.pos++;
    this.enter();
    this.brackets++;
    let result: Node;
    if (open === "(") {
      result = this.peek() === ")" ? { node: "tuple", items: [] } : this.expressionList(")");
    } else if (open === "[") {
      result = { node: "list", items: this.items("]") };
    } else {
      result = this.braces();
    }
    if (!this.eat(close)) reject();
    this.depth--;
    this.brackets--;
    return result;
  }

  /** Comma-separated expressions up to (not past) `closer`, trailing comma allowed. */
  private items(closer: string): Node[] {
    const out: Node[] = [];
    while (this.peek() !== closer) {
      out.push(this.expression());
      if (!this.eat(",")) break;
    }
    return out;
  }

  private braces(): Node {
    if (this.peek() === "}") return { node: "dict", entries: [] };
    const first = this.expression();
    if (!this.eat(":")) {
      const items = [first];
      while (this.eat(",") && this.peek() !== "}") items.push(this.expression());
      return { node: "set", items };
    }
    const entries: [Node, Node][] = [[first, this.expression()]];
    while (this.eat(",") && this.peek() !== "}") {
      const key = this.expression();
      if (!this.eat(":")) reject();
      entries.push([key, this.expression()]);
    }
    return { node: "dict", entries };
  }
}

function isNumber(v: PythonValue): boolean {
  return v.type === "int" || v.type === "float" || v.type === "complex";
}

function asReal(v: PythonValue): number {
  if (v.type === "int") return Number(v.value);
  if (v.type === "float") return v.value;
  return reject();
}

/** `literal_eval`'s `_convert_num`: a number constant, nothing else (not a bool). */
function plainNumber(n: Node): PythonValue {
  if (n.node !== "constant" || !isNumber(n.value)) reject();
  return n.value;
}

function negate(v: PythonValue): PythonValue {
  if (v.type === "int") return { type: "int", value: -v.value };
  if (v.type === "float") return { type: "float", value: -v.value };
  if (v.type === "complex") return { type: "complex", real: -v.real, imag: -v.imag };
  return reject();
}

/** `_convert_signed_num`: a number constant with at most one sign. */
function signedNumber(n: Node): PythonValue {
  if (n.node !== "sign") return plainNumber(n);
  const v = plainNumber(n.operand);
  return n.minus ? negate(v) : v;
}

/** Distinct members in first-seen order, later duplicates replacing the value (dict) or dropped (set). */
function dedupe<T>(items: readonly T[], key: (item: T) => PythonValue, merge: (kept: T, later: T) => T): T[] {
  const at = new Map<string, number>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (!isHashable(k)) reject();
    const seen = at.get(pythonKey(k));
    if (seen === undefined) {
      at.set(pythonKey(k), out.length);
      out.push(item);
    } else out[seen] = merge(out[seen] as T, item);
  }
  return out;
}

/** `ast.literal_eval`'s `_convert`. */
function convert(n: Node): PythonValue {
  switch (n.node) {
    case "constant":
      return n.value;
    case "list":
    case "tuple":
      return { type: n.node, items: n.items.map(convert) };
    case "set":
      return { type: "set", items: dedupe(n.items.map(convert), (v) => v, (kept) => kept) };
    case "emptySet":
      return { type: "set", items: [] };
    case "dict": {
      const entries = n.entries.map(([k, v]) => [convert(k), convert(v)] as const);
      return { type: "dict", entries: dedupe(entries, (e) => e[0], (kept, later) => [kept[0], later[1]] as const) };
    }
    case "binary": {
      const left = signedNumber(n.left);
      const right = plainNumber(n.right);
      if (left.type === "complex" || right.type !== "complex") reject();
      const real = asReal(left);
      return { type: "complex", real: n.minus ? real - right.real : real + right.real, imag: n.minus ? -right.imag : right.imag };
    }
    case "sign":
      return signedNumber(n);
  }
}

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof Rejected) return null;
    throw error;
  }
}

/** `ast.literal_eval(text)`: the value of a text that is exactly one literal (blanks around allowed), or null. */
export function parsePythonLiteral(text: string): PythonValue | null {
  if (text.length > MAX_LITERAL_CHARS) return null;
  const body = text.replace(/^[ \t\n\r\f]+/, "");
  const start = text.length - body.length;
  return attempt(() => {
    const p = new LiteralParser(text, start, text.length, false);
    const tree = p.expressionList("");
    p.skipBlank();
    if (text.slice(p.position).trim().length > 0) reject();
    return convert(tree);
  });
}

export interface LiteralInText {
  readonly value: PythonValue;
  readonly start: number;
  /** Just past the literal's last character. */
  readonly end: number;
}

/**
 * The literal written at `start` in running text (a bare top-level tuple `1, 2` is not read:
 * in prose the comma ends it), or null. A number's trailing `.` before a space is the end of
 * the sentence. The caller decides whether what follows makes it a statement. Looks at most
 * `maxChars` ahead.
 */
export function readLiteralAt(text: string, start: number, maxChars = 4000): LiteralInText | null {
  const limit = Math.min(text.length, start + maxChars);
  return attempt(() => {
    const p = new LiteralParser(text, start, limit, true);
    const tree = p.expression();
    let end = p.position;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    return { value: convert(tree), start, end };
  });
}
