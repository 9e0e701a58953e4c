/** The overthinking marker lexicon (SBT appendix) and a whole-word, case-insensitive counter. */

/** The 26 markers of Self-Braking Tuning. */
export const SBT_MARKERS: readonly string[] = [
  "Another",
  "Backtrack",
  "But",
  "Check",
  "Going back",
  "Hmm",
  "Hmmm",
  "However",
  "Hold on",
  "Instead of",
  "Just to be thorough",
  "Just to make sure",
  "Let me check",
  "Let me just double-check",
  "Let me try another",
  "Let me verify",
  "Maybe",
  "Maybe I can consider",
  "Maybe I should consider",
  "Might",
  "Not sure",
  "Perhaps",
  "Recheck",
  "Retry",
  "Trace back",
  "Wait",
];

/** Words a step may open with that make a good moment to probe for a trial answer (DEER). */
export const TRANSITION_WORDS: readonly string[] = ["wait", "alternatively", "hmm", "hmmm", "hold on", "but wait"];

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A word, as markers and the checking rate count them: separated by spaces or hyphens ("double-check" is two). */
const WORD = /[^\s-]+/g;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export interface MarkerCounter {
  /**
   * Counts markers in a piece of text that starts and ends at word boundaries (a step), and its
   * words split the same way, so that `markerWords / words` is a share of like with like.
   */
  count(text: string): { readonly markers: number; readonly markerWords: number; readonly words: number };
}

/**
 * Builds a counter for a marker list. Markers match whole words, case-insensitively; the words
 * of a phrase may be separated by spaces or hyphens ("double-check"). Overlaps count once, the
 * longest marker winning ("Maybe I should consider" is one marker of four words, not also "Maybe").
 * `markerWords` approximates the marker *tokens* of κ: one token per word.
 */
export function createMarkerCounter(markers: readonly string[]): MarkerCounter {
  const phrases = markers
    .map(words)
    .filter((w) => w.length > 0)
    .sort((a, b) => b.join(" ").length - a.join(" ").length);
  if (phrases.length === 0) return { count: (text) => ({ markers: 0, markerWords: 0, words: words(text).length }) };
  const source = phrases.map((w) => w.map(escape).join("[\\s-]+")).join("|");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_'’])(?:${source})(?![\\p{L}\\p{N}_'’])`, "giu");
  return {
    count(text: string) {
      let markersFound = 0;
      let markerWords = 0;
      pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pattern.exec(text)) !== null) {
        markersFound++;
        markerWords += words(m[0]).length;
      }
      return { markers: markersFound, markerWords, words: words(text).length };
    },
  };
}
