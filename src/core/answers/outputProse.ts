/**
 * A thinking step read as prose that quotes Python: where its quoted strings are (so that "is"
 * inside `'This Is'` or a `.` inside `'a. b'` is not taken for prose), its sentences and clauses.
 * Built once per step; each question about a position is a binary search, so a long step costs
 * no more than linear time however many cues it holds.
 */
import { readString } from "./pythonTokens";

/** A quote right after a letter is an apostrophe ("let's", "users'"), unless the letters are a string prefix (`r'…'`). */
const APOSTROPHE_BEFORE = /[\p{L}\p{N}_]$/u;
const PREFIX_BEFORE = /(?:^|[^\p{L}\p{N}_])[rRbBuU]{1,2}$/u;
const MAX_QUOTED = 2000;
/** Sentences are read back at most this far from a cue. */
const MAX_SENTENCE = 400;

export interface Sentence {
  readonly start: number;
  /** From the sentence start up to the position asked about. */
  readonly text: string;
}

/** The last index in sorted `xs` whose value is below `at`, or -1. */
function lastBelow(xs: readonly number[], at: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] ?? 0) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class ProseStep {
  /** Opening-quote positions and the matching ends, sorted and disjoint. */
  private readonly quoteStarts: number[] = [];
  private readonly quoteEnds: number[] = [];
  /** Positions just past each sentence boundary outside quotes. */
  private readonly sentenceStarts: number[] = [0];

  constructor(readonly text: string) {
    const quote = /['"]/g;
    let m: RegExpExecArray | null;
    while ((m = quote.exec(text)) !== null) {
      const before = text.slice(Math.max(0, m.index - 3), m.index);
      if (APOSTROPHE_BEFORE.test(before) && !PREFIX_BEFORE.test(before)) continue;
      // read raw: only where the string ends matters, and a raw read accepts every escape
      const s = readString(text, m.index, "r", Math.min(text.length, m.index + MAX_QUOTED));
      if (s === null) continue;
      this.quoteStarts.push(m.index);
      this.quoteEnds.push(s.end);
      quote.lastIndex = s.end;
    }
    const boundary = /[.!?](?=\s)|\n/g;
    while ((m = boundary.exec(text)) !== null) {
      if (!this.insideQuote(m.index)) this.sentenceStarts.push(m.index + m[0].length);
    }
  }

  /** Whether `at` is strictly inside a quoted string (its opening quote is not inside). */
  insideQuote(at: number): boolean {
    const i = lastBelow(this.quoteStarts, at);
    return i >= 0 && at < (this.quoteEnds[i] ?? 0);
  }

  /** The sentence holding `at` (read back at most {@link MAX_SENTENCE} characters). */
  sentenceAt(at: number): Sentence {
    const i = lastBelow(this.sentenceStarts, at + 1);
    const start = Math.max(this.sentenceStarts[i] ?? 0, at - MAX_SENTENCE);
    return { start, text: this.text.slice(start, at) };
  }
}

/** The last clause of a sentence: after its last comma or semicolon ("…, so the list is X"). */
export function lastClause(sentence: string): string {
  const at = Math.max(sentence.lastIndexOf(", "), sentence.lastIndexOf("; "));
  return at < 0 ? sentence : sentence.slice(at + 2);
}
