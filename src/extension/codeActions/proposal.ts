/**
 * What Apply proposes: the document's text with the code block put in, and a short account of
 * what it replaces. The rule:
 *  1. a range is known (lines attached with the question, or a selection): the code replaces it;
 *  2. otherwise, in Python and brace languages, when the code block holds only definitions
 *     (functions, classes, types…) and imports, and at least one definition has the name of a
 *     top-level definition of the document, it replaces those definitions (its other definitions
 *     go next to them, its new imports after the document's imports) and leaves the rest alone;
 *  3. otherwise the code block replaces the whole document, and the account says why.
 * Pure.
 */
import { chunkSource, supportsDefinitions, type Chunk } from "./chunks";

export type ProposalScope = "range" | "definitions" | "wholeFile";

export interface ProposalInput {
  readonly documentText: string;
  readonly code: string;
  /** The document's VS Code language id. */
  readonly languageId: string;
  /** Offsets in documentText of the text the code replaces, when known. */
  readonly range?: { readonly start: number; readonly end: number };
}

export interface ProposedChange {
  /** The whole proposed text of the document. */
  readonly text: string;
  readonly scope: ProposalScope;
  /** A few words for the diff's title: "replaces lines 3–5", "replaces foo, Bar", "replaces the whole file". */
  readonly summary: string;
  /** One or two sentences saying what is replaced and why. */
  readonly detail: string;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const toLf = (text: string): string => text.replace(/\r\n?/g, "\n");

function withEol(text: string, eol: string): string {
  return eol === "\n" ? text : text.replace(/\n/g, eol);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line += 1;
  return line;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function replaceRange(input: ProposalInput, range: { start: number; end: number }, eol: string): ProposedChange {
  const { documentText } = input;
  let code = withEol(toLf(input.code), eol);
  const endsAtLineEnd = range.end === documentText.length || documentText[range.end] === "\n" || documentText[range.end] === "\r";
  const afterNewline = range.end > range.start && documentText[range.end - 1] === "\n";
  if (endsAtLineEnd && !afterNewline && code.endsWith(eol)) code = code.slice(0, -eol.length);
  const first = lineOf(documentText, range.start);
  const last = Math.max(first, lineOf(documentText, afterNewline ? range.end - 1 : range.end));
  const lines = first === last ? `line ${first}` : `lines ${first}–${last}`;
  return {
    text: documentText.slice(0, range.start) + code + documentText.slice(range.end),
    scope: "range",
    summary: `replaces ${lines}`,
    detail: `The code block replaces ${lines}.`,
  };
}

function wholeFile(input: ProposalInput, eol: string, why: string): ProposedChange {
  let text = withEol(toLf(input.code), eol);
  if (input.documentText.endsWith("\n") && !text.endsWith(eol)) text += eol;
  return { text, scope: "wholeFile", summary: "replaces the whole file", detail: `The code block replaces the whole file: ${why}.` };
}

/** Where new imports go: after the document's last import, else after a `#!` line, else at the top. */
function importEdit(doc: string, docChunks: readonly Chunk[], imports: readonly string[]): Edit {
  const lastImport = [...docChunks].reverse().find((c) => c.kind === "import");
  if (lastImport) return { start: lastImport.end, end: lastImport.end, text: `\n${imports.join("\n")}` };
  if (doc.startsWith("#!")) {
    const end = doc.indexOf("\n") === -1 ? doc.length : doc.indexOf("\n");
    return { start: end, end, text: `\n${imports.join("\n")}` };
  }
  return { start: 0, end: 0, text: `${imports.join("\n")}\n\n` };
}

function count(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

export function proposeChange(input: ProposalInput): ProposedChange {
  const eol = input.documentText.includes("\r\n") ? "\r\n" : "\n";
  if (input.range && input.range.end >= input.range.start) return replaceRange(input, input.range, eol);
  if (!supportsDefinitions(input.languageId)) {
    return wholeFile(input, eol, "no lines were selected (to change only some lines, select them and click Apply again)");
  }
  const doc = toLf(input.documentText);
  const code = toLf(input.code);
  const docSource = chunkSource(doc, input.languageId);
  const codeSource = chunkSource(code, input.languageId);
  if (!docSource || !codeSource) return wholeFile(input, eol, "no lines were selected");
  if (!docSource.balanced || !codeSource.balanced) {
    return wholeFile(input, eol, `no lines were selected, and the brackets, strings or comments of the ${docSource.balanced ? "code block" : "file"} do not close, so its definitions cannot be found safely`);
  }
  const codeDefinitions = codeSource.chunks.filter((c) => c.kind === "definition");
  const firstDefinition = codeDefinitions[0];
  if (!firstDefinition) return wholeFile(input, eol, "no lines were selected, and the code block defines no function, class or type to match by name");
  const stray = codeSource.chunks.some((c) => c.kind === "other" || (c.kind === "import" && c.start > firstDefinition.start));
  if (stray) return wholeFile(input, eol, "no lines were selected, and the code block has top-level code besides definitions and imports, so it reads as a whole file");

  const docDefinitions = docSource.chunks.filter((c) => c.kind === "definition");
  const docCounts = count(docDefinitions.map((c) => c.name ?? ""));
  const codeCounts = count(codeDefinitions.map((c) => c.name ?? ""));
  const ambiguous = codeDefinitions.find((c) => (codeCounts.get(c.name ?? "") ?? 0) > 1 || (docCounts.get(c.name ?? "") ?? 0) > 1);
  if (ambiguous) return wholeFile(input, eol, `no lines were selected, and ${ambiguous.name ?? ""} is defined more than once, so which definition to replace is unclear`);
  const matched = codeDefinitions.filter((c) => docCounts.has(c.name ?? ""));
  if (matched.length === 0) {
    const names = listNames(codeDefinitions.map((c) => c.name ?? ""));
    return wholeFile(input, eol, `no lines were selected, and the file has no top-level definition named ${names}`);
  }

  // Each matched definition is replaced by the code block's text from it to the next matched one,
  // so the code block's new definitions (and its spacing) come along; those before the first
  // matched one go with it.
  const edits: Edit[] = matched.map((definition, k) => {
    const from = k === 0 ? firstDefinition : definition;
    const next = matched[k + 1];
    const upTo = next ? codeDefinitions[codeDefinitions.indexOf(next) - 1] : codeDefinitions[codeDefinitions.length - 1];
    const target = docDefinitions.find((c) => c.name === definition.name);
    if (!target || !upTo) throw new Error(`internal: ${definition.name ?? ""} lost its place`);
    return { start: target.start, end: target.end, text: code.slice(from.start, upTo.end) };
  });
  const docImports = new Set(docSource.chunks.filter((c) => c.kind === "import").map((c) => c.normalized));
  const newImports = codeSource.chunks.filter((c) => c.kind === "import" && !docImports.has(c.normalized)).map((c) => code.slice(c.start, c.end));
  if (newImports.length > 0) edits.push(importEdit(doc, docSource.chunks, newImports));

  const replaced = matched.map((c) => c.name ?? "");
  const added = codeDefinitions.filter((c) => !matched.includes(c)).map((c) => c.name ?? "");
  const parts = [`replaces ${listNames(replaced)}`];
  if (added.length > 0) parts.push(`adds ${listNames(added)}`);
  if (newImports.length > 0) parts.push(`adds ${newImports.length === 1 ? "an import" : `${newImports.length} imports`}`);
  const summary = parts.join("; ");
  return {
    text: withEol(applyEdits(doc, edits), eol),
    scope: "definitions",
    summary,
    detail: `The code block ${summary}, matching top-level definitions by name; the rest of the file is unchanged.`,
  };
}
