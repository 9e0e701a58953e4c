/** Finding numbers and option letters inside running text. */
import { canonicalNumber, parseNumber } from "./numbers";

export interface NumberMatch {
  readonly raw: string;
  /** Canonical spelling (`1,000.50` → `1000.5`). */
  readonly value: string;
  readonly index: number;
}

const NUMBER_IN_TEXT =
  /\\[dt]?frac\s*\{\s*-?\d+(?:\.\d+)?\s*\}\s*\{\s*\d+(?:\.\d+)?\s*\}|(?<![\w.^_])[-−]?\\?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?\/\s?\d+(?![\d.,]*\d))?(?:\s?\\?%)?(?![\w])/g;

/** Every number written in `text`, in order (thousands commas, `$`, `%`, `a/b` and `\frac{a}{b}` included). */
export function findNumbers(text: string): NumberMatch[] {
  const out: NumberMatch[] = [];
  NUMBER_IN_TEXT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMBER_IN_TEXT.exec(text)) !== null) {
    const v = parseNumber(m[0]);
    if (v === null) continue;
    const found = { raw: m[0], value: canonicalNumber(v), index: m.index };
    const previous = out[out.length - 1];
    const joined = previous === undefined ? null : mixedNumber(previous, found);
    if (joined !== null) out[out.length - 1] = joined;
    else out.push(found);
  }
  return out;
}

/** "3 1/2": a whole number followed, one space on, by a proper fraction is one number. */
function mixedNumber(whole: NumberMatch, part: NumberMatch): NumberMatch | null {
  if (part.index !== whole.index + whole.raw.length + 1 || !/^\d+$/.test(whole.raw) || !/^\d+\/\d+$/.test(part.raw)) return null;
  const raw = `${whole.raw} ${part.raw}`;
  const v = parseNumber(raw);
  return v === null ? null : { raw, value: canonicalNumber(v), index: whole.index };
}

/** The first number in `text`, or null. */
export function firstNumber(text: string): NumberMatch | null {
  return findNumbers(text)[0] ?? null;
}

const LETTER = /(?<![A-Za-z0-9\\])\(?([A-J])\)?(?![A-Za-z0-9'’])/g;
const ENGLISH_FOLLOW = /^\)?\s+(?!is\b|as\b|since\b|because\b|and\b|or\b)[a-z]/;

/**
 * The first stand-alone option letter in `text` (`C`, `(C)`, `**C**`, `option C`), or null.
 * "A" and "I" followed by a lower-case word are read as English ("A bit", "I think").
 */
export function firstLetter(text: string): string | null {
  LETTER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LETTER.exec(text)) !== null) {
    const letter = m[1];
    if (letter === undefined) continue;
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 12);
    if ((letter === "A" || letter === "I") && !m[0].startsWith("(") && ENGLISH_FOLLOW.test(after)) continue;
    return letter;
  }
  return null;
}
