/** "Option C is correct", "(B) is the answer", "so J would be the best": an option letter claimed right. */
import type { AnswerStatement } from "./statement";

const CHOICE_CLAIM = new RegExp(
  [
    String.raw`\b(?:[Oo]ption|[Cc]hoice)\s*(?:\(?([A-J])\)?|\(([a-j])\))(?![A-Za-z])[^.\n]{0,40}?\b(?:is|seems|looks|must\s+be|should\s+be|would\s+be)\s+(?:the\s+)?(?:correct|right|best|answer)\b`,
    String.raw`\(([A-J])\)\s*(?:is|seems)\s+(?:the\s+)?(?:correct|right|best|answer)\b`,
    // "So J would be the best", "B is correct": a bare capital letter claimed right
    String.raw`(?<![A-Za-z0-9'’*])([A-HJ])(?![A-Za-z0-9'’])\s+(?:is|would\s+be|must\s+be|seems\s+to\s+be)\s+(?:the\s+)?(?:correct|right|best)(?:\s+(?:answer|option|choice))?\b`,
    String.raw`\b(?:the\s+)?(?:best|correct|right)\s+(?:option|choice)\s+(?:is|would\s+be|must\s+be)\s+\(?([A-J])\)?(?![A-Za-z])`,
  ].join("|"),
  "g",
);

export function choiceClaims(step: string): AnswerStatement[] {
  const out: AnswerStatement[] = [];
  CHOICE_CLAIM.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CHOICE_CLAIM.exec(step)) !== null) {
    const letter = m.slice(1).find((g) => g !== undefined);
    if (letter !== undefined) out.push({ value: letter.toUpperCase(), kind: "claim", end: m.index + m[0].length });
  }
  return out;
}
