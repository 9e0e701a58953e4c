/**
 * Finds code drafts in a model's thinking as it streams, line by line. Text may be pushed in
 * chunks of any size; only complete lines are read (a line's kind depends on how it starts, and
 * a code run only ends at the first line that is not code), so a draft is reported once the line
 * after it is complete — or when the block's fence closes, or at `finish()`. Each line is
 * classified once and each draft is read (parsed) once when it closes: the work per character is
 * constant, bounded by the draft size limit, whatever the chunking.
 */
import { dedent, readDraft } from "./draft";
import { languageOfTag } from "./language";
import {
  braceDelta,
  C_LIKE_PREAMBLE,
  continuesCLikeRun,
  continuesPythonRun,
  fenceCloseAt,
  fenceOpening,
  interruptsCLikeBody,
  isCLikeHead,
  pythonRunIndent,
} from "./lines";
import { topLevelDefinitions } from "./pythonKey";
import { parsePython, type ParsedPython } from "./pythonParse";
import { findSnippetSpans, isPythonBlockHeader, type SnippetSpan } from "./snippets";
import type { CodeDraft } from "./types";

export interface DraftScannerOptions {
  /** Blocks longer than this (characters) are not drafts: they are dropped unread. Default 16,000. */
  readonly maxDraftChars?: number;
  /** Blocks with more lines than this are dropped unread. Default 400. */
  readonly maxDraftLines?: number;
  /** Also report code inside prose lines and single code lines (default true). */
  readonly snippets?: boolean;
}

interface Line {
  readonly text: string;
  readonly start: number;
}

interface OpenBlock {
  readonly kind: "fence" | "python" | "c-like";
  readonly lines: Line[];
  chars: number;
  overflow: boolean;
  /** fence: its marker and tag. */
  readonly marker: string;
  readonly tag: string;
  /** python and c-like: the indentation of the first line (runs are read relative to it). */
  indent: string;
  /** c-like: brace depth and whether a body was opened. */
  depth: number;
  opened: boolean;
}

interface WholeLineSnippet {
  readonly line: Line;
  readonly span: SnippetSpan;
}

/** How many top-level cut points an unfenced Python run that does not parse is tried at. */
const MAX_TRIMS = 8;

export class CodeDraftScanner {
  private readonly maxChars: number;
  private readonly maxLines: number;
  private readonly snippets: boolean;
  private partial: string[] = [];
  private lineStart = 0;
  private consumed = 0;
  private block: OpenBlock | null = null;
  /** A C-like head whose `{` may come on the next line. */
  private head: Line | null = null;
  private lineGroup: WholeLineSnippet[] = [];
  /** A blank line after the group, kept in case the group goes on after it. */
  private groupBlank: Line | null = null;
  private groupChars = 0;
  /** The group grew past the size limits: it is dropped when it ends, like an oversized block. */
  private groupOverflow = false;
  private out: CodeDraft[] = [];

  constructor(options: DraftScannerOptions = {}) {
    this.maxChars = options.maxDraftChars ?? 16000;
    this.maxLines = options.maxDraftLines ?? 400;
    this.snippets = options.snippets ?? true;
  }

  /** Characters pushed so far. */
  get offset(): number {
    return this.consumed;
  }

  /** Feeds thinking text; returns the drafts it closed, in order of their end. */
  push(text: string): CodeDraft[] {
    let from = 0;
    for (;;) {
      const newline = text.indexOf("\n", from);
      if (newline < 0) break;
      const piece = text.slice(from, newline);
      const raw = this.partial.length > 0 ? this.partial.join("") + piece : piece;
      this.partial = [];
      this.readLine({ text: raw.endsWith("\r") ? raw.slice(0, -1) : raw, start: this.lineStart });
      this.lineStart += raw.length + 1;
      from = newline + 1;
    }
    if (from < text.length) this.partial.push(text.slice(from));
    this.consumed += text.length;
    return this.take();
  }

  /** The thinking ended: reads the last line and closes whatever is open. */
  finish(): CodeDraft[] {
    if (this.partial.length > 0) {
      const raw = this.partial.join("");
      this.partial = [];
      this.readLine({ text: raw, start: this.lineStart });
      this.lineStart += raw.length;
    }
    this.closeBlock();
    if (this.head !== null) {
      const head = this.head;
      this.head = null;
      this.readProse(head);
    }
    this.flushLineGroup();
    return this.take();
  }

  private take(): CodeDraft[] {
    const drafts = this.out.sort((a, b) => a.end - b.end);
    this.out = [];
    return drafts;
  }

