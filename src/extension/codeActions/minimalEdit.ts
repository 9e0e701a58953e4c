/**
 * The smallest single replacement that turns `before` into `after` (common start and end left
 * alone), so that accepting a proposal touches only what changed: the cursor, folding and undo
 * stay where they were elsewhere. Never splits a "\r\n" or a surrogate pair. Pure.
 */
export interface TextReplacement {
  /** Offsets in `before`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function splits(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return (before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff);
}

export function minimalEdit(before: string, after: string): TextReplacement {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix += 1;
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix -= 1;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix += 1;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix))) suffix -= 1;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}
