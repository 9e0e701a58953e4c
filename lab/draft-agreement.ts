/**
 * How well the code-draft finder (src/core/answers/code) agrees with the code judge on where a
 * code trace's final code is first drafted in full in the thinking.
 *
 *   npx tsx lab/draft-agreement.ts [../shared/eval/traces-dev-code.jsonl] [--ids] [--per-model]
 *
 * For every `codegen` and `code_infill` record: the final code (`finalCode`, else the text after
 * `</think>`, a surrounding fence stripped) is read as a draft; the first draft in the thinking
 * whose key equals it (and, second criterion, the first that has the same key or contains all
 * its definitions unchanged) is compared with the judge's `draft_end` (judge/codecheck.py, run
 * through python3): both found in the same blank-line step, the finder earlier or later, the
 * finder missing it, the finder matching where the judge finds nothing. Also how many distinct
 * drafts come before the final one, how many of them are earlier versions of it, and how often
 * the anchor rules (relateDrafts) would revise.
 * Prints ids and numbers only, never trace text. `--ids` lists the ids of every disagreement
 * (under the last, widest criterion); `--per-model` splits each dataset by model.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { containsCode, coversDefinitions, findCodeDraftsIn, readDraft, relateDrafts, type CodeDraft } from "../src/core/answers/code";
import { codePointOffset } from "../src/core/codePoints";

interface CodeRecord {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly trace: string;
  readonly finalCode?: string | null;
}

interface JudgePosition {
  readonly id: string;
  /** draft_end in code points, or null. */
  readonly end: number | null;
  /** The end of the blank-line step holding it (code points), or null. */
  readonly stepEnd: number | null;
}

const DATASETS = new Set(["codegen", "code_infill"]);
const args = process.argv.slice(2);
const file = resolve(args.find((a) => !a.startsWith("--")) ?? "../shared/eval/traces-dev-code.jsonl");
const listIds = args.includes("--ids");
const perModel = args.includes("--per-model");
const judgeDir = resolve(dirname(file), "judge");

