/**
 * Where does the brake lose the oracle's saving, and why?
 *
 *   npx tsx lab/brake-diagnose.ts TRACES.jsonl [MORE.jsonl …] [--tokenizer approx|qwen|auto]
 *       [--threshold 0.2] [--policy '{"implicitExtraConfirmations":1}'] [--json OUT.json]
 *
 * Every trace is replayed token by token through a fresh detector (exactly as `replay` does) and
 * the detector's state is recorded at each blank-line step. The judge's oracle (see
 * lab/brake-judge.ts) keeps the thinking up to the first step stating the gold answer; each
 * step the brake keeps beyond that point is charged to the condition that kept the detector from
 * braking after the step before it:
 *   no-statement   the extractor has not read the gold answer as a statement yet (it was only
 *                  mentioned, e.g. inside a longer computation or sentence);
 *   untargeted     gold was stated only as an implied value in steps that do not name what the
 *                  question asks for (ignored by the default policy);
 *   held-other     gold was stated, but the anchor holds another answer (an implicit statement
 *                  cannot displace an explicit anchor, a re-derived value does not move it, or a
 *                  later statement in the step won);
 *   reset          the anchor held gold earlier and moved to another value since;
 *   unconf-impl    anchored on gold, stated implicitly only, waiting for more restatements;
 *   unconf-expl    anchored on gold, stated explicitly, waiting for restatements (revisions);
 *   eta            anchored and confirmed, but the Overthink Score is below τ2 (the η̂ rule);
 *   other          anything else (minimum thinking, budget).
 * The tables give these losses as shares of the oracle's saving, per model × dataset, split by
 * finished / unfinished thinking, plus ceilings: what a perfect anchor (gold recognised at the
 * oracle step) would capture under the η̂ rule alone and with one confirming step.
 *
 * Output holds ids and numbers only, never trace text.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { answersEquivalent } from "../src/core/answers/equivalence";
import { extractStatements, givenNumbers } from "../src/core/answers/statements";
import { questionTarget } from "../src/core/answers/target";
import type { BrakeConfigInput } from "../src/core/brake/config";
import { createBrakeDetector } from "../src/core/brake/detector";
import type { BrakeEvidence } from "../src/core/brake/types";
import { hasAnswer, parseTraceFile } from "../src/core/replay/record";
import type { PreparedTrace } from "../src/core/replay/run";
import { prepareTrace } from "../src/core/replay/run";
import { splitTrace } from "../src/core/replay/thinking";
import type { TokenizerChoice } from "../src/cli/replayTokenizer";
import { loadTokenCounter } from "../src/cli/replayTokenizer";
import { judgeOracleStep, judgeTrace } from "./brake-judge";
import type { JudgedTrace } from "./brake-judge";

export const CAUSES = ["no-statement", "untargeted", "held-other", "reset", "unconf-impl", "unconf-expl", "eta", "other"] as const;
export type Cause = (typeof CAUSES)[number];

export interface StepState {
  /** Offset where the detector completes this step (just past its "\n\n"). */
  readonly end: number;
  readonly length: number;
  /** The extractor reads a statement equivalent to gold in this step (and the policy may use it). */
  readonly goldStated: boolean;
  /** … only as an implied value in a step that does not name the question's target. */
  readonly goldUntargeted: boolean;
  readonly evidence: BrakeEvidence | null;
}

export interface Timeline {
  readonly steps: StepState[];
  readonly brakeAt: number | null;
  readonly answer: string | null;
  readonly reason: string | null;
}

