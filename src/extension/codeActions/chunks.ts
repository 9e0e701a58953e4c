/**
 * Splits source text into its top-level statements and names the definitions among them
 * (functions, classes, types…), so that Apply can replace a definition of the document by the
 * code block's version of it. Two simple scanners, no parser: Python by indentation
 * (pythonChunks.ts), brace languages by balanced brackets (braceChunks.ts). Pure; the text uses
 * "\n" line ends.
 */
import { braceStatements, nameBraceStatement } from "./braceChunks";
import { namePythonStatement, pythonStatements } from "./pythonChunks";

export type { ChunkKind, SourceLine, Statement } from "./chunkTypes";
import type { ChunkKind, SourceLine, Statement } from "./chunkTypes";

export interface Chunk {
  readonly kind: ChunkKind;
  /** The definition's name ("foo", "Server.Start", "impl Display for Point"); only for definitions. */
  readonly name?: string;
  /** Offset of the chunk's first character (its comments and decorators included). */
  readonly start: number;
  /** Offset just past its last character (before the line end). */
  readonly end: number;
  /** Its text with runs of white space collapsed (to compare imports). */
  readonly normalized: string;
}

export interface ChunkedSource {
  readonly chunks: readonly Chunk[];
  /** False when brackets, strings or comments do not close: the chunks cannot be trusted. */
  readonly balanced: boolean;
}

const PYTHON_LANGUAGES = new Set(["python"]);
const BRACE_LANGUAGES = new Set([
  "javascript", "typescript", "javascriptreact", "typescriptreact", "java", "c", "cpp", "cuda-cpp", "csharp", "go",
  "rust", "kotlin", "swift", "php", "dart", "scala", "groovy", "objective-c", "objective-cpp", "hlsl",
]);
/** Brace languages where '…' is a string (not a character literal or a Rust lifetime). */
const QUOTE_STRING_LANGUAGES = new Set(["javascript", "typescript", "javascriptreact", "typescriptreact", "php", "dart", "groovy"]);
/** Brace languages with `…` template strings that may span lines. */
const TEMPLATE_LANGUAGES = new Set(["javascript", "typescript", "javascriptreact", "typescriptreact"]);

/** Whether definitions can be found in this language (a VS Code language id). */
export function supportsDefinitions(languageId: string): boolean {
  return PYTHON_LANGUAGES.has(languageId) || BRACE_LANGUAGES.has(languageId);
}

export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  for (;;) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    lines.push({ start, end, text: text.slice(start, end) });
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

/**
 * Extends each statement upward over the comment lines right above it (no blank line between),
 * and merges decorator/attribute statements into the statement they decorate.
 */
function attachLeading(statements: Statement[], isComment: (line: number) => boolean, isDecorator: (s: Statement) => boolean): Statement[] {
  const merged: Statement[] = [];
  for (const statement of statements) {
    const previous = merged[merged.length - 1];
    if (previous && isDecorator(previous) && previous.last + 1 === statement.first) {
      previous.last = statement.last;
      previous.header = statement.header;
      continue;
    }
    const floor = previous ? previous.last + 1 : 0;
    let first = statement.first;
    while (first - 1 >= floor && isComment(first - 1)) first -= 1;
    merged.push({ first, last: statement.last, header: statement.header });
  }
  return merged;
}

/** The top-level chunks of `text` in `languageId`, or undefined for a language without definitions. */
export function chunkSource(text: string, languageId: string): ChunkedSource | undefined {
  const lines = splitLines(text);
  let scanned: { statements: Statement[]; isComment: (line: number) => boolean; isDecorator: (s: Statement) => boolean; balanced: boolean };
  let name: (lines: readonly SourceLine[], s: Statement) => { kind: ChunkKind; name?: string };
  if (PYTHON_LANGUAGES.has(languageId)) {
    scanned = pythonStatements(lines);
    name = namePythonStatement;
  } else if (BRACE_LANGUAGES.has(languageId)) {
    scanned = braceStatements(lines, { quoteStrings: QUOTE_STRING_LANGUAGES.has(languageId), templates: TEMPLATE_LANGUAGES.has(languageId) });
    name = nameBraceStatement;
  } else {
    return undefined;
  }
  const chunks = attachLeading(scanned.statements, scanned.isComment, scanned.isDecorator).map((statement): Chunk => {
    const start = lines[statement.first]?.start ?? 0;
    const end = lines[statement.last]?.end ?? text.length;
    const named = name(lines, statement);
    return { ...named, start, end, normalized: text.slice(start, end).replace(/\s+/g, " ").trim() };
  });
  return { chunks, balanced: scanned.balanced };
}
