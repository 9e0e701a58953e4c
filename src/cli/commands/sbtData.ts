/** `self-braking sbt-data TRACES.jsonl --mode exact|dynamic`: SBT-E / SBT-D fine-tuning examples. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { sbtMetrics } from "../../core/metrics/sbt";
import { prepareTrace } from "../../core/replay/run";
import { splitTrace } from "../../core/replay/thinking";
import type { SbtExample, SbtMode } from "../../core/sbt/build";
import { buildSbtExample, checkSbtExample, DEFAULT_BRAKING_SENTENCE } from "../../core/sbt/build";
import { checkOutputPath } from "../outputPath";
import { parseNumberOption } from "../replayOptions";
import { loadTokenCounter, parseTokenizerOption } from "../replayTokenizer";
import { readTraces } from "../traceInput";
import { goldOf } from "../../core/replay/gold";

const USAGE = `usage: self-braking sbt-data TRACES.jsonl --mode exact|dynamic [options]

Builds Self-Braking Tuning training examples (chat "messages" JSONL) from traces with gold
answers. Only traces whose final answer was right, whose thinking was closed and states the gold
answer are used; traces that do not overthink (score < τ1) pass unchanged. See docs/BRAKE.md
for the format.

options:
  --mode exact|dynamic    SBT-E (foundation + one verification) or SBT-D (keep to τ1, mask to τ2)
  --out FILE              output JSONL (default: standard output)
  --threshold X           τ1 (default 0.2); τ2 = τ1 + 0.05
  --brake-sentence TEXT   the braking sentence (default: "${DEFAULT_BRAKING_SENTENCE}")
  --tokenizer NAME        qwen, approx or auto (default), for κ`;

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      mode: { type: "string" },
      out: { type: "string" },
      threshold: { type: "string" },
      "brake-sentence": { type: "string" },
      tokenizer: { type: "string" },
    },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliUsageError("expected exactly one TRACES.jsonl file");
  const mode = values.mode as SbtMode | undefined;
  if (mode !== "exact" && mode !== "dynamic") throw new CliUsageError("--mode must be exact or dynamic");
  const threshold = parseNumberOption("--threshold", values.threshold, 0.2, 0, 1);
  const brakeSentence = values["brake-sentence"] ?? DEFAULT_BRAKING_SENTENCE;
  if (/<\/?think>/.test(brakeSentence)) throw new CliUsageError("--brake-sentence may not contain <think> or </think>: every example has exactly one of each");
  if (brakeSentence.trim() === "") throw new CliUsageError("--brake-sentence may not be empty: a braked example ends its thinking with it");
  checkOutputPath("--out", values.out);
  const tokenizer = parseTokenizerOption(values.tokenizer);
  const counter = loadTokenCounter(tokenizer, (m) => io.stderr.write(`self-braking sbt-data: ${m}\n`));

  const examples: SbtExample[] = [];
  const skipped = new Map<string, string[]>();
  for (const record of readTraces(file, io)) {
    const skip = (why: string): void => {
      const ids = skipped.get(why);
      if (ids) ids.push(record.id);
      else skipped.set(why, [record.id]);
    };
    const split = splitTrace(record.trace);
    const gold = goldOf(record);
    if (!record.correct) skip("final answer wrong");
    else if (gold === null) skip("no gold answer or final code");
    else if (!split.closed) skip("thinking never closed");
    else if (split.answer.trim() === "") skip("no final answer after </think>");
    else if (record.problem === null || record.problem.trim().length === 0) skip("no problem text");
    else {
      const t = prepareTrace(record, counter);
      const metrics = sbtMetrics({ thinking: t.thinking, thinkingTokens: t.tokenEnds.length, gold, format: t.format, problem: record.problem });
      const example = buildSbtExample(
        { id: record.id, problem: record.problem, thinking: t.thinking, finalAnswer: split.answer, gold, format: t.format, metrics },
        { mode, threshold, grace: 0.05, brakeSentence },
      );
      if (example === null) skip("gold answer never stated in the thinking");
      else {
        const problems = checkSbtExample(example);
        if (problems.length > 0) skip(`inconsistent example (${problems.join("; ")})`);
        else examples.push(example);
      }
    }
  }
  const text = examples.map((e) => JSON.stringify(e)).join("\n") + (examples.length > 0 ? "\n" : "");
  if (values.out === undefined) io.stdout.write(text);
  else writeFileSync(values.out, text);
  const braked = examples.filter((e) => e.mode !== "unchanged").length;
  io.stderr.write(`sbt-data (${mode}): ${examples.length} examples, ${braked} braked, ${examples.length - braked} unchanged\n`);
  for (const [why, ids] of skipped) io.stderr.write(`  skipped ${ids.length}: ${why}: ${listIds(ids)}\n`);
  return 0;
}

/** The first few ids, so that a skipped trace can be found. */
function listIds(ids: readonly string[], shown = 5): string {
  const head = ids.slice(0, shown).join(", ");
  return ids.length > shown ? `${head} and ${ids.length - shown} more` : head;
}

export const sbtDataCommand: CliCommand = { name: "sbt-data", summary: "Build SBT-E / SBT-D fine-tuning data from traces with gold answers", usage: USAGE, run };
