/** What a single line of thinking is, for the draft scanner: fence, start of unfenced code, or prose. */
import { lexCode } from "./tokens";

/** An opening fence: ``` or ~~~ with an optional info string (```` ```python ````). */
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^`]*$/;

export interface FenceOpening {
  /** The fence characters, e.g. "```". */
  readonly marker: string;
  readonly tag: string;
}

export function fenceOpening(line: string): FenceOpening | null {
  const m = FENCE_OPEN.exec(line);
  return m === null ? null : { marker: m[1] ?? "```", tag: m[2] ?? "" };
}

/** Where a fence opened with `marker` closes on `line` (the closer may end a line of code: `  return x```), or -1. */
export function fenceCloseAt(line: string, marker: string): number {
  return line.indexOf(marker.slice(0, 3));
}

/**
 * A line that starts unfenced Python, as the judge's codecheck.py reads it — `def `, `async def `,
 * `class `, `import `, `from x import ` or a decorator — at column 0 or, when the whole thinking
 * is indented (some models indent every line), at any indentation; the run is then read relative
 * to that indentation.
 */
const PYTHON_RUN_START_AT_INDENT = /^(?:def |async def |class |import |from [\w.]+ import |@\w)/;

/** The indentation of a line that starts unfenced Python, or null. */
export function pythonRunIndent(line: string): string | null {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? "";
  return PYTHON_RUN_START_AT_INDENT.test(line.slice(indent.length)) ? indent : null;
}

/**
 * A line that continues an unfenced Python run started at `indent`: blank, indented deeper,
 * another start at the same indentation, or `#`, `)`, `]`, `}` there.
 */
export function continuesPythonRun(line: string, indent: string): boolean {
  if (line.trim() === "") return true;
  if (!line.startsWith(indent)) return false;
  const rest = line.slice(indent.length);
  return rest[0] === " " || rest[0] === "\t" || PYTHON_RUN_START_AT_INDENT.test(rest) || /^[#)\]}]/.test(rest);
}

const MODIFIERS =
  String.raw`(?:(?:export|default|public|private|protected|internal|static|final|abstract|sealed|partial|async|override|virtual|inline|constexpr|unsafe|extern(?:[ \t]+"C")?|pub(?:\([\w:]+\))?|template[ \t]*<[^>\n]*>|@\w+(?:\([^)\n]*\))?)[ \t]+)*`;
const TYPE_HEAD = new RegExp(String.raw`^[ \t]*${MODIFIERS}(?:class|struct|interface|enum|union|trait|impl|namespace|record)\b[^;]*$`);
const KEYWORD_FUNCTION = new RegExp(
  String.raw`^[ \t]*${MODIFIERS}(?:function\*?[ \t]*[\w$]*|fn[ \t]+\w+|func[ \t]*(?:\([^)\n]*\)[ \t]*)?\w+)[ \t]*(?:<[^>\n]*>)?[ \t]*\(`,
);
const ARROW_FUNCTION = new RegExp(
  String.raw`^[ \t]*${MODIFIERS}(?:const|let|var)[ \t]+[\w$]+[ \t]*(?::[^=\n]+)?=[ \t]*(?:async[ \t]+)?(?:function\b|\([^)\n]*\)[ \t]*(?::[^=\n]+)?=>|[\w$]+[ \t]*=>)`,
);
/** A typed function head (C, C++, Java, C#): one or more type words, a name, parameters, qualifiers. */
const TYPED_FUNCTION = new RegExp(
  String.raw`^[ \t]*${MODIFIERS}(?:[\w:<>,\[\]*&]+[ \t]+)+[*&]*([\w:~]+)[ \t]*\([^;]*\)[ \t]*(?:const|noexcept|override|final|throws[ \t]+[\w.,  \t]+|->[ \t]*[\w:<>&* \t]+)*[ \t]*\{?[ \t]*(?:\/\/.*)?$`,
);
const CONTROL = /^(?:if|for|while|switch|catch|return|else|do|try|new|delete|throw|case|goto|sizeof|typeof|await|yield)$/;

/** Heads longer than this are not read (keeps the head patterns linear on hostile lines). */
const MAX_HEAD_LENGTH = 400;

/** Whether `line` opens a C-like definition: a class, struct, interface, function or method head. */
export function isCLikeHead(line: string): boolean {
  if (line.length > MAX_HEAD_LENGTH) return false;
  if (TYPE_HEAD.test(line) || KEYWORD_FUNCTION.test(line) || ARROW_FUNCTION.test(line)) return true;
  const typed = TYPED_FUNCTION.exec(line);
  if (typed === null) return false;
  const words = line.trim().split(/[\s(]+/);
  return !words.slice(0, 2).some((w) => CONTROL.test(w)) && !CONTROL.test(typed[1] ?? "");
}

/** Preprocessor, import and package lines, which stay with the definitions that follow them. */
export const C_LIKE_PREAMBLE = /^[ \t]*(?:#[ \t]*(?:include|define|pragma|import)\b|import[ \t]+[\w.*]+[ \t]*;|package[ \t]+[\w.]+[ \t]*;|using[ \t]+[\w.:= ]+;|use[ \t]+[\w:{}, *]+;)/;

/** Brace depth change of one line of C-like code (strings and comments on the line ignored). */
export function braceDelta(line: string): { delta: number; opened: boolean } {
  let delta = 0;
  let opened = false;
  for (const t of lexCode(line, "c-like")) {
    if (t.text === "{") {
      delta++;
      opened = true;
    } else if (t.text === "}") delta--;
  }
  return { delta, opened };
}

/**
 * A line inside an open C-like body that is plainly a sentence, written no deeper than the head:
 * the model stopped writing code.
 */
export function interruptsCLikeBody(line: string, indent: string): boolean {
  const lineIndent = /^[ \t]*/.exec(line)?.[0] ?? "";
  if (lineIndent.length > indent.length) return false;
  const rest = line.slice(lineIndent.length);
  return /^[A-Za-z][a-z']*[,:]?[ \t]+[a-z]+\b/.test(rest) && !/[;{}(),]\s*$/.test(rest) && !/^(?:else|case|default|return|break|continue)\b/.test(rest);
}

/** A line at brace depth 0 that may continue a C-like run: blank, another head, a comment, an annotation, a preamble line. */
export function continuesCLikeRun(line: string): boolean {
  const t = line.trim();
  return t === "" || isCLikeHead(line) || C_LIKE_PREAMBLE.test(line) || /^(?:\/\/|\/\*|\*|@\w|\}|template\b)/.test(t);
}
