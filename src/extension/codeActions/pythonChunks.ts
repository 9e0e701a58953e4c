/**
 * Python's top-level statements by indentation: a statement starts at a line in column 0 that is
 * not inside brackets, a triple-quoted string or a backslash continuation, and runs until the next
 * such line (its trailing blank and column-0 comment lines left out).
 */
import type { ChunkKind, SourceLine, Statement } from "./chunkTypes";

interface LineState {
  /** The line starts inside brackets, a triple-quoted string or after a backslash. */
  readonly inside: boolean;
}

function scanLines(lines: readonly SourceLine[]): { states: LineState[]; balanced: boolean } {
  let depth = 0;
  let triple: string | undefined;
  let backslash = false;
  const states = lines.map(({ text }): LineState => {
    const inside = depth > 0 || triple !== undefined || backslash;
    backslash = false;
    let i = 0;
    let comment = false;
    while (i < text.length) {
      if (triple !== undefined) {
        if (text.startsWith(triple, i)) {
          i += 3;
          triple = undefined;
        } else i += text[i] === "\\" ? 2 : 1;
        continue;
      }
      const c = text[i] ?? "";
      if (c === "#") {
        comment = true;
        break;
      }
      if (c === '"' || c === "'") {
        if (text.startsWith(c.repeat(3), i)) {
          triple = c.repeat(3);
          i += 3;
          continue;
        }
        i += 1;
        while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
        i += 1;
        continue;
      }
      if ("([{".includes(c)) depth += 1;
      else if (")]}".includes(c)) depth -= 1;
      i += 1;
    }
    if (triple === undefined && !comment && text.endsWith("\\")) backslash = true;
    return { inside };
  });
  return { states, balanced: depth === 0 && triple === undefined };
}

const isBlank = (text: string): boolean => text.trim() === "";

export function pythonStatements(lines: readonly SourceLine[]): {
  statements: Statement[];
  isComment: (line: number) => boolean;
  isDecorator: (s: Statement) => boolean;
  balanced: boolean;
} {
  const { states, balanced } = scanLines(lines);
  const topLevel = (index: number): boolean => {
    const line = lines[index];
    return line !== undefined && !(states[index]?.inside ?? true) && /^[^\s#]/.test(line.text);
  };
  const isComment = (index: number): boolean => !(states[index]?.inside ?? true) && (lines[index]?.text.startsWith("#") ?? false);
  const heads = lines.map((_, index) => index).filter(topLevel);
  const statements = heads.map((head, k): Statement => {
    const next = heads[k + 1] ?? lines.length;
    let last = next - 1;
    while (last > head && (isBlank(lines[last]?.text ?? "") || isComment(last))) last -= 1;
    return { first: head, last, header: head };
  });
  const isDecorator = (s: Statement): boolean => lines[s.header]?.text.startsWith("@") ?? false;
  return { statements, isComment, isDecorator, balanced };
}

export function namePythonStatement(lines: readonly SourceLine[], statement: Statement): { kind: ChunkKind; name?: string } {
  const header = lines[statement.header]?.text ?? "";
  const definition = /^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/.exec(header);
  if (definition?.[1]) return { kind: "definition", name: definition[1] };
  if (/^(?:import|from)\s/.test(header)) return { kind: "import" };
  return { kind: "other" };
}