  private emit(draft: CodeDraft | null): void {
    if (draft !== null) this.out.push(draft);
  }

  private readLine(line: Line): void {
    const block = this.block;
    if (block !== null) {
      if (this.continueBlock(block, line)) return;
      this.closeBlock();
    }
    if (this.head !== null) {
      const head = this.head;
      this.head = null;
      if (line.text.trim().startsWith("{")) {
        this.continueBlock(this.openBlock("c-like", head), line);
        return;
      }
      this.readProse(head);
    }
    this.startLine(line);
  }

  /** A line outside any block. */
  private startLine(line: Line): void {
    const fence = fenceOpening(line.text);
    if (fence !== null) {
      this.flushLineGroup();
      this.block = this.newBlock("fence", fence.marker, fence.tag);
      return;
    }
    if (pythonRunIndent(line.text) !== null) {
      this.openBlock("python", line);
      return;
    }
    if (isCLikeHead(line.text) || C_LIKE_PREAMBLE.test(line.text)) {
      if (braceDelta(line.text).opened || C_LIKE_PREAMBLE.test(line.text)) {
        this.openBlock("c-like", line);
        return;
      }
      if (!line.text.trimEnd().endsWith(";")) {
        this.flushLineGroup();
        this.head = line;
        return;
      }
    }
    this.readProse(line);
  }

  private newBlock(kind: OpenBlock["kind"], marker = "", tag = ""): OpenBlock {
    return { kind, lines: [], chars: 0, overflow: false, marker, tag, indent: "", depth: 0, opened: false };
  }

  private openBlock(kind: "python" | "c-like", first: Line): OpenBlock {
    this.flushLineGroup();
    const block = this.newBlock(kind);
    block.indent = /^[ \t]*/.exec(first.text)?.[0] ?? "";
    this.addLine(block, first);
    if (kind === "c-like") {
      const { delta, opened } = braceDelta(first.text);
      block.depth = Math.max(0, delta);
      block.opened = opened;
    }
    this.block = block;
    return block;
  }

  private addLine(block: OpenBlock, line: Line): void {
    block.chars += line.text.length + 1;
    if (block.chars > this.maxChars || block.lines.length >= this.maxLines) block.overflow = true;
    if (!block.overflow) block.lines.push(line);
  }

  /** Whether `line` belongs to the open block (and takes it); false when the block ended before it. */
  private continueBlock(block: OpenBlock, line: Line): boolean {
    if (block.kind === "fence") {
      const close = fenceCloseAt(line.text, block.marker);
      if (close < 0) {
        this.addLine(block, line);
        return true;
      }
      if (line.text.slice(0, close).trim() !== "") this.addLine(block, { text: line.text.slice(0, close), start: line.start });
      this.closeBlock();
      return true;
    }
    if (fenceOpening(line.text) !== null) return false;
    if (block.kind === "python") {
      if (!continuesPythonRun(line.text, block.indent) || block.overflow) return false;
      this.addLine(block, line);
      return true;
    }
    const opensBody = !block.opened && line.text.trim().startsWith("{");
    if (block.depth > 0) {
      if (interruptsCLikeBody(line.text, block.indent) || block.overflow) return false;
    } else if ((!opensBody && !continuesCLikeRun(line.text)) || block.overflow) return false;
    const { delta, opened } = braceDelta(line.text);
    block.depth = Math.max(0, block.depth + delta);
    block.opened ||= opened;
    this.addLine(block, line);
    return true;
  }

  private closeBlock(): void {
    const block = this.block;
    if (block === null) return;
    this.block = null;
    if (block.overflow) return;
    const lines = block.lines.slice();
    while (lines.length > 0 && (lines[lines.length - 1]?.text.trim() ?? "") === "") lines.pop();
    while (block.kind === "fence" && lines.length > 0 && (lines[0]?.text.trim() ?? "") === "") lines.shift();
    const first = lines[0];
    if (first === undefined) return;
    if (block.kind === "python") {
      this.emitPythonRun(trimBlankEnd(lines), block.indent);
      return;
    }
    const language = block.kind === "fence" ? languageOfTag(block.tag) : "c-like";
    this.emit(readDraft({ text: joinLines(lines), start: first.start, form: block.kind === "fence" ? "fenced" : "unfenced", language }));
  }

