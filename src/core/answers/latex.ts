/** Small LaTeX helpers: brace-balanced groups and `\boxed{…}` contents. */

/** Index just past the group that opens at `open` (which must be `{`), or -1 if it never closes. */
function closeBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

export interface BoxedMatch {
  /** Contents between the braces, trimmed. */
  readonly content: string;
  /** Offset of the backslash of `\boxed`. */
  readonly start: number;
  /** Offset just past the closing brace. */
  readonly end: number;
}

const BOXED = /\\(?:boxed|fbox)\s*\{/g;

/** Every complete `\boxed{…}` / `\fbox{…}` in order, nested braces included. */
export function findBoxed(text: string): BoxedMatch[] {
  const out: BoxedMatch[] = [];
  BOXED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BOXED.exec(text)) !== null) {
    const open = m.index + m[0].length - 1;
    const end = closeBrace(text, open);
    if (end < 0) break;
    out.push({ content: text.slice(open + 1, end - 1).trim(), start: m.index, end });
    BOXED.lastIndex = end;
  }
  return out;
}

/** Replaces `\cmd{x}` by `x` for formatting commands (`\text`, `\mathrm`, `\textbf`, …), nesting included. */
export function unwrapFormatting(s: string): string {
  let out = s;
  for (let guard = 0; guard < 5; guard++) {
    const next = out.replace(/\\(?:text|textbf|textit|mathrm|mathbf|mathit|mbox|operatorname|displaystyle\s*)\s*\{([^{}]*)\}/g, "$1");
    if (next === out) break;
    out = next;
  }
  return out;
}