/** Replays one trace token by token and records the detector's evidence after every step. */
export function timeline(t: PreparedTrace, config: BrakeConfigInput): Timeline {
  const ctx = {
    format: t.format,
    given: t.record.problem === null ? undefined : givenNumbers(t.record.problem),
    target: t.format === "choice" ? undefined : questionTarget(t.record.problem ?? undefined),
  };
  const parts = t.thinking.split("\n\n");
  const steps: { end: number; length: number; goldStated: boolean; goldUntargeted: boolean; evidence: BrakeEvidence | null }[] = [];
  let pos = 0;
  for (const p of parts) {
    pos += p.length + 2;
    const gold = extractStatements(p, ctx).filter((s) => answersEquivalent(s.value, t.record.answer ?? "", t.format));
    const usable = gold.some((s) => s.targeted !== false);
    steps.push({ end: pos, length: p.length + 2, goldStated: usable, goldUntargeted: !usable && gold.length > 0, evidence: null });
  }
  const detector = createBrakeDetector({ ...config, answerFormat: t.format, question: t.record.problem ?? undefined });
  let from = 0;
  let next = 0;
  for (const to of t.tokenEnds) {
    const d = detector.push(t.thinking.slice(from, to), 1);
    from = to;
    while (next < steps.length && (steps[next]?.end ?? Infinity) <= to) {
      const s = steps[next];
      if (s) s.evidence = d.kind === "brake" ? d.evidence : detector.snapshot().evidence;
      next++;
    }
    if (d.kind === "brake") return { steps, brakeAt: d.charOffset, answer: d.evidence.anchoredAnswer, reason: d.reason };
  }
  return { steps, brakeAt: null, answer: null, reason: null };
}

function blocking(t: PreparedTrace, tl: Timeline, k: number, everGold: boolean, goldSoFar: boolean, untargetedSoFar: boolean): Cause {
  const e = tl.steps[k]?.evidence;
  if (!e) return "other";
  const gold = t.record.answer ?? "";
  const onGold = e.anchoredAnswer !== null && answersEquivalent(e.anchoredAnswer, gold, t.format);
  if (!onGold) {
    if (!goldSoFar) return untargetedSoFar ? "untargeted" : "no-statement";
    return everGold ? "reset" : "held-other";
  }
  if (e.confirmations < e.confirmationsRequired) return e.explicitAnswer ? "unconf-expl" : "unconf-impl";
  if (e.score === null || e.score < e.brakeThreshold) return "eta";
  return "other";
}

export interface Diagnosis {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly finished: boolean;
  readonly chars: number;
  readonly judged: JudgedTrace;
  /** Oracle step (0-based, split("\n\n") index), null: gold never stated. */
  readonly oracleStep: number | null;
  readonly steps: number;
  readonly lost: Record<Cause, number>;
  /** Characters a perfect anchor would cut under the η̂ rule (no κ) / after one confirming step. */
  readonly ceilingEta: number;
  readonly ceilingConfirm: number;
  readonly reason: string | null;
}

/** The first 0-based step s > o (1-based anchor o+1) where 0.9·(1 − (o+1)/(s+1)) ≥ τ2, or null. */
function etaStep(o: number, tau2: number, beta: number, steps: number): number | null {
  const a = o + 1;
  const need = 1 - tau2 / (1 - beta); // η̂ ≤ need
  if (need <= 0) return null;
  const s1 = Math.max(a + 1, Math.ceil(a / need - 1e-9));
  return s1 - 1 < steps ? s1 - 1 : null;
}

export function diagnose(t: PreparedTrace, config: BrakeConfigInput & { threshold: number }): Diagnosis {
  const tl = timeline(t, config);
  const r = t.record;
  const judged = judgeTrace(r, t.thinking, tl.brakeAt, tl.answer);
  const o = r.answer === null ? null : judgeOracleStep(t.thinking, r.answer, r.dataset, r.problem);
  const lost = Object.fromEntries(CAUSES.map((c) => [c, 0])) as Record<Cause, number>;
  const n = tl.steps.length;
  const keptSteps = tl.brakeAt === null ? n - 1 : tl.steps.findIndex((s) => s.end >= tl.brakeAt!);
  let ceilingEta = 0;
  let ceilingConfirm = 0;
  if (o !== null) {
    let everGold = false;
    let goldSoFar = false;
    let untargetedSoFar = false;
    for (let k = 0; k < Math.max(o, keptSteps); k++) {
      const s = tl.steps[k];
      goldSoFar ||= s?.goldStated ?? false;
      untargetedSoFar ||= s?.goldUntargeted ?? false;
      const e = s?.evidence;
      if (e?.anchoredAnswer != null && answersEquivalent(e.anchoredAnswer, r.answer ?? "", t.format)) everGold = true;
      if (k >= o && k + 1 <= keptSteps) lost[blocking(t, tl, k, everGold, goldSoFar, untargetedSoFar)] += Math.min(tl.steps[k + 1]?.length ?? 0, t.thinking.length);
    }
    const tau2 = config.threshold + 0.05;
    const cutAfter = (s: number | null): number => (s === null ? 0 : Math.max(0, t.thinking.length - (tl.steps[s]?.end ?? Infinity)));
    ceilingEta = cutAfter(etaStep(o, tau2, 0.1, n));
    ceilingConfirm = cutAfter(o + 1 < n ? o + 1 : null);
  }
  return {
    id: r.id,
    model: r.model,
    dataset: r.dataset,
    finished: splitTrace(r.trace).closed,
    chars: t.thinking.length,
    judged,
    oracleStep: o,
    steps: n,
    lost,
    ceilingEta,
    ceilingConfirm,
    reason: tl.reason,
  };
}

