/**
 * A TypeScript port of the scoring in ../shared/eval/judge/judge.py (oracle cut, "answer stated
 * before the cut", answer equality, capture), so the brake-* scripts can score many variants
 * quickly without writing per-trace files. The Python judge stays the reference: final numbers
 * come from it. Differences: `same` on math answers uses the project's `answersEquivalent`
 * instead of the judge's sympy check (it agrees on the dev files within a trace or two).
 */
import { answersEquivalent } from "../src/core/answers/equivalence";

/** Datasets whose answers are plain numbers (judge: NUMERIC). */
export const NUMERIC_DATASETS = new Set(["gsm8k", "aime", "numeric"]);

const NUM = String.raw`-?\$?\d[\d,]*(?:\.\d+)?`;

/** Python's norm_num: drop `$` and `,`, integers without decimals. */
export function normNum(raw: string): string {
  const s = raw.replace(/\$/g, "").replace(/,/g, "").trim().replace(/\.+$/, "");
  if (/^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i.test(s)) {
    const v = Number(s);
    if (Number.isFinite(v)) return Number.isInteger(v) ? String(v) : String(v);
  }
  return s.trim();
}

function isOptions(dataset: string): boolean {
  return dataset.includes("options");
}

/** judge.py `candidates`: boxed contents, "answer is X", and for numeric datasets a final `= X`. */
export function judgeCandidates(step: string, dataset: string): string[] {
  const out: string[] = [];
  for (const m of step.matchAll(/\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}/g)) out.push(m[1] ?? "");
  const value = isOptions(dataset) ? String.raw`[A-J]\b` : NUM;
  for (const m of step.matchAll(new RegExp(String.raw`answer (?:is|should be|would be)[:\s]*\(?\**\s*(${value})`, "gi"))) out.push(m[1] ?? "");
  if (out.length === 0 && NUMERIC_DATASETS.has(dataset)) {
    const m = new RegExp(String.raw`=\s*(${NUM})\s*(?:[a-zA-Z%]*)?\s*[.\n]?\s*$`).exec(step.trim());
    if (m?.[1] !== undefined) out.push(m[1]);
  }
  return out.map((c) => (NUMERIC_DATASETS.has(dataset) ? normNum(c) : c.trim()));
}

/** judge.py `same`. */
export function judgeSame(a: string, b: string, dataset: string): boolean {
  if (NUMERIC_DATASETS.has(dataset)) return normNum(a) === normNum(b);
  if (isOptions(dataset)) return a.trim().toUpperCase() === b.trim().toUpperCase();
  try {
    return answersEquivalent(a, b, "math");
  } catch {
    return a.trim() === b.trim();
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const squash = (s: string): string => s.replace(/\s+|\\left|\\right|\\!|\\,|\$/g, "");

/** judge.py `stated`: is `answer` stated anywhere in `prefix`? */
export function judgeStated(answer: string | null, prefix: string, dataset: string): boolean {
  if (answer === null) return false;
  if (NUMERIC_DATASETS.has(dataset)) {
    const want = normNum(answer);
    for (const m of prefix.matchAll(new RegExp(NUM, "g"))) if (normNum(m[0]) === want) return true;
    return false;
  }
  if (isOptions(dataset)) {
    return new RegExp(String.raw`(?<![A-Za-z])\(?${escapeRe(answer.trim().toUpperCase())}\)?(?![A-Za-z])`).test(prefix);
  }
  if (squash(prefix).includes(squash(answer))) return true;
  return prefix.split("\n\n").some((st) => judgeCandidates(st, dataset).some((c) => judgeSame(c, answer, dataset)));
}

/** judge.py `oracle_cut` as a step index: the first `split("\n\n")` step that states gold (null: none). */
export function judgeOracleStep(thinking: string, gold: string, dataset: string, problem: string | null): number | null {
  const steps = thinking.split("\n\n");
  const inProblem = isOptions(dataset) ? true : judgeStated(gold, problem ?? "", dataset);
  const letter = escapeRe(gold.trim().toUpperCase());
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i] ?? "";
    let hit: boolean;
    if (inProblem && !isOptions(dataset)) hit = judgeCandidates(st, dataset).some((c) => judgeSame(c, gold, dataset));
    else if (!isOptions(dataset)) hit = judgeStated(gold, st, dataset);
    else
      hit =
        judgeCandidates(st, dataset).some((c) => judgeSame(c, gold, dataset)) ||
        new RegExp(String.raw`(?:option|answer|choice)\W{0,3}\(?${letter}\b`, "i").test(st);
    if (hit) return i;
  }
  return null;
}

