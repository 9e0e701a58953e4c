/**
 * A markdown-it plugin that finds math in an answer and emits placeholders: each shows the
 * formula's source text (delimiters included), so that whatever is not typeset reads exactly as
 * the model wrote it, and carries in `data-math` the index of the formula in the render's env
 * (`env.math`). The TeX itself never passes through the sanitiser as an attribute (DOMPurify
 * rightly drops attribute values such as `-->` or `</script`). Nothing is typeset here: the
 * placeholders are typeset after sanitising (mathElements.ts).
 *
 * Inline: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, a bare `\boxed{…}`. Block: a line that opens with
 * `$$` or `\[` and a later line (or the same one) that ends with the closer. Code spans and
 * blocks are tokenised by markdown-it before these rules see them, so their content is never math.
 */
import type { MarkdownIt, StateBlock, StateInline } from "markdown-it";
import { MAX_FORMULAS, MAX_TEX_CHARS } from "./limits";
import { MathScan, matchMath } from "./mathSyntax";

/** The classes of the placeholders (and the only classes the sanitiser keeps besides table alignment). */
export const MATH_INLINE_CLASS = "math-inline";
export const MATH_DISPLAY_CLASS = "math-display";

export interface Formula {
  readonly tex: string;
  readonly display: boolean;
  /** As written, delimiters included. */
  readonly source: string;
}

/** The render's env (markdown.render(text, env)): the formulas found, in placeholder order, and how many were recognised. */
export type MathEnv = {
  math?: Formula[];
  mathRecognised?: number;
};

function countFormula(env: unknown): boolean {
  const state = (env ?? {}) as MathEnv;
  const count = state.mathRecognised ?? 0;
  if (count >= MAX_FORMULAS) return false;
  state.mathRecognised = count + 1;
  return true;
}

/** Adds a formula to the env and returns its index. */
function addFormula(env: unknown, formula: Formula): number {
  const state = env as MathEnv;
  state.math ??= [];
  return state.math.push(formula) - 1;
}

/** One scan per inline text (markdown-it makes a state per paragraph, heading, cell…). */
const scans = new WeakMap<StateInline, MathScan>();

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  const code = src.charCodeAt(pos);
  if (code !== 0x24 && code !== 0x5c) return false;
  let scan = scans.get(state);
  if (scan?.src !== src) {
    scan = new MathScan(src);
    scans.set(state, scan);
  }
  const match = matchMath(scan, pos, posMax);
  if (!match || (!silent && !countFormula(state.env))) {
    // `$$` that opens nothing is text as a whole: its second `$` must not open a formula
    if (code === 0x24 && src.charCodeAt(pos + 1) === 0x24) {
      if (!silent) state.pending += "$$";
      state.pos += 2;
      return true;
    }
    return false;
  }
  if (!silent) {
    const token = state.push("math_inline", "", 0);
    token.content = match.tex;
    token.markup = src.slice(pos, match.end);
    token.meta = { display: match.display };
  }
  state.pos = match.end;
  return true;
}

const BLOCK_DELIMITERS = [
  { open: "$$", close: "$$" },
  { open: "\\[", close: "\\]" },
] as const;

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
}

/**
 * The last search for a closing line, per closer: while later openers start before the line
 * found, the answer stands, so many unclosed `$$` lines are scanned once, not once each.
 */
const lastClosingLines = new WeakMap<StateBlock, Map<string, { readonly from: number; readonly at: number }>>();

/** The first line at or after `from` (before `endLine`) whose text ends with `close`, or -1. */
function closingLine(state: StateBlock, from: number, endLine: number, close: string): number {
  let searches = lastClosingLines.get(state);
  if (!searches) {
    searches = new Map();
    lastClosingLines.set(state, searches);
  }
  const last = searches.get(close);
  let at: number;
  if (last && last.from <= from && (last.at < 0 || from <= last.at)) {
    at = last.at;
  } else {
    at = -1;
    // every line of the text, not only up to state.lineMax (lists and quotes lower it while they parse their content)
    const lines = state.bMarks.length - 1;
    for (let line = from; line < lines; line++) {
      if (lineText(state, line).trimEnd().endsWith(close)) {
        at = line;
        break;
      }
    }
    searches.set(close, { from, at });
  }
  return at < endLine ? at : -1;
}

/** Display math on lines of its own: a line that opens with `$$` or `\[`, up to a line that ends with the closer. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const first = lineText(state, startLine);
  const delimiter = BLOCK_DELIMITERS.find((d) => first.startsWith(d.open));
  if (!delimiter) return false;

  let tex: string;
  let lastLine = startLine;
  const rest = first.slice(delimiter.open.length);
  const closeAt = rest.indexOf(delimiter.close);
  if (closeAt >= 0) {
    // one line: only when the closer ends it (`$$a$$ and $$b$$` is a paragraph)
    if (rest.slice(closeAt + delimiter.close.length).trim() !== "") return false;
    tex = rest.slice(0, closeAt);
  } else {
    lastLine = closingLine(state, startLine + 1, endLine, delimiter.close);
    if (lastLine < 0 || state.eMarks[lastLine]! - state.bMarks[startLine]! > MAX_TEX_CHARS + 8) return false;
    const lines = [rest];
    for (let line = startLine + 1; line <= lastLine; line++) lines.push(lineText(state, line).trimEnd());
    const closing = lines.pop()!;
    lines.push(closing.slice(0, closing.length - delimiter.close.length));
    tex = lines.join("\n");
  }
  if (tex.trim() === "") return false;
  if (silent) return true;
  if (!countFormula(state.env)) return false;

  const token = state.push("math_block", "", 0);
  token.block = true;
  token.content = tex;
  token.markup = state.src.slice(state.bMarks[startLine]! + state.tShift[startLine]!, state.eMarks[lastLine]!);
  token.map = [startLine, lastLine + 1];
  state.line = lastLine + 1;
  return true;
}

export function mathPlugin(md: MarkdownIt): void {
  const escape = md.utils.escapeHtml;
  // before "escape": `\(` and `\[` would otherwise become literal brackets
  md.inline.ruler.before("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.renderer.rules["math_inline"] = (tokens, idx, _options, env) => {
    const token = tokens[idx]!;
    const display = (token.meta as { display: boolean }).display;
    const index = addFormula(env, { tex: token.content, display, source: token.markup });
    return `<span class="${display ? MATH_DISPLAY_CLASS : MATH_INLINE_CLASS}" data-math="${index}">${escape(token.markup)}</span>`;
  };
  md.renderer.rules["math_block"] = (tokens, idx, _options, env) => {
    const token = tokens[idx]!;
    const index = addFormula(env, { tex: token.content, display: true, source: token.markup });
    return `<div class="${MATH_DISPLAY_CLASS}" data-math="${index}">${escape(token.markup)}</div>\n`;
  };
}
