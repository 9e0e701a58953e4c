/**
 * How often the final-answer extractor agrees with a traces file's recorded `correct` flag, on
 * finished traces (the thinking closed): `npx tsx lab/brake-agreement.ts TRACES.jsonl …`.
 * Prints counts per model and the ids that disagree (ids only, never trace text).
 */
import { readFileSync } from "node:fs";
import { answersEquivalent } from "../src/core/answers/equivalence";
import { extractFinalAnswer } from "../src/core/answers/extract";
import { inferAnswerFormat } from "../src/core/answers/format";
import { hasAnswer, parseTraceFile } from "../src/core/replay/record";
import { splitTrace } from "../src/core/replay/thinking";

for (const file of process.argv.slice(2)) {
  const by = new Map<string, { n: number; agree: number }>();
  const disagree: string[] = [];
  for (const r of parseTraceFile(readFileSync(file, "utf8")).records.filter(hasAnswer)) {
    const split = splitTrace(r.trace);
    if (!split.closed) continue;
    const format = inferAnswerFormat(r.dataset, r.problem ?? undefined);
    const final = extractFinalAnswer(split.answer, format);
    const right = final !== null && answersEquivalent(final, r.answer, format);
    const g = by.get(r.model) ?? { n: 0, agree: 0 };
    g.n++;
    if (right === r.correct) g.agree++;
    else disagree.push(r.id);
    by.set(r.model, g);
  }
  const n = [...by.values()].reduce((s, g) => s + g.n, 0);
  const agree = [...by.values()].reduce((s, g) => s + g.agree, 0);
  process.stdout.write(`${file}: ${agree}/${n} = ${((100 * agree) / Math.max(1, n)).toFixed(2)} % of finished traces agree\n`);
  for (const [model, g] of by) process.stdout.write(`  ${model}: ${g.agree}/${g.n}\n`);
  if (disagree.length > 0) process.stdout.write(`  disagree: ${disagree.join(", ")}\n`);
}
