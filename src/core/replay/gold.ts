/**
 * What a recorded trace is scored against (replay, metrics, training data; never the detector):
 * the gold answer, or for a code dataset the model's final code (`finalCode`, else the text
 * after `</think>`), which counts as written once the thinking has written it out in full.
 */
import { splitTrace } from "./thinking";
import type { TraceRecord } from "./record";

/** The gold answer, or the final code of a code trace (null: a code trace that answered nothing). */
export function goldOf(record: TraceRecord): string | null {
  if (record.answer !== null) return record.answer;
  const code = record.finalCode ?? splitTrace(record.trace).answer;
  return code.trim().length > 0 ? code.trim() : null;
}

/** Offsets of the characters of `text` that are not white space. */
function nonSpaceOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (!/\s/.test(text[i] as string)) out.push(i);
  return out;
}

/**
 * Where the final code is first written out in full in the thinking: the end of its first
 * occurrence with white space ignored (the judge's first criterion, judge/codecheck.py `text_ws`),
 * or null.
 */
export function finalCodeEnd(thinking: string, finalCode: string): number | null {
  const code = finalCode.replace(/\s+/g, "");
  if (code.length === 0) return null;
  const at = thinking.replace(/\s+/g, "").indexOf(code);
  if (at < 0) return null;
  const offsets = nonSpaceOffsets(thinking);
  return (offsets[at + code.length - 1] as number) + 1;
}