/** The judge's positions, computed by codecheck.py itself. */
function judgePositions(): Map<string, JudgePosition> {
  const script = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(judgeDir)})`,
    "from codecheck import code_hits",
    `for line in open(${JSON.stringify(file)}):`,
    "    if not line.strip(): continue",
    "    r = json.loads(line)",
    "    if r['dataset'] not in ('codegen', 'code_infill'): continue",
    "    t = r['trace'].split('<think>', 1)[-1]",
    "    th, _, rest = t.partition('</think>')",
    "    code = r.get('finalCode') or rest.strip()",
    "    end = None",
    "    if code and code.strip():",
    "        h = code_hits(th, code, python=r['dataset'] != 'code_translation')",
    "        ends = [v[1] for v in h.values() if v]",
    "        end = min(ends) if ends else None",
    "    step = None",
    "    if end is not None:",
    "        k = th.find('\\n\\n', end)",
    "        step = len(th) if k < 0 else k + 2",
    "    print(json.dumps({'id': r['id'], 'end': end, 'stepEnd': step}))",
  ].join("\n");
  const run = spawnSync("python3", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`judge helper failed: ${run.stderr}`);
  const out = new Map<string, JudgePosition>();
  for (const line of run.stdout.split("\n")) {
    if (line.trim() === "") continue;
    const p = JSON.parse(line) as JudgePosition;
    out.set(p.id, p);
  }
  return out;
}

function split(trace: string): { thinking: string; rest: string } {
  const afterOpen = trace.includes("<think>") ? trace.slice(trace.indexOf("<think>") + 7) : trace;
  const close = afterOpen.indexOf("</think>");
  return close < 0 ? { thinking: afterOpen, rest: "" } : { thinking: afterOpen.slice(0, close), rest: afterOpen.slice(close + 8) };
}

/** The final code without a fence around it. */
function finalText(r: CodeRecord, rest: string): string {
  const code = (r.finalCode ?? "") !== "" ? (r.finalCode ?? "") : rest.trim();
  const fenced = /^\s*```[^\n]*\n([\s\S]*?)\n?```\s*$/.exec(code);
  return fenced?.[1] ?? code;
}

/** The final code read as a draft: definitions when it has them, else a snippet. */
function finalDraft(text: string): CodeDraft | null {
  const defines = /^(?:def |async def |class |@\w|import |from [\w.]+ import )/m.test(text) || /\{\s*$/m.test(text);
  return readDraft({ text, start: 0, form: defines ? "unfenced" : "line" });
}

/** Offset just past the blank-line step that holds `pos` (the judge's step_end_after), in code units. */
function stepEndAfter(thinking: string, pos: number): number {
  const k = thinking.indexOf("\n\n", pos);
  return k < 0 ? thinking.length : k + 2;
}

type Outcome = "sameStep" | "earlier" | "later" | "missed" | "falseMatch" | "neither";
const OUTCOMES: readonly Outcome[] = ["sameStep", "earlier", "later", "missed", "falseMatch", "neither"];

function outcome(judge: JudgePosition | undefined, thinking: string, mine: CodeDraft | undefined): Outcome {
  const judgeStep = judge?.stepEnd ?? null;
  if (mine === undefined) return judgeStep === null ? "neither" : "missed";
  if (judgeStep === null) return "falseMatch";
  const myStep = codePointOffset(thinking, stepEndAfter(thinking, Math.max(mine.start, mine.end - 1)));
  if (myStep === judgeStep) return "sameStep";
  return myStep < judgeStep ? "earlier" : "later";
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Anchor rules replayed over the drafts before the final one: how often the anchor was revised. */
function revisionsBefore(drafts: readonly CodeDraft[]): number {
  let anchor: CodeDraft | null = null;
  let revisions = 0;
  for (const d of drafts) {
    if (!d.complete) continue;
    if (anchor === null) {
      anchor = d;
      continue;
    }
    if (relateDrafts(anchor, d) === "revises") {
      revisions++;
      anchor = d;
    }
  }
  return revisions;
}

const records = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as CodeRecord)
  .filter((r) => DATASETS.has(r.dataset));
const judge = judgePositions();

interface Tally {
  n: number;
  key: Record<Outcome, number>;
  cover: Record<Outcome, number>;
  contains: Record<Outcome, number>;
  ids: Record<Outcome, string[]>;
  distinct: number[];
  versions: number[];
  revisions: number[];
  drafts: number;
  ms: number;
  thinkingChars: number;
}
const empty = (): Record<Outcome, number> => ({ sameStep: 0, earlier: 0, later: 0, missed: 0, falseMatch: 0, neither: 0 });
const tallies = new Map<string, Tally>();

for (const r of records) {
  const { thinking, rest } = split(r.trace);
  const final = finalDraft(finalText(r, rest));
  const t0 = performance.now();
  const drafts = findCodeDraftsIn(thinking);
  const ms = performance.now() - t0;
  const byKey = final === null ? undefined : drafts.find((d) => d.key === final.key);
  const byCover =
    final === null ? undefined : drafts.find((d) => d.key === final.key || (d.complete && coversDefinitions(d, final)));
  const byContains =
    final === null
      ? undefined
      : drafts.find((d) => d.key === final.key || (d.complete && (coversDefinitions(d, final) || (final.definitions.length === 0 && containsCode(d, final)))));
  const group = perModel ? `${r.dataset} × ${r.model}` : r.dataset;
  const t =
    tallies.get(group) ??
    { n: 0, key: empty(), cover: empty(), contains: empty(), ids: { sameStep: [], earlier: [], later: [], missed: [], falseMatch: [], neither: [] }, distinct: [], versions: [], revisions: [], drafts: 0, ms: 0, thinkingChars: 0 };
  t.n++;
  const o = outcome(judge.get(r.id), thinking, byKey);
  t.key[o]++;
  t.cover[outcome(judge.get(r.id), thinking, byCover)]++;
  const containsOutcome = outcome(judge.get(r.id), thinking, byContains);
  t.contains[containsOutcome]++;
  t.ids[containsOutcome].push(r.id.slice(0, 48));
  const relevant = (d: CodeDraft): boolean => d.complete && (r.dataset === "codegen" ? d.definitions.length > 0 : d.definitions.length === 0);
  const before = drafts.filter((d) => relevant(d) && (byKey === undefined || d.end <= byKey.end));
  const keys = new Set(before.map((d) => d.key));
  if (byKey !== undefined) keys.delete(byKey.key);
  t.distinct.push(keys.size);
  const versions = new Set(before.filter((d) => final !== null && relateDrafts(final, d) === "revises").map((d) => d.key));
  t.versions.push(versions.size);
  t.revisions.push(revisionsBefore(before));
  t.drafts += drafts.length;
  t.ms += ms;
  t.thinkingChars += thinking.length;
  tallies.set(group, t);
}

const pct = (a: number, n: number): string => `${((100 * a) / Math.max(1, n)).toFixed(1)} %`;
for (const [group, t] of tallies) {
  process.stdout.write(`${group}: ${t.n} traces, ${t.drafts} drafts found (${(t.drafts / t.n).toFixed(1)} a trace), ${t.ms.toFixed(0)} ms for ${(t.thinkingChars / 1e6).toFixed(2)} M chars\n`);
  const criteria = [
    ["key equal", t.key],
    ["key equal or covers its definitions", t.cover],
    ["... or, for snippets, contains it", t.contains],
  ] as const;
  for (const [label, counts] of criteria) {
    const both = counts.sameStep + counts.earlier + counts.later;
    const judgeFinds = both + counts.missed;
    process.stdout.write(
      `  ${label}: both find ${both}/${t.n} (same step ${counts.sameStep} = ${pct(counts.sameStep, judgeFinds)} of the judge's ${judgeFinds}; ` +
        `earlier ${counts.earlier}, later ${counts.later}); missed ${counts.missed}; false match ${counts.falseMatch}; neither ${counts.neither}\n`,
    );
  }
  const stats = (values: readonly number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    return `median ${quantile(sorted, 0.5)}, p90 ${quantile(sorted, 0.9)}, max ${sorted[sorted.length - 1] ?? 0}`;
  };
  process.stdout.write(`  distinct complete drafts before the final one: ${stats(t.distinct)}\n`);
  process.stdout.write(`  of them earlier versions of the final code (same names or subject, other key): ${stats(t.versions)}\n`);
  process.stdout.write(`  anchor revisions (relateDrafts replayed over them): ${stats(t.revisions)}\n`);
  if (listIds) {
    for (const o of OUTCOMES) {
      if (o === "sameStep" || o === "neither" || t.ids[o].length === 0) continue;
      process.stdout.write(`  ${o}: ${t.ids[o].join(" ")}\n`);
    }
  }
}
