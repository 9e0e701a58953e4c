/**
 * Positions for the outside world. JavaScript strings index UTF-16 code units; Python, the judge
 * and fine-tuning tools index code points, so an offset written to a file counts code points
 * (the two differ after an emoji or a character such as "𝑥").
 */

/** Code points in `text.slice(0, end)` (`end` in UTF-16 code units). */
export function codePointOffset(text: string, end: number): number {
  const stop = Math.max(0, Math.min(end, text.length));
  let points = 0;
  for (let i = 0; i < stop; i++) {
    const unit = text.charCodeAt(i);
    // the low half of a surrogate pair belongs to the code point its high half started
    const lowAfterHigh = unit >= 0xdc00 && unit <= 0xdfff && i > 0 && isHigh(text.charCodeAt(i - 1));
    if (!lowAfterHigh) points++;
  }
  return points;
}

/** Code points in `text`. */
export function codePointLength(text: string): number {
  return codePointOffset(text, text.length);
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
