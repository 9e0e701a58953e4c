/**
 * What a recorded trace is scored against (replay, metrics, training data; never the detector):
 * the gold answer, or for a code dataset the model's final code (`finalCode`, else the text
 * after `</think>`), which counts as written once the thinking has written it out in full.
 */
import { coversDefinitions, findCodeDrafts, findCodeDraftsIn } from "../answers/code";
import type { CodeDraft } from "../answers/code";
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

/** The end of the first occurrence of `code` in `text` with white space ignored, or null. */
function textEnd(text: string, code: string): number | null {
  const squeezed = code.replace(/\s+/g, "");
  if (squeezed.length === 0) return null;
  const at = text.replace(/\s+/g, "").indexOf(squeezed);
  if (at < 0) return null;
  const offsets = nonSpaceOffsets(text);
  return (offsets[at + squeezed.length - 1] as number) + 1;
}

/** The final code as one draft: its fence removed, the draft with the most definitions (Python only, as the judge reads ASTs). */
function finalPythonDraft(finalCode: string): CodeDraft | null {
  const drafts = findCodeDrafts(finalCode).filter((d) => d.complete && d.language === "python" && d.definitions.length > 0);
  return drafts.reduce<CodeDraft | null>((best, d) => (best === null || d.definitions.length > best.definitions.length ? d : best), null);
}

/**
 * Where the final code is first written out in full in the thinking, as the code judge finds it
 * (judge/codecheck.py): its text with white space ignored, or for Python a block with the same
 * syntax tree or defining the same functions and classes (comments, docstrings and layout
 * aside). Null when it never is.
 */
export function finalCodeEnd(thinking: string, finalCode: string): number | null {
  const ends: number[] = [];
  const text = textEnd(thinking, finalCode);
  if (text !== null) ends.push(text);
  const final = finalPythonDraft(finalCode);
  if (final !== null) {
    const block = findCodeDraftsIn(thinking).find((d) => d.complete && (d.key === final.key || coversDefinitions(d, final)));
    if (block !== undefined) ends.push(block.end);
  }
  return ends.length === 0 ? null : Math.min(...ends);
}
