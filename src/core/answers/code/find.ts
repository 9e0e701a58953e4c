/** Whole-text entry points over the streaming scanner. */
import { CodeDraftScanner, type DraftScannerOptions } from "./scanner";
import type { CodeDraft } from "./types";

/**
 * The code drafts in `text` from `fromOffset` on, with offsets in `text` (absolute). The text
 * before `fromOffset` is not read, so start where no fence or code run is open (0, or the end of
 * a step that a scanner has already read completely); the streaming form is CodeDraftScanner.
 * The text is taken as ended: a block still open at its end is closed there.
 */
export function findCodeDraftsIn(text: string, fromOffset = 0, options: DraftScannerOptions = {}): CodeDraft[] {
  const scanner = new CodeDraftScanner(options);
  const drafts = [...scanner.push(text.slice(fromOffset)), ...scanner.finish()];
  return fromOffset === 0 ? drafts : drafts.map((d) => ({ ...d, start: d.start + fromOffset, end: d.end + fromOffset }));
}

/** The code drafts in one piece of text (a thinking step, a final answer), offsets in it. */
export function findCodeDrafts(stepText: string, options: DraftScannerOptions = {}): CodeDraft[] {
  return findCodeDraftsIn(stepText, 0, options);
}