function pct(x: number, of: number): string {
  return of > 0 ? `${((100 * x) / of).toFixed(1)}` : "–";
}

export function causeTable(ds: readonly Diagnosis[], key: (d: Diagnosis) => string): string {
  const groups = new Map<string, Diagnosis[]>();
  for (const d of ds) for (const k of ["ALL", key(d)]) groups.set(k, [...(groups.get(k) ?? []), d]);
  const head = ["group", "n", "orc%", "cut%", "capt", ...CAUSES, "wrongcut", "ceilη", "ceil+1"];
  const rows = [...groups.entries()].map(([g, list]) => {
    const chars = list.reduce((s, d) => s + d.chars, 0);
    const oracle = list.reduce((s, d) => s + d.judged.oracleCut, 0);
    const cut = list.reduce((s, d) => s + d.judged.cut, 0);
    const wrongCut = list.reduce((s, d) => s + (d.judged.right ? 0 : d.judged.cut), 0);
    const sum = (c: Cause): number => list.reduce((s, d) => s + d.lost[c], 0);
    return [
      g,
      String(list.length),
      pct(oracle, chars),
      pct(cut, chars),
      pct(cut, oracle),
      ...CAUSES.map((c) => pct(sum(c), oracle)),
      pct(wrongCut, oracle),
      pct(list.reduce((s, d) => s + d.ceilingEta, 0), oracle),
      pct(list.reduce((s, d) => s + d.ceilingConfirm, 0), oracle),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tokenizer: { type: "string", default: "approx" },
      threshold: { type: "string", default: "0.2" },
      policy: { type: "string" },
      json: { type: "string" },
    },
  });
  const counter = loadTokenCounter(values.tokenizer as TokenizerChoice, (m) => process.stderr.write(m + "\n"));
  const threshold = Number(values.threshold);
  const policy = values.policy === undefined ? {} : (JSON.parse(values.policy) as BrakeConfigInput["policy"]);
  const config = { threshold, maxThinkingTokens: Infinity, policy };
  const all: Diagnosis[] = [];
  for (const file of positionals) {
    // math and choice traces only (code traces have no gold answer; judge_code.py scores them)
    const records = parseTraceFile(readFileSync(file, "utf8")).records.filter(hasAnswer);
    const ds = records.map((r) => diagnose(prepareTrace(r, counter), config));
    all.push(...ds);
    process.stdout.write(`\n${file} (${counter.name}, τ1 = ${threshold}): lost saving by cause, % of the oracle's saving\n`);
    process.stdout.write(causeTable(ds, (d) => `${d.model} · ${d.dataset}`) + "\n\n");
    process.stdout.write(causeTable(ds, (d) => `${d.dataset} · ${d.finished ? "finished" : "unfinished"}`).split("\n").filter((_, i) => i !== 1).join("\n") + "\n");
  }
  if (values.json !== undefined) {
    writeFileSync(values.json, JSON.stringify(all.map((d) => ({ ...d, judged: undefined, right: d.judged.right, baseline: d.judged.baseline, cut: d.judged.cut, oracleCut: d.judged.oracleCut }))) + "\n");
  }
}

if (process.argv[1]?.endsWith("brake-diagnose.ts")) main();
