/** Are two answers the same answer? Numbers by value, letters by letter, expressions after normalisation. */
import { evaluateConstant, sampleValues, variablesOf } from "./evaluate";
import type { AnswerFormat } from "./format";
import { parseChoice } from "./format";
import { normalizeMath, splitTopLevel } from "./normalize";
import { parseNumber, sameNumber } from "./numbers";
import { outputAnswersEquivalent } from "./outputAnswer";

export function answersEquivalent(a: string, b: string, format: AnswerFormat): boolean {
  if (format === "output") return outputAnswersEquivalent(a, b);
  if (format === "choice") {
    const ca = parseChoice(a);
    const cb = parseChoice(b);
    if (ca !== null || cb !== null) return ca === cb;
    return normalizeMath(a) === normalizeMath(b);
  }
  const na = parseNumber(a);
  const nb = parseNumber(b);
  if (na !== null && nb !== null) return sameNumber(na, nb);
  if (format === "number" && (na !== null || nb !== null)) {
    return mathEquivalent(a, b);
  }
  return mathEquivalent(a, b);
}

function mathEquivalent(a: string, b: string): boolean {
  const x = normalizeMath(a);
  const y = normalizeMath(b);
  if (x.length === 0 || y.length === 0) return false;
  return normalisedEquivalent(x, y, 0);
}

function normalisedEquivalent(x: string, y: string, depth: number): boolean {
  if (x === y) return true;
  if (depth < 2 && (x.includes(",") || y.includes(","))) {
    const open = x[0];
    const close = x[x.length - 1];
    if (open === y[0] && close === y[y.length - 1]) {
      const inner = (s: string): string => (/^[([{]/.test(s) && /[)\]}]$/.test(s) ? s.slice(1, -1) : s);
      const px = splitTopLevel(inner(x));
      const py = splitTopLevel(inner(y));
      if (px.length > 1 && px.length === py.length) {
        return px.every((p, i) => normalisedEquivalent(p, py[i] ?? "", depth + 1));
      }
    }
    return false;
  }
  const vx = evaluateConstant(x);
  const vy = evaluateConstant(y);
  if (vx !== null || vy !== null) return vx !== null && vy !== null && sameNumber(vx, vy);
  const names = variablesOf(x);
  if (names.length === 0 || names.join() !== variablesOf(y).join()) return false;
  const sx = sampleValues(x, names);
  const sy = sampleValues(y, names);
  return sx !== null && sy !== null && sx.every((v, i) => sameNumber(v, sy[i] ?? NaN));
}
