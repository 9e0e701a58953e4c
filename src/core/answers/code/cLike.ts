/**
 * C-like code (C, C++, Java, JavaScript/TypeScript, Go, Rust, C#) and code of no known language,
 * read by tokens: no parser, which for braces-and-semicolons languages is enough to tell a
 * restatement from a revision. The key is the token sequence with comments dropped and strings
 * written one way (whitespace, indentation and comments do not count; every token does); a block
 * is complete when its brackets balance and a braced body was opened and closed.
 */
import { bracketsBalanced, canonicalString, type CodeToken } from "./tokens";
import type { DraftDefinition } from "./types";

const TYPE_KEYWORDS = new Set(["class", "struct", "interface", "enum", "union", "trait", "impl", "namespace", "record", "object", "module", "mod"]);
const NOT_A_NAME = new Set([
  "if", "for", "while", "switch", "catch", "return", "sizeof", "function", "func", "fn", "with", "using", "lock",
  "foreach", "elif", "else", "do", "try", "new", "typeof", "await", "match", "loop", "unsafe", "synchronized",
]);

/** A token as it counts in a key. */
export function keyToken(token: CodeToken): string {
  return token.kind === "string" ? canonicalString(token.text) : token.text;
}

/** The key of a token run: its key tokens, one space apart. */
export function tokenKey(tokens: readonly CodeToken[]): string {
  return tokens.map(keyToken).join(" ");
}

/** The chain of names (`a`, `a.b`, `Foo::bar`, `self->x`) that ends just before index `end`. */
export function nameChainBefore(tokens: readonly CodeToken[], end: number): string | null {
  let i = end - 1;
  if (tokens[i]?.kind !== "word") return null;
  const parts: string[] = [];
  while (i >= 0) {
    const word = tokens[i];
    if (word?.kind !== "word") break;
    parts.unshift(word.text);
    const joint = tokens[i - 1];
    if (joint?.kind === "operator" && (joint.text === "." || joint.text === "::" || joint.text === "->") && tokens[i - 2]?.kind === "word") {
      parts.unshift(joint.text);
      i -= 2;
    } else break;
  }
  return parts.join("");
}

const FUNCTION_KEYWORDS = new Set(["function", "fn", "func", "def", "fun"]);

/** Index of the bracket closing the one at `open` (or the last index when it is not closed). */
function closingIndex(tokens: readonly CodeToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k];
    if (t?.kind === "open") depth++;
    else if (t?.kind === "close" && --depth === 0) return k;
  }
  return tokens.length - 1;
}

/** Where the generic arguments that end just before `end` (`dedupe<T>(`) open, or -1. */
function genericOpening(tokens: readonly CodeToken[], end: number): number {
  if (tokens[end - 1]?.text !== ">" && tokens[end - 1]?.text !== ">>") return -1;
  let depth = 0;
  for (let k = end - 1; k >= 0; k--) {
    const t = tokens[k]?.text;
    if (t === ">") depth++;
    else if (t === ">>") depth += 2;
    else if (t === "<" && --depth === 0) return k;
    else if (t === "{" || t === ";" || t === "}") return -1;
  }
  return -1;
}

/** What a definition's head (the tokens before its `{`) names, or null for control statements and initialisers. */
function definitionOfHead(head: readonly CodeToken[]): { name: string; kind: "function" | "class" } | null {
  const typeAt = head.findIndex((t) => t.kind === "word" && TYPE_KEYWORDS.has(t.text));
  if (typeAt >= 0) {
    const forAt = head[typeAt]?.text === "impl" ? head.findIndex((t, k) => k > typeAt && t.text === "for") : -1;
    const from = forAt >= 0 ? forAt : typeAt;
    const name = head.slice(from + 1).find((t) => t.kind === "word" && !TYPE_KEYWORDS.has(t.text));
    return name === undefined ? null : { name: name.text, kind: "class" };
  }
  const keyword = head.findIndex((t) => t.kind === "word" && FUNCTION_KEYWORDS.has(t.text));
  if (keyword >= 0) {
    let k = keyword + 1;
    if (head[k]?.text === "*") k++;
    if (head[k]?.text === "(") k = closingIndex(head, k) + 1; // a Go receiver: func (q *Queue) Pop()
    const name = head[k];
    if (name?.kind === "word") return { name: name.text, kind: "function" };
  }
  const arrow = head.findIndex((t) => t.text === "=>");
  const assign = head.findIndex((t) => t.text === "=");
  if (assign >= 0) {
    if (arrow < 0 && !head.some((t) => t.text === "function")) return null;
    const name = nameChainBefore(head, assign);
    return name === null ? null : { name, kind: "function" };
  }
  for (let k = 0; k < head.length; k++) {
    if (head[k]?.text !== "(") continue;
    const name = nameChainBefore(head, k) ?? nameChainBefore(head, genericOpening(head, k));
    if (name !== null && !NOT_A_NAME.has(name)) return { name, kind: "function" };
  }
  return null;
}

export interface CLikeReading {
  readonly definitions: DraftDefinition[];
  /** A top-level braced body was opened and closed. */
  readonly closedBody: boolean;
  readonly balanced: boolean;
  /** The key of the whole text (trailing `;` and `,` separators dropped). */
  readonly textKey: string;
}

/** Reads a C-like text's tokens: its top-level definitions, whether its brackets balance, its key. */
export function readCLike(tokens: readonly CodeToken[]): CLikeReading {
  const definitions: DraftDefinition[] = [];
  let depth = 0;
  let headStart = 0;
  let blockStart = -1;
  let closedBody = false;
  tokens.forEach((t, k) => {
    if (t.kind === "open") {
      if (depth === 0 && t.text === "{") blockStart = k;
      depth++;
    } else if (t.kind === "close") {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && t.text === "}" && blockStart >= 0) {
        closedBody = true;
        const definition = definitionOfHead(tokens.slice(headStart, blockStart));
        if (definition !== null) definitions.push({ ...definition, key: tokenKey(tokens.slice(headStart, k + 1)) });
        blockStart = -1;
        headStart = k + 1;
      }
    } else if (depth === 0 && t.text === ";") {
      headStart = k + 1;
    }
  });
  if (blockStart >= 0) {
    // a body still open at the end: the definition is there, incomplete
    const definition = definitionOfHead(tokens.slice(headStart, blockStart));
    if (definition !== null) definitions.push({ ...definition, key: tokenKey(tokens.slice(headStart)) });
  }
  let end = tokens.length;
  while (end > 0 && (tokens[end - 1]?.text === ";" || tokens[end - 1]?.text === ",")) end--;
  return { definitions, closedBody, balanced: bracketsBalanced(tokens), textKey: tokenKey(tokens.slice(0, end)) };
}

const ASSIGNMENT = new Set(["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**=", "//=", ":="]);

/**
 * What code that defines nothing is about: the name it assigns or declares, else the call it
 * makes first (both at bracket depth 0), else null.
 */
export function snippetSubject(tokens: readonly CodeToken[]): string | null {
  let depth = 0;
  let firstCall = -1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t === undefined) break;
    if (t.kind === "open") {
      if (depth === 0 && t.text === "(" && firstCall < 0) firstCall = k;
      depth++;
    } else if (t.kind === "close") depth = Math.max(0, depth - 1);
    else if (depth === 0 && t.kind === "operator" && ASSIGNMENT.has(t.text)) return nameChainBefore(tokens, k);
  }
  if (firstCall < 0) return null;
  return nameChainBefore(tokens, firstCall);
}
