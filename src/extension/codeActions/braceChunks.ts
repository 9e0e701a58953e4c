/**
 * Top-level statements of brace languages (C, C++, C#, Java, JavaScript, TypeScript, Go, Rust…):
 * a statement starts at a line of code outside every bracket, comment and string, and ends at a
 * line where the brackets are balanced again and the line ends with `}` or `;`, or where the next
 * line of code does not continue it (as `{` on its own line, `.then(…)` or an operator does).
 */
import type { ChunkKind, SourceLine, Statement } from "./chunkTypes";

interface LineState {
  readonly depthAtEnd: number;
  /** A block comment or a template string is still open at the line's end. */
  readonly openAtEnd: boolean;
  /** The line has something besides white space and comments. */
  readonly hasCode: boolean;
  /** The line up to its last character of code (trailing comments cut off). */
  readonly code: string;
}

export interface BraceOptions {
  /** '…' is a string (JavaScript, PHP), not a character literal or a Rust lifetime. */
  readonly quoteStrings: boolean;
  /** `…` strings may span lines (JavaScript, TypeScript). */
  readonly templates: boolean;
}

const CHAR_LITERAL = /^'(?:\\.[^']{0,8}|[^'\\])'/;

function scanLines(lines: readonly SourceLine[], options: BraceOptions): { states: LineState[]; balanced: boolean } {
  let depth = 0;
  let block = false;
  let template = false;
  let balanced = true;
  const states = lines.map(({ text }): LineState => {
    let hasCode = false;
    let lastCode = -1;
    let i = 0;
    while (i < text.length) {
      if (block) {
        if (text.startsWith("*/", i)) {
          block = false;
          i += 2;
        } else i += 1;
        continue;
      }
      if (template) {
        if (text[i] === "`") {
          template = false;
          lastCode = i;
        }
        i += text[i] === "\\" ? 2 : 1;
        continue;
      }
      const c = text[i] ?? "";
      if (/\s/.test(c)) {
        i += 1;
        continue;
      }
      if (text.startsWith("//", i)) break;
      if (text.startsWith("/*", i)) {
        block = true;
        i += 2;
        continue;
      }
      hasCode = true;
      lastCode = i;
      const literal = c === "'" && !options.quoteStrings ? CHAR_LITERAL.exec(text.slice(i)) : null;
      if (literal) {
        i += literal[0].length;
        lastCode = i - 1;
        continue;
      }
      if (c === '"' || (c === "'" && options.quoteStrings)) {
        i += 1;
        while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
        lastCode = Math.min(i, text.length - 1);
        i += 1;
        continue;
      }
      if (c === "`" && options.templates) {
        template = true;
        i += 1;
        continue;
      }
      if ("([{".includes(c)) depth += 1;
      else if (")]}".includes(c)) {
        depth -= 1;
        if (depth < 0) {
          balanced = false;
          depth = 0;
        }
      }
      i += 1;
    }
    return { depthAtEnd: depth, openAtEnd: block || template, hasCode: hasCode || template, code: text.slice(0, lastCode + 1).trimEnd() };
  });
  if (depth !== 0 || block || template) balanced = false;
  return { states, balanced };
}

/** The statement goes on to the next line of code: the line ends in an operator or the next begins with one. */
function continues(code: string, next: string): boolean {
  if (/(?:[=,([+\-*/&|?:.<]|=>|->)$/.test(code) || /^\s*template\s*</.test(code)) return true;
  return /^(?:[{.)\],?:=+\-*/&|>]|(?:where|extends|implements|throws|const|noexcept|override|final)\b)/.test(next.trimStart());
}

export function braceStatements(lines: readonly SourceLine[], options: BraceOptions): {
  statements: Statement[];
  isComment: (line: number) => boolean;
  isDecorator: (s: Statement) => boolean;
  balanced: boolean;
} {
  const { states, balanced } = scanLines(lines, options);
  const hasCode = (index: number): boolean => states[index]?.hasCode ?? false;
  const nextCodeLine = (after: number): number | undefined => {
    for (let k = after + 1; k < lines.length; k += 1) if (hasCode(k)) return k;
    return undefined;
  };
  const statements: Statement[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!hasCode(i)) {
      i += 1;
      continue;
    }
    let j = i;
    for (;;) {
      const state = states[j];
      if (!state || j >= lines.length - 1) break;
      if (state.depthAtEnd > 0 || state.openAtEnd) {
        j += 1;
        continue;
      }
      if (/[};]$/.test(state.code)) break;
      const next = nextCodeLine(j);
      if (next === undefined || !continues(state.code, lines[next]?.text ?? "")) break;
      j = next;
    }
    statements.push({ first: i, last: j, header: i });
    i = j + 1;
  }
  const isComment = (index: number): boolean => !hasCode(index) && (lines[index]?.text.trim() ?? "") !== "";
  const isDecorator = (s: Statement): boolean => /^\s*(?:@|#\[|\[)/.test(lines[s.header]?.text ?? "");
  return { statements, isComment, isDecorator, balanced };
}

const MODIFIERS =
  /^(?:(?:export|default|declare|public|private|protected|internal|static|final|abstract|sealed|open|override|async|unsafe|inline|virtual|partial|readonly|data|suspend|extern(?:\s+"[^"]*")?|pub(?:\([^)]*\))?|const(?=\s+fn\b))\s+)*/;
const NOT_FUNCTIONS = new Set(["if", "for", "while", "switch", "return", "sizeof", "catch", "do", "else", "function"]);

/** The statement's text from its header line, white space collapsed, up to its first `{`. */
function headerText(lines: readonly SourceLine[], statement: Statement): { header: string; hasBody: boolean } {
  const text = lines
    .slice(statement.header, statement.last + 1)
    .map((line) => line.text)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const brace = text.indexOf("{");
  return { header: brace === -1 ? text : text.slice(0, brace).trim(), hasBody: brace !== -1 };
}

export function nameBraceStatement(lines: readonly SourceLine[], statement: Statement): { kind: ChunkKind; name?: string } {
  const { header: raw, hasBody } = headerText(lines, statement);
  if (/^export\s+(?:type\s+)?(?:\*|\{.*\})\s+from\b/.test(raw) || /^(["'])use strict\1/.test(raw)) return { kind: "import" };
  const header = raw.replace(/^template\s*<[^>]*>\s*/, "").replace(MODIFIERS, "");
  if (/^(?:import|use|using(?!\s*\()|package|extern\s+crate)\b|^#\s*include\b/.test(header)) return { kind: "import" };
  if (/^(?:const|let|var)\s+[\w${},\s]+=\s*require\(/.test(header)) return { kind: "import" };
  const definition = (name: string | undefined): { kind: ChunkKind; name?: string } => (name ? { kind: "definition", name } : { kind: "other" });

  const goMethod = /^func\s*\(\s*(?:\w+\s+)?\*?\s*([\w.]+)(?:\[[^\]]*\])?\s*\)\s*(\w+)/.exec(header);
  if (goMethod) return definition(`${goMethod[1]}.${goMethod[2]}`);
  const keywordFunction = /^(?:function\s*\*?|fn|func|fun|def|sub)\s*(?:<[^>]*>\s*)?([A-Za-z_$][\w$.]*)/.exec(header);
  if (keywordFunction) return definition(keywordFunction[1]);
  if (/^impl\b/.test(header)) return definition(header.replace(/\s+where\b.*$/, "").trim());
  const type = /^(?:class|struct|interface|enum(?:\s+class)?|trait|union|record|namespace|module|object|protocol|extension|mod|type|typealias)\s+([\w$.:]+)/.exec(header);
  if (type) return definition(type[1]);
  const variable = /^(?:const|let|var|val|static)\s+(?:mut\s+)?([A-Za-z_$][\w$]*)/.exec(header);
  if (variable) return definition(variable[1]);
  const paren = header.indexOf("(");
  if (hasBody && paren > 0) {
    const name = /([~\w:]+)\s*$/.exec(header.slice(0, paren))?.[1];
    if (name && !NOT_FUNCTIONS.has(name)) return definition(name);
  }
  return { kind: "other" };
}
