/** Canonical spelling of a math answer, so that trivially different spellings compare equal. */
import { unwrapFormatting } from "./latex";
import { foldFullWidth } from "./width";

const UNIT_WORDS =
  /\\?(?:units?|degrees?|cm|centimeters?|meters?|metres?|inches|inch|feet|foot|ft|miles?|km|kilometers?|hours?|minutes?|seconds?|dollars?|cents?|square|sq|cubic|mph|kg|grams?|pounds?|lbs?)\b/g;

/** Drops `\text{…}` blocks that only carry a unit next to a number; unwraps the others. */
function dropUnits(s: string): string {
  const outside = s.replace(/\\(?:text|mbox|mathrm|textbf)\s*\{[^{}]*\}/g, "");
  if (/\d/.test(outside) && outside.trim().length > 0) {
    return s.replace(/\\(?:text|mbox|mathrm)\s*\{[^{}]*\}(?:\^\{?\d\}?)?/g, "");
  }
  return s;
}

export function normalizeMath(raw: string): string {
  let s = foldFullWidth(raw).trim();
  s = s.replace(/^\$+|\$+$/g, "").replace(/^\\\(|\\\)$/g, "").replace(/^\\\[|\\\]$/g, "");
  s = dropUnits(s);
  s = unwrapFormatting(s);
  s = s.replace(/\\left|\\right|\\displaystyle|\\[!,;:]|\\ |~/g, "");
  s = s.replace(/\\[dt]frac/g, "\\frac");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°/g, "");
  s = s.replace(/\\%|%|\\\$|\$/g, "");
  s = s.replace(UNIT_WORDS, "");
  s = s.replace(/\s+/g, "");
  s = s.replace(/\.+$/, "");
  s = s.replace(/^[a-zA-Z]\\in/, "");
  s = s.replace(/^[a-zA-Z](?:_\{?\w\}?)?=(?!=)/, "");
  s = s.replace(/(\d),(\d{3})(?!\d)/g, "$1$2");
  s = s.replace(/\\frac(\d)(\d)/g, "\\frac{$1}{$2}");
  s = s.replace(/\\frac\{([^{}]*)\}(\d)/g, "\\frac{$1}{$2}");
  s = s.replace(/\\frac(\d)\{/g, "\\frac{$1}{");
  s = s.replace(/\\sqrt(\d+)/g, "\\sqrt{$1}");
  s = s.replace(/\\frac\{(-?\d+)\}\{(\d+)\}/g, "$1/$2");
  s = s.replace(/\*\*/g, "");
  s = s.toLowerCase();
  const letter = /^\(?([a-j])\)?$/.exec(s);
  if (letter?.[1] !== undefined) s = letter[1];
  if (/^-?\d+\.0+$/.test(s)) s = s.slice(0, s.indexOf("."));
  return s;
}

/** Splits on commas that are not inside brackets. */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}
