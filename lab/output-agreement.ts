/**
 * How well the program-output reader does on a code traces file's `cruxeval_output` records:
 * `npx tsx lab/output-agreement.ts [TRACES.jsonl] [--ids]`
 * (default ../shared/eval/traces-dev-code.jsonl). Prints numbers only, never trace text;
 * `--ids` adds the ids behind each count.
 *
 * (a) Final answers: whether `extractFinalAnswer(text after </think>, "output")` equals the gold
 *     as a Python value (the judge's rule) agrees with the recorded `correct` flag.
 * (b) On right traces, the first blank-line step where a statement the reader finds equals the
 *     gold, against the judge's oracle step (the first step whose whitespace-free text holds the
 *     gold literal or its repr): earlier, at it, later or never; by how the statement was made.
 * (c) How often statements of each kind name the gold (their precision), on right traces.
 */
import { readFileSync } from "node:fs";
import { answersEquivalent } from "../src/core/answers/equivalence";
import { extractFinalAnswer } from "../src/core/answers/extract";
import { inferAnswerFormat } from "../src/core/answers/format";
import { givenOutputValues } from "../src/core/answers/outputQuestion";
import { outputStatements } from "../src/core/answers/outputStatements";
import { parsePythonLiteral } from "../src/core/answers/pythonLiteral";
import type { PythonValue } from "../src/core/answers/pythonValue";

interface OutputRecord {
  readonly id: string;
  readonly problem: string;
  readonly answer: string;
  readonly trace: string;
  readonly correct: boolean;
}

function readRecords(file: string): OutputRecord[] {
  const out: OutputRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim().length === 0) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (r["dataset"] !== "cruxeval_output") continue;
    out.push({ id: String(r["id"]), problem: String(r["problem"] ?? ""), answer: String(r["answer"]), trace: String(r["trace"]), correct: r["correct"] === true });
  }
  return out;
}

function split(trace: string): { thinking: string; answer: string | null } {
  const t = trace.split("<think>").slice(1).join("<think>") || trace;
  const at = t.indexOf("</think>");
  return at < 0 ? { thinking: t, answer: null } : { thinking: t.slice(0, at), answer: t.slice(at + "</think>".length).trim() };
}

const nows = (s: string): string => s.replace(/\s+/g, "");

/** Python's repr, enough for the judge's gold forms. */
function repr(v: PythonValue): string {
  switch (v.type) {
    case "int":
      return v.value.toString();
    case "bool":
      return v.value ? "True" : "False";
    case "float":
      return Number.isFinite(v.value) ? (Number.isInteger(v.value) && Math.abs(v.value) < 1e16 ? `${v.value}.0` : String(v.value).replace(/e([+-])(\d)$/, "e$10$2")) : v.value > 0 ? "inf" : "-inf";
    case "complex":
      return `(${v.real}${v.imag < 0 ? "" : "+"}${v.imag}j)`;
    case "NoneType":
      return "None";
    case "ellipsis":
      return "Ellipsis";
    case "str":
    case "bytes": {
      const q = v.value.includes("'") && !v.value.includes('"') ? '"' : "'";
      const named: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
      const escape = (c: string): string => {
        const code = c.charCodeAt(0);
        return named[c] ?? (code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c);
      };
      const body = Array.from(v.value, escape).join("");
      return `${v.type === "bytes" ? "b" : ""}${q}${q === "'" ? body.replace(/'/g, "\\'") : body}${q}`;
    }
    case "list":
      return `[${v.items.map(repr).join(", ")}]`;
    case "tuple":
      return v.items.length === 1 ? `(${repr(v.items[0] as PythonValue)},)` : `(${v.items.map(repr).join(", ")})`;
    case "set":
      return v.items.length === 0 ? "set()" : `{${v.items.map(repr).join(", ")}}`;
    case "dict":
      return `{${v.entries.map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(", ")}}`;
  }
}

/** judge_code.py `oracle_cut`: the 0-based step that first holds a gold form, or null. */
function oracleStep(steps: readonly string[], gold: string): number | null {
  const v = parsePythonLiteral(gold);
  const forms = new Set([nows(gold), v === null ? "" : nows(repr(v))].filter((f) => f.length > 0));
  const i = steps.findIndex((s) => [...forms].some((f) => nows(s).includes(f)));
  return i < 0 ? null : i;
}

const pct = (a: number, n: number): string => `${((100 * a) / Math.max(1, n)).toFixed(1)} %`;

const args = process.argv.slice(2);
const showIds = args.includes("--ids");
const file = args.find((a) => !a.startsWith("--")) ?? "../shared/eval/traces-dev-code.jsonl";
const records = readRecords(file);

