/**
 * Incremental SBT step segmentation: steps are separated by blank lines, i.e. the text is
 * split on "\n\n" exactly as `text.split("\n\n")` would (non-overlapping, left to right), but
 * fed in chunks. Each character is looked at a constant number of times.
 */

export interface CompletedStep {
  /** The step's text, without the separator. */
  readonly text: string;
  /** Offset just past the "\n\n" that closed it (where a brake after this step keeps the text up to). */
  readonly end: number;
}

/**
 * A whole text's steps, the pieces of `text.split("\n\n")` with their end offsets: the
 * completed steps as the detector sees them, then the unfinished last piece (possibly empty),
 * which ends at the end of the text. The detector, the SBT metrics and the replay oracle all
 * count steps this way.
 */
export function splitSteps(text: string): CompletedStep[] {
  const segmenter = new StepSegmenter();
  const steps = segmenter.push(text);
  steps.push({ text: segmenter.currentText(), end: text.length });
  return steps;
}

export class StepSegmenter {
  private parts: string[] = [];
  private partsLength = 0;
  private endsWithNewline = false;
  private consumed = 0;

  /** Characters pushed so far. */
  get offset(): number {
    return this.consumed;
  }

  /** Offset where the step being written began. */
  get currentStepStart(): number {
    return this.consumed - this.partsLength;
  }

  /** The step being written so far (joins its parts; use sparingly). */
  currentText(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join("")];
    return this.parts[0] ?? "";
  }

  /** Feeds text; returns the steps it completed, in order. */
  push(text: string): CompletedStep[] {
    const out: CompletedStep[] = [];
    const base = this.consumed;
    let from = 0;
    if (this.endsWithNewline && text.startsWith("\n")) {
      const body = this.currentText();
      out.push({ text: body.slice(0, -1), end: base + 1 });
      this.reset();
      from = 1;
    }
    for (;;) {
      const at = text.indexOf("\n\n", from);
      if (at < 0) break;
      const body = this.partsLength > 0 ? this.currentText() + text.slice(from, at) : text.slice(from, at);
      out.push({ text: body, end: base + at + 2 });
      this.reset();
      from = at + 2;
    }
    const rest = text.slice(from);
    if (rest.length > 0) {
      this.parts.push(rest);
      this.partsLength += rest.length;
      this.endsWithNewline = rest.endsWith("\n");
    }
    this.consumed += text.length;
    return out;
  }

  private reset(): void {
    this.parts = [];
    this.partsLength = 0;
    this.endsWithNewline = false;
  }
}