/** Kept characters under the oracle for a step index (judge: `pos` after that step, so up to length + 2). */
export function stepEndOffset(thinking: string, stepIndex: number): number {
  const steps = thinking.split("\n\n");
  let pos = 0;
  for (let i = 0; i <= stepIndex; i++) pos += (steps[i]?.length ?? 0) + 2;
  return pos;
}

export interface JudgedTrace {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly chars: number;
  /** Characters the oracle cuts. */
  readonly oracleCut: number;
  /** Characters the brake cuts (0 when not braked). */
  readonly cut: number;
  readonly baseline: boolean;
  readonly braked: boolean;
  /** Right after braking (judge rules). */
  readonly right: boolean;
}

/** Scores one trace's decision exactly like judge.py. */
export function judgeTrace(
  r: { id: string; model: string; dataset: string; answer: string | null; correct: boolean; problem: string | null },
  thinking: string,
  brakeAt: number | null,
  answer: string | null,
): JudgedTrace {
  // a record without a gold answer (a code trace: judge_code.py scores those) has no oracle and keeps its label
  const o = r.answer === null ? null : judgeOracleStep(thinking, r.answer, r.dataset, r.problem);
  const oracleCut = o === null ? 0 : Math.max(0, thinking.length - stepEndOffset(thinking, o));
  const braked = brakeAt !== null && brakeAt >= 0 && brakeAt < thinking.length;
  let right = r.correct;
  if (braked) {
    const honest = judgeStated(answer, thinking.slice(0, brakeAt), r.dataset);
    right = honest && answer !== null && r.answer !== null && judgeSame(answer, r.answer, r.dataset);
  }
  return { id: r.id, model: r.model, dataset: r.dataset, chars: thinking.length, oracleCut, cut: braked ? thinking.length - brakeAt : 0, baseline: r.correct, braked, right };
}

export interface JudgeLine {
  readonly n: number;
  readonly cut: number;
  readonly oracle: number;
  readonly capture: number;
  readonly base: number;
  readonly acc: number;
  readonly deltaPts: number;
  readonly harmful: number;
  readonly beneficial: number;
  readonly braked: number;
}

export function judgeLine(ts: readonly JudgedTrace[]): JudgeLine {
  const tot = ts.reduce((s, t) => s + t.chars, 0) || 1;
  const cut = ts.reduce((s, t) => s + t.cut, 0) / tot;
  const oracle = ts.reduce((s, t) => s + t.oracleCut, 0) / tot;
  const n = ts.length || 1;
  const base = ts.filter((t) => t.baseline).length / n;
  const acc = ts.filter((t) => t.right).length / n;
  return {
    n: ts.length,
    cut,
    oracle,
    capture: oracle > 0 ? cut / oracle : 0,
    base,
    acc,
    deltaPts: 100 * (acc - base),
    harmful: ts.filter((t) => t.baseline && !t.right).length,
    beneficial: ts.filter((t) => !t.baseline && t.right).length,
    braked: ts.filter((t) => t.braked).length,
  };
}

export function formatJudgeLine(l: JudgeLine): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return (
    `n ${l.n} · cut ${pct(l.cut)} (oracle ${pct(l.oracle)}, captured ${(100 * l.capture).toFixed(0)}%) · ` +
    `acc ${l.base.toFixed(3)} → ${l.acc.toFixed(3)} (${l.deltaPts >= 0 ? "+" : ""}${l.deltaPts.toFixed(1)} pts) · ` +
    `braked ${l.braked} · harmful ${l.harmful} · beneficial ${l.beneficial}`
  );
}
