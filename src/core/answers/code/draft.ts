/** One piece of code read as a draft: language, definitions, completeness and key. */
import { readCLike, snippetSubject } from "./cLike";
import { guessLanguage } from "./language";
import { hasBlock, pythonKeyTokens, topLevelDefinitions } from "./pythonKey";
import { parsePython, type ParsedPython } from "./pythonParse";
import { lexCode } from "./tokens";
import type { CodeDraft, DraftDefinition, DraftForm, DraftLanguage } from "./types";

/** Removes the indentation all non-blank lines share (Python's `textwrap.dedent`, spaces and tabs alike). */
export function dedent(text: string): string {
  const lines = text.split("\n");
  let common: string | null = null;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? "";
    if (common === null || !indent.startsWith(common)) {
      let k = 0;
      const previous: string = common ?? indent;
      while (k < previous.length && k < indent.length && previous[k] === indent[k]) k++;
      common = previous.slice(0, k);
    }
    if (common === "") return text;
  }
  if (common === null || common === "") return text;
  const cut = common.length;
  return lines.map((line) => (line.trim() === "" ? "" : line.slice(cut))).join("\n");
}

export interface DraftSource {
  readonly text: string;
  readonly start: number;
  readonly form: DraftForm;
  /** The language a fence tag names, if any. */
  readonly language?: DraftLanguage;
  /** The Python parse of `dedent(text)` when the caller already has it. */
  readonly parsed?: ParsedPython;
}

const definitionsKey = (definitions: readonly DraftDefinition[]): string =>
  definitions
    .map((d) => d.key)
    .sort()
    .join("\n");

type DraftReading = Pick<CodeDraft, "definitions" | "subject" | "complete" | "key">;

function draftOf(source: DraftSource, language: DraftLanguage, reading: DraftReading): CodeDraft {
  return {
    language,
    form: source.form,
    text: source.text,
    start: source.start,
    end: source.start + source.text.length,
    names: reading.definitions.map((d) => d.name),
    ...reading,
  };
}

function readPython(source: DraftSource, parsed: ParsedPython): CodeDraft | null {
  const text = parsed.text;
  const script = parsed.tree.topNode;
  const definitions: DraftDefinition[] = topLevelDefinitions(script, text).map((d) => ({
    name: d.name,
    kind: d.kind,
    key: pythonKeyTokens(d.node, text).join(" "),
  }));
  let key: string;
  let subject: string | null = null;
  if (definitions.length > 0) key = definitionsKey(definitions);
  else if (hasBlock(parsed.tree)) key = pythonKeyTokens(script, text).join(" ");
  else {
    const tokens = lexCode(text, "python");
    key = readCLike(tokens).textKey;
    subject = snippetSubject(tokens);
  }
  if (key.replace(/[⏎\s]/g, "") === "") return null;
  return draftOf(source, "python", { definitions, subject, complete: parsed.parses, key });
}

function readTokens(source: DraftSource, language: DraftLanguage): CodeDraft | null {
  const tokens = lexCode(source.text, language);
  if (tokens.length === 0) return null;
  const reading = readCLike(tokens);
  const definitions = reading.definitions;
  const needsBody = source.form === "unfenced";
  return draftOf(source, language, {
    definitions,
    subject: definitions.length > 0 ? null : snippetSubject(tokens),
    complete: reading.balanced && (!needsBody || reading.closedBody),
    key: definitions.length > 0 ? definitionsKey(definitions) : reading.textKey,
  });
}

/** Reads `source` as a draft; null when it holds no code at all. */
export function readDraft(source: DraftSource): CodeDraft | null {
  let parsed = source.parsed ?? null;
  const python = (): ParsedPython => (parsed ??= parsePython(dedent(source.text)));
  const language = source.language !== undefined && source.language !== "unknown"
    ? source.language
    : guessLanguage(source.text, () => python().parses);
  return language === "python" ? readPython(source, python()) : readTokens(source, language);
}
