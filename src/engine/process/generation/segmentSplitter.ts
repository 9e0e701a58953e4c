/**
 * Splits the model's raw output stream into thinking and answer, as it arrives.
 *
 * The thought markers come from the chat wrapper (`<think>` / `</think>` for the DeepSeek-R1
 * distills, QwQ and Qwen3). Text that might be the start of a marker or of a stop text is held
 * back until it is decided, so nothing of a marker ever reaches the thinking or the answer.
 * Offsets are UTF-16 positions in the raw output (everything the model generated, markers
 * included), so the caller can map a character of the thinking back to the token that made it.
 */

export type SplitterPhase = "start" | "thought" | "answer" | "stopped";

export interface SplitterConfig {
  /** Marker that opens the thinking, trimmed (e.g. `<think>`); null when the template has none. */
  readonly open: string | null;
  /** Marker that closes it (e.g. `</think>`). */
  readonly close: string | null;
  /** The prompt already opened the thinking. */
  readonly startInThought: boolean;
  /** Texts that end the answer (besides end-of-generation tokens). */
  readonly stopTexts: readonly string[];
}

export type SplitterOutput =
  | { readonly kind: "thought"; readonly text: string; readonly rawStart: number }
  | { readonly kind: "answer"; readonly text: string; readonly rawStart: number }
  | { readonly kind: "thought-opened"; readonly rawOffset: number }
  | { readonly kind: "thought-closed"; readonly rawOffset: number }
  | { readonly kind: "stop"; readonly rawOffset: number };

/** Length of the longest suffix of `text` that is a proper prefix of one of `needles`. */
function partialSuffix(text: string, needles: readonly string[]): number {
  let best = 0;
  for (const needle of needles) {
    const max = Math.min(needle.length - 1, text.length);
    for (let n = max; n > best; n--) {
      if (text.endsWith(needle.slice(0, n))) {
        best = n;
        break;
      }
    }
  }
  return best;
}

function firstMatch(text: string, needles: readonly string[]): { index: number; needle: string } | null {
  let found: { index: number; needle: string } | null = null;
  for (const needle of needles) {
    const index = text.indexOf(needle);
    if (index >= 0 && (found === null || index < found.index)) found = { index, needle };
  }
  return found;
}

export class SegmentSplitter {
  private phaseValue: SplitterPhase;
  /** Undecided raw text, starting at raw offset `pendingStart`. */
  private pending = "";
  private pendingStart = 0;
  /** Leading whitespace of a segment is dropped (the template's own line breaks). */
  private skipWhitespace: boolean;

  constructor(private readonly config: SplitterConfig) {
    this.phaseValue = config.startInThought && config.close !== null ? "thought" : "start";
    this.skipWhitespace = true;
  }

  get phase(): SplitterPhase {
    return this.phaseValue;
  }

  /** Raw characters held back, undecided (a marker or stop text may be starting). */
  get pendingLength(): number {
    return this.pending.length;
  }

  /** Raw offset just after everything pushed so far. */
  get rawLength(): number {
    return this.pendingStart + this.pending.length;
  }

  /** Forces a phase (the engine injected the end of the thinking itself, or resumed it). */
  setPhase(phase: "thought" | "answer", rawOffset: number, skipLeadingWhitespace = true): void {
    this.phaseValue = phase;
    this.pending = "";
    this.pendingStart = rawOffset;
    this.skipWhitespace = skipLeadingWhitespace;
  }

  push(text: string): SplitterOutput[] {
    const out: SplitterOutput[] = [];
    if (this.phaseValue === "stopped") return out;
    this.pending += text;
    for (;;) {
      const before = this.phase;
      this.step(out);
      const after = this.phase;
      if (after === before || after === "stopped") break;
    }
    return out;
  }

  /** End of stream: whatever was held back belongs to the current segment. */
  flush(): SplitterOutput[] {
    const out: SplitterOutput[] = [];
    if (this.pending.length > 0 && this.phaseValue !== "stopped") {
      const kind = this.phaseValue === "thought" ? "thought" : "answer";
      this.emit(out, kind, this.pending.length);
    }
    return out;
  }

  private consume(n: number): void {
    this.pending = this.pending.slice(n);
    this.pendingStart += n;
  }

  private emit(out: SplitterOutput[], kind: "thought" | "answer", n: number): void {
    if (n <= 0) return;
    let text = this.pending.slice(0, n);
    let start = this.pendingStart;
    if (this.skipWhitespace) {
      const trimmed = text.replace(/^\s+/, "");
      start += text.length - trimmed.length;
      text = trimmed;
      if (text.length > 0) this.skipWhitespace = false;
    }
    this.consume(n);
    if (text.length > 0) out.push({ kind, text, rawStart: start });
  }

  private step(out: SplitterOutput[]): void {
    switch (this.phaseValue) {
      case "start":
        return this.stepStart(out);
      case "thought":
        return this.stepThought(out);
      case "answer":
        return this.stepAnswer(out);
      case "stopped":
        return;
    }
  }

  private stepStart(out: SplitterOutput[]): void {
    const open = this.config.open;
    const lead = this.pending.length - this.pending.replace(/^\s+/, "").length;
    const rest = this.pending.slice(lead);
    if (open !== null && this.config.close !== null) {
      if (rest.startsWith(open)) {
        this.consume(lead + open.length);
        out.push({ kind: "thought-opened", rawOffset: this.pendingStart });
        this.phaseValue = "thought";
        this.skipWhitespace = true;
        return;
      }
      if (rest.length < open.length && open.startsWith(rest)) return; // undecided
    }
    this.phaseValue = "answer";
    this.skipWhitespace = true;
  }

  private stepThought(out: SplitterOutput[]): void {
    const close = this.config.close as string;
    const index = this.pending.indexOf(close);
    if (index >= 0) {
      this.emit(out, "thought", index);
      this.consume(close.length);
      out.push({ kind: "thought-closed", rawOffset: this.pendingStart });
      this.phaseValue = "answer";
      this.skipWhitespace = true;
      return;
    }
    this.emit(out, "thought", this.pending.length - partialSuffix(this.pending, [close]));
  }

  private stepAnswer(out: SplitterOutput[]): void {
    const stops = this.config.stopTexts;
    const match = firstMatch(this.pending, stops);
    if (match) {
      this.emit(out, "answer", match.index);
      out.push({ kind: "stop", rawOffset: this.pendingStart });
      this.consume(this.pending.length);
      this.phaseValue = "stopped";
      return;
    }
    this.emit(out, "answer", this.pending.length - partialSuffix(this.pending, stops));
  }
}
