/**
 * Where the math is in a text: the delimiters models write (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`)
 * and a bare `\boxed{…}`. Pure string scanning, shared by the markdown plugin (answers) and the
 * thinking (plain text). Every search is bounded by {@link MAX_TEX_CHARS}, so a text full of
 * unclosed openers costs linear time, not quadratic.
 */
import { MAX_FORMULAS, MAX_TEX_CHARS } from "./limits";

export interface MathMatch {
  /** The TeX to typeset (for a bare `\boxed{…}`, the whole command). */
  readonly tex: string;
  readonly display: boolean;
  /** The index just past the closing delimiter. */
  readonly end: number;
}

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c;
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isEscaped(src: string, index: number): boolean {
  let backslashes = 0;
  while (index - 1 - backslashes >= 0 && src.charCodeAt(index - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The scanning state for one text. Openers are met left to right, and the answer to "where is
 * the next closer" stays the same while the start is still before the closer found, so a text of
 * many unclosed openers is scanned once, not once per opener. Make one per text (never share it
 * between texts).
 */
export class MathScan {
  /** Per closer: the last search's start and its answer (-1: none in the rest of the text). */
  private readonly searches = new Map<string, { readonly from: number; readonly at: number }>();
  private braces: Int32Array | undefined;

  constructor(readonly src: string) {}

  remembered(key: string, from: number, search: () => number): number {
    const last = this.searches.get(key);
    if (last && last.from <= from && (last.at < 0 || from <= last.at)) return last.at;
    const at = search();
    this.searches.set(key, { from, at });
    return at;
  }

  /** The index of the `}` matching the `{` at `open`, or -1. */
  matchingBrace(open: number): number {
    if (!this.braces) {
      const { src } = this;
      const match = new Int32Array(src.length).fill(-1);
      const stack: number[] = [];
      for (let i = 0; i < src.length; i++) {
        const code = src.charCodeAt(i);
        if (code === BACKSLASH) i++;
        else if (code === 0x7b) stack.push(i);
        else if (code === 0x7d && stack.length > 0) match[stack.pop()!] = i;
      }
      this.braces = match;
    }
    return this.braces[open] ?? -1;
  }
}

/** The first `close` at or after `from` that is not escaped by a backslash (`\$` is a dollar sign), or -1. */
function nextCloser(scan: MathScan, from: number, close: string): number {
  const { src } = scan;
  return scan.remembered(close, from, () => {
    for (let i = src.indexOf(close, from); i >= 0; i = src.indexOf(close, i + 1)) {
      if (!isEscaped(src, i)) return i;
    }
    return -1;
  });
}

/**
 * The closer of a formula whose TeX starts at `start`, or -1: within `max` and the length limit,
 * and before any backtick (a formula never holds code, and a `$` inside a later code span must
 * not close a formula opened before it).
 */
function findCloser(scan: MathScan, start: number, max: number, close: string): number {
  const at = nextCloser(scan, start, close);
  if (at < 0 || at + close.length > max || at - start > MAX_TEX_CHARS) return -1;
  const backtick = scan.remembered("`", start, () => scan.src.indexOf("`", start));
  return backtick >= 0 && backtick < at ? -1 : at;
}

/** `$$…$$` (display). */
function matchDoubleDollar(scan: MathScan, pos: number, max: number): MathMatch | null {
  const { src } = scan;
  const start = pos + 2;
  const close = findCloser(scan, start, max, "$$");
  if (close < 0) return null;
  const tex = src.slice(start, close);
  return tex.trim() === "" ? null : { tex, display: true, end: close + 2 };
}

/**
 * `$…$` (inline), with the usual rules that keep currency text: no space right after the opening
 * `$`, none right before the closing one, the closing `$` not followed by a digit, and the first
 * unescaped `$` after the opening one must be that closing one ("costs $5 and $10" stays text).
 */
function matchDollar(scan: MathScan, pos: number, max: number): MathMatch | null {
  const { src } = scan;
  const start = pos + 1;
  if (start >= max || isSpace(src.charCodeAt(start))) return null;
  const close = findCloser(scan, start, max, "$");
  if (close < 0) return null;
  if (isSpace(src.charCodeAt(close - 1))) return null;
  if (close + 1 < max && isDigit(src.charCodeAt(close + 1))) return null;
  const tex = src.slice(start, close);
  // a formula does not run across a blank line (a new paragraph)
  if (/\n[ \t]*\n/.test(tex)) return null;
  return { tex, display: false, end: close + 1 };
}

/** `\(…\)` and `\[…\]`. */
function matchBracketed(scan: MathScan, pos: number, max: number, close: string, display: boolean): MathMatch | null {
  const { src } = scan;
  const start = pos + 2;
  const end = findCloser(scan, start, max, close);
  if (end < 0) return null;
  const tex = src.slice(start, end);
  return tex.trim() === "" ? null : { tex, display, end: end + 2 };
}

const BOXED = "\\boxed{";

/** A bare `\boxed{…}` with balanced braces (models write their final answer so, outside any delimiters). */
function matchBoxed(scan: MathScan, pos: number, max: number): MathMatch | null {
  const { src } = scan;
  const close = scan.matchingBrace(pos + BOXED.length - 1);
  if (close < 0 || close >= max || close - pos > MAX_TEX_CHARS) return null;
  const tex = src.slice(pos, close + 1);
  return tex === "\\boxed{}" ? null : { tex, display: false, end: close + 1 };
}

/** The formula that starts at `pos` of the scanned text, if one does (nothing past `max` is looked at). */
export function matchMath(scan: MathScan, pos: number, max: number = scan.src.length): MathMatch | null {
  const { src } = scan;
  const code = src.charCodeAt(pos);
  if (code === DOLLAR) {
    return src.charCodeAt(pos + 1) === DOLLAR ? matchDoubleDollar(scan, pos, max) : matchDollar(scan, pos, max);
  }
  if (code !== BACKSLASH) return null;
  const next = src.charCodeAt(pos + 1);
  if (next === 0x28) return matchBracketed(scan, pos, max, "\\)", false);
  if (next === 0x5b) return matchBracketed(scan, pos, max, "\\]", true);
  if (next === 0x62 && src.startsWith(BOXED, pos)) return matchBoxed(scan, pos, max);
  return null;
}

/** How deeply a formula nests its groups: `{…}`, `\left…\right` and `\begin…\end`. */
export function texNesting(tex: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < tex.length; i++) {
    const code = tex.charCodeAt(i);
    if (code === 0x7b) depth++;
    else if (code === 0x7d) depth--;
    else if (code === BACKSLASH) {
      let nameEnd = i + 1;
      while (isLetter(tex.charCodeAt(nameEnd))) nameEnd++;
      const name = tex.slice(i + 1, nameEnd);
      if (name === "left" || name === "begin") depth++;
      else if (name === "right" || name === "end") depth--;
      // past the command's name, or past the one character a backslash escapes (\{)
      i = name === "" ? i + 1 : nameEnd - 1;
    }
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

export type MathSegment =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "math"; readonly tex: string; readonly display: boolean; readonly source: string };

/** The index just past a code span or fence that starts at `pos` (its content is never math), or -1. */
function skipCode(text: string, pos: number): number {
  let ticks = 0;
  while (text.charCodeAt(pos + ticks) === 0x60) ticks++;
  const run = "`".repeat(ticks);
  const atLineStart = pos === 0 || text.charCodeAt(pos - 1) === 0x0a;
  if (ticks >= 3 && atLineStart) {
    // a fence: up to the next line that starts with the same backticks, or the end of the text
    const close = text.indexOf(`\n${run}`, pos + ticks);
    return close < 0 ? text.length : close + 1 + ticks;
  }
  const close = text.indexOf(run, pos + ticks);
  return close < 0 ? -1 : close + ticks;
}

/**
 * Splits plain text (the thinking) into text and formulas. Code spans and fences stay text, as
 * do `\$` and the formulas after the first {@link MAX_FORMULAS}.
 */
export function splitMath(text: string, maxFormulas: number = MAX_FORMULAS): MathSegment[] {
  const segments: MathSegment[] = [];
  let textStart = 0;
  let formulas = 0;
  const scan = new MathScan(text);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x60) {
      const end = skipCode(text, i);
      if (end > 0) {
        i = end;
        continue;
      }
      // an unclosed run of backticks: skip the whole run, so the next backtick is not its close
      while (text.charCodeAt(i) === 0x60) i++;
      continue;
    }
    if (code === BACKSLASH && text.charCodeAt(i + 1) === DOLLAR) {
      i += 2;
      continue;
    }
    if ((code === DOLLAR || code === BACKSLASH) && formulas < maxFormulas) {
      const match = matchMath(scan, i);
      if (match) {
        if (i > textStart) segments.push({ kind: "text", text: text.slice(textStart, i) });
        segments.push({ kind: "math", tex: match.tex, display: match.display, source: text.slice(i, match.end) });
        formulas++;
        i = textStart = match.end;
        continue;
      }
      // a `$$` that opens nothing must not be read again as a `$` opener
      if (code === DOLLAR && text.charCodeAt(i + 1) === DOLLAR) {
        i += 2;
        continue;
      }
    }
    i++;
  }
  if (textStart < text.length) segments.push({ kind: "text", text: text.slice(textStart) });
  return segments;
}
