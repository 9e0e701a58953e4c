/**
 * Positions for the outside world. JavaScript strings index UTF-16 code units; Python, the judge
 * and fine-tuning tools index code points, so an offset written to a file counts code points
 * (the two differ after an emoji or a character such as "𝑥").
 */

/** Code points in `text.slice(0, end)` (`end` in UTF-16 code units; a string iterates by code point). */
export function codePointOffset(text: string, end: number): number {
  let points = 0;
  for (const _ of text.slice(0, Math.max(0, end))) points++;
  return points;
}

/** Code points in `text`. */
export function codePointLength(text: string): number {
  return codePointOffset(text, text.length);
}
