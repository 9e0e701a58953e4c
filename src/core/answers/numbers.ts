/**
 * Reading plain numbers the way people and models write them: `1,234`, `$18`, `-0.5`, `75%`,
 * `3/4`, `3 1/2`, `\frac{3}{4}`, `\dfrac34`, `2\frac{1}{2}`, `1\,000`, `18.00`.
 */

import { foldFullWidth } from "./width";

const PLAIN = /^[-+−]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const GROUPED = /^[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const SPACE_GROUPED = /^[-+−]?\d{1,3}(?:(?:\\,|\\ |\s|\{,\})\d{3})+(?:\.\d+)?$/;
const SLASH_FRACTION = /^([-+−]?)(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/;
const LATEX_FRACTION = /^([-+−]?)\\[dt]?frac\s*(?:\{\s*([-−]?\d+(?:\.\d+)?)\s*\}|(\d))\s*(?:\{\s*(\d+(?:\.\d+)?)\s*\}|(\d))$/;
/** `3 1/2`: a whole number, one space and a proper fraction. */
const MIXED_SLASH = /^([-+−]?)(\d+) (\d+)\s*\/\s*(\d+)$/;
const MIXED_FRACTION = /^([-+−]?)(\d+)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}$/;

/** Removes currency, percent and degree signs, LaTeX spacing, `\text{…}` units and wrapping `$`. */
export function stripNumberDecorations(raw: string): string {
  let s = foldFullWidth(raw).trim();
  s = s.replace(/\\(?:text|mathrm|textbf|mbox|mathbf)\s*\{\s*([^{}]*)\}/g, "$1");
  s = s.replace(/\\[!;:]|~/g, "");
  s = s.replace(/\\left|\\right/g, "");
  s = s.replace(/\\\$|\$|€|£|¥|\\%|%|\^\s*\{?\\circ\}?|°|\\circ/g, "");
  s = s.replace(/\*\*/g, "");
  s = s.replace(/^\\\(|\\\)$/g, "");
  s = s.replace(/\s+/g, " ").trim();
  s = s.replace(/[.。]$/, "").trim();
  return s;
}

function sign(s: string): number {
  return s === "-" || s === "−" ? -1 : 1;
}

/** The value of a string that is exactly one number (after decorations), or null. */
export function parseNumber(raw: string): number | null {
  const s = stripNumberDecorations(raw);
  if (s.length === 0 || s.length > 40) return null;
  if (PLAIN.test(s)) return Number(s.replace("−", "-"));
  if (GROUPED.test(s)) return Number(s.replace(/,/g, "").replace("−", "-"));
  if (SPACE_GROUPED.test(s)) return Number(s.replace(/\\,|\\ |\s|\{,\}/g, "").replace("−", "-"));
  let m = SLASH_FRACTION.exec(s);
  if (m) return fraction(sign(m[1] ?? ""), m[2], m[3]);
  m = LATEX_FRACTION.exec(s);
  if (m) return fraction(sign(m[1] ?? ""), m[2] ?? m[3], m[4] ?? m[5]);
  m = MIXED_FRACTION.exec(s) ?? MIXED_SLASH.exec(s);
  if (m) return mixed(sign(m[1] ?? ""), m[2], fraction(1, m[3], m[4]));
  return null;
}

function mixed(sgn: number, whole: string | undefined, part: number | null): number | null {
  if (whole === undefined || part === null || part >= 1) return null;
  return sgn * (Number(whole) + part);
}

function fraction(sgn: number, num: string | undefined, den: string | undefined): number | null {
  if (num === undefined || den === undefined) return null;
  const d = Number(den);
  if (d === 0) return null;
  return (sgn * Number(num.replace("−", "-"))) / d;
}

/** Equal as numbers, with a relative tolerance for rounding noise. */
export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** A short canonical spelling: integers without decimals, others with at most 10 significant digits. */
export function canonicalNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const rounded = Number(value.toPrecision(10));
  return Number.isInteger(rounded) ? String(rounded) : String(rounded);
}