// (a)
const agreement = { all: [0, 0], finished: [0, 0] };
const disagree: string[] = [];
for (const r of records) {
  const { answer } = split(r.trace);
  const final = answer === null ? null : extractFinalAnswer(answer, "output");
  const right = final !== null && answersEquivalent(final, r.answer, "output");
  const agrees = right === r.correct;
  agreement.all[0]! += agrees ? 1 : 0;
  agreement.all[1]!++;
  if (answer !== null) {
    agreement.finished[0]! += agrees ? 1 : 0;
    agreement.finished[1]!++;
  }
  if (!agrees) disagree.push(`${r.id}${answer === null ? " (unfinished)" : ""}${r.correct ? " (recorded right)" : ""}`);
}
const formats = new Set(records.map((r) => inferAnswerFormat("cruxeval_output", r.problem)));
const byQuestion = records.filter((r) => inferAnswerFormat(undefined, r.problem) === "output").length;
process.stdout.write(`${file}: ${records.length} cruxeval_output records; format ${[...formats].join(", ")}; inferred "output" from the question alone on ${byQuestion}\n`);
process.stdout.write(`(a) final answer vs recorded correct: ${agreement.all[0]}/${agreement.all[1]} = ${pct(agreement.all[0]!, agreement.all[1]!)} agree (finished traces: ${agreement.finished[0]}/${agreement.finished[1]} = ${pct(agreement.finished[0]!, agreement.finished[1]!)})\n`);
if (showIds && disagree.length > 0) process.stdout.write(`    disagree: ${disagree.join(", ")}\n`);

// (b) and (c)
const where = { earlier: [] as string[], at: [] as string[], later: [] as string[], never: [] as string[], noOracle: [] as string[] };
const firstExplicit = { earlier: 0, at: 0, later: 0, never: 0 };
const laterBy: number[] = [];
/** Traces whose gold is written in the question (often the input echoed): the oracle step may be a mention of the input. */
const inQuestion = { earlier: 0, at: 0, later: 0, never: 0 };
const precision = new Map<string, { n: number; gold: number }>();
let right = 0;
for (const r of records) {
  if (!r.correct) continue;
  right++;
  const steps = split(r.trace).thinking.split("\n\n");
  const given = givenOutputValues(r.problem);
  const oracle = oracleStep(steps, r.answer);
  let first: number | null = null;
  let firstStrong: number | null = null;
  steps.forEach((step, i) => {
    for (const s of outputStatements(step, given)) {
      const gold = answersEquivalent(s.value, r.answer, "output");
      const label = s.kind === "phrase" ? "phrase" : `${s.kind}${s.targeted === true ? " (targeted)" : ""}`;
      const p = precision.get(label) ?? { n: 0, gold: 0 };
      p.n++;
      p.gold += gold ? 1 : 0;
      precision.set(label, p);
      if (gold && first === null) first = i;
      if (gold && s.kind === "phrase" && firstStrong === null) firstStrong = i;
    }
  });
  const place = (found: number | null): "earlier" | "at" | "later" | "never" =>
    found === null ? "never" : oracle === null || found < oracle ? "earlier" : found === oracle ? "at" : "later";
  if (oracle === null) where.noOracle.push(r.id);
  const p = place(first);
  where[p].push(r.id);
  if (nows(r.problem).includes(nows(r.answer))) inQuestion[p]++;
  if (p === "later" && first !== null && oracle !== null) laterBy.push(first - oracle);
  firstExplicit[place(firstStrong)]++;
}
process.stdout.write(`(b) right traces ${right}; first step with a statement equal to the gold, against the oracle step:\n`);
for (const k of ["earlier", "at", "later", "never"] as const) {
  process.stdout.write(`    ${k}: ${where[k].length} (${pct(where[k].length, right)}; gold written in the question: ${inQuestion[k]})${showIds && where[k].length > 0 && k !== "at" ? `  ${where[k].join(", ")}` : ""}\n`);
}
laterBy.sort((a, b) => a - b);
if (laterBy.length > 0) process.stdout.write(`    later by (steps): median ${laterBy[Math.floor(laterBy.length / 2)]}, max ${laterBy[laterBy.length - 1]}\n`);
process.stdout.write(`    no oracle step (gold never written as such): ${where.noOracle.length}\n`);
process.stdout.write(`    explicit statements only: earlier ${firstExplicit.earlier}, at ${firstExplicit.at}, later ${firstExplicit.later}, never ${firstExplicit.never}\n`);
process.stdout.write(`(c) statements on right traces that name the gold, by kind:\n`);
for (const [kind, p] of [...precision].sort()) process.stdout.write(`    ${kind}: ${p.gold}/${p.n} (${pct(p.gold, p.n)})\n`);