  /**
   * An unfenced Python run, read as the judge reads it: the whole run if it parses, else the
   * longest prefix that ends before a top-level line and parses (a broken trailing statement is
   * dropped; a body is never cut), else the whole run as an incomplete draft.
   */
  private emitPythonRun(lines: readonly Line[], indent: string): void {
    const first = lines[0];
    if (first === undefined) return;
    const whole = joinLines(lines);
    const parsed = parsePython(dedent(whole));
    const again = redefinitionLine(parsed);
    if (again > 0) {
      this.emitPythonRun(trimBlankEnd(lines.slice(0, again)), indent);
      this.emitPythonRun(lines.slice(again), indent);
      return;
    }
    if (!parsed.parses) {
      let tries = 0;
      for (let k = lines.length - 1; k > 0 && tries < MAX_TRIMS; k--) {
        const rest = (lines[k]?.text ?? "").slice(indent.length);
        if (rest === "" || rest[0] === " " || rest[0] === "\t") continue;
        tries++;
        let end = k;
        while (end > 1 && (lines[end - 1]?.text.trim() ?? "") === "") end--;
        const prefix = joinLines(lines.slice(0, end));
        const trimmed = parsePython(dedent(prefix));
        if (trimmed.parses) {
          this.emit(readDraft({ text: prefix, start: first.start, form: "unfenced", language: "python", parsed: trimmed }));
          return;
        }
      }
    }
    this.emit(readDraft({ text: whole, start: first.start, form: "unfenced", language: "python", parsed }));
  }

  /**
   * A line of prose: the code inside it. Lines that are code and nothing else (and Python block
   * headers such as `for i in range(n):`) are grouped while they follow each other, across single
   * blank lines, into one `line` draft.
   */
  private readProse(line: Line): void {
    if (!this.snippets) return;
    if (line.text.trim() === "") {
      if ((this.lineGroup.length > 0 || this.groupOverflow) && this.groupBlank === null) this.groupBlank = line;
      else this.flushLineGroup();
      return;
    }
    const header = isPythonBlockHeader(line.text);
    const spans = header ? [] : findSnippetSpans(line.text);
    const whole = spans.length === 1 && spans[0]?.wholeLine === true ? spans[0] : null;
    if (whole !== null || header) {
      const from = line.text.search(/\S/);
      const span = whole ?? { from, to: line.text.trimEnd().length, wholeLine: true, backticked: false };
      if (this.groupBlank !== null) this.addToGroup({ line: this.groupBlank, span: { from: 0, to: 0, wholeLine: true, backticked: false } });
      this.groupBlank = null;
      this.addToGroup({ line, span });
      return;
    }
    this.flushLineGroup();
    for (const span of spans) {
      this.emit(readDraft({ text: line.text.slice(span.from, span.to), start: line.start + span.from, form: "inline" }));
    }
  }

  private addToGroup(entry: WholeLineSnippet): void {
    this.groupChars += entry.line.text.length + 1;
    if (this.groupChars > this.maxChars || this.lineGroup.length >= this.maxLines) this.groupOverflow = true;
    if (!this.groupOverflow) this.lineGroup.push(entry);
  }

  private flushLineGroup(): void {
    const group = this.groupOverflow ? [] : this.lineGroup;
    this.lineGroup = [];
    this.groupBlank = null;
    this.groupChars = 0;
    this.groupOverflow = false;
    const first = group[0];
    const last = group[group.length - 1];
    if (first === undefined || last === undefined) return;
    // A group of several lines keeps the first line's indentation, so that the lines stay aligned.
    const from = group.length > 1 && !first.span.backticked ? 0 : first.span.from;
    const parts = group.map((g, k) => g.line.text.slice(k === 0 ? from : 0, k === group.length - 1 ? g.span.to : g.line.text.length));
    this.emit(readDraft({ text: parts.join("\n"), start: first.line.start + from, form: "line" }));
  }
}

/**
 * The line where a run defines a top-level name a second time (the model wrote the function out
 * again right after the first version): the run is two drafts, split there. 0 when none.
 */
function redefinitionLine(parsed: ParsedPython): number {
  const seen = new Set<string>();
  for (const d of topLevelDefinitions(parsed.tree.topNode, parsed.text)) {
    if (seen.has(d.name)) return countNewlines(parsed.text, d.node.from);
    seen.add(d.name);
  }
  return 0;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** The lines without the blank and comment-only lines at their end (a draft ends at its last line of code). */
function trimBlankEnd(lines: Line[]): Line[] {
  while (lines.length > 1 && /^\s*(?:#.*)?$/.test(lines[lines.length - 1]?.text ?? "")) lines.pop();
  return lines;
}

function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text).join("\n");
}
