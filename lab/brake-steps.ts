/**
 * The detector's state after every thinking step of recorded traces, for offline analysis of
 * brake rules (lab/brake-learned.py reads it).
 *
 *   npx tsx lab/brake-steps.ts TRACES.jsonl OUT.jsonl [--tokenizer approx|qwen|auto]
 *
 * One line per trace: id, model, dataset, the recorded label, the judge's oracle cut, where the
 * default brake fires (replayed exactly as `replay` does) and whether its answer is right; then,
 * for each blank-line step (the judge's steps), the anchor evidence of a detector that never
 * brakes (brake-diagnose.ts's timeline in mode `off`: the anchor is tracked all the same), whether the anchored answer is gold by the judge's rules, and
 * text features a rule could read online (repeated 4-grams, re-reading the question). Values and
 * numbers only, never trace text.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { hasAnswer, parseTraceFile } from "../src/core/replay/record";
import { prepareTrace } from "../src/core/replay/run";
import { replayThinking } from "../src/core/replay/replayTrace";
import type { TokenizerChoice } from "../src/cli/replayTokenizer";
import { loadTokenCounter } from "../src/cli/replayTokenizer";
import { timeline } from "./brake-diagnose";
import { judgeTrace, judgeSame, judgeStated } from "./brake-judge";

const REREAD =
  /\b(?:re-?read|read (?:the|that) (?:problem|question)|let me (?:re-?)?read|problem (?:says|states)|the question (?:says|asks|is asking)|going back to the problem|re-?examine the problem)\b/i;

function words(text: string): string[] {
  return text.toLowerCase().match(/\w+/g) ?? [];
}

function grams(ws: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(" "));
  return out;
}

/** Per-step text features, computed from the steps so far only. */
class TextFeatures {
  private readonly seen = new Set<string>();
  private readonly question8: Set<string>;
  private readonly recent: number[] = [];
  private repeated = 0;
  private total = 0;
  private rereads = 0;
  private quotes = 0;

  constructor(question: string) {
    this.question8 = new Set(grams(words(question), 8));
  }

  step(text: string): { rep: number; rep8: number; repcum: number; reread: number; quotes: number } {
    const ws = words(text);
    const g4 = grams(ws, 4);
    const repeated = g4.filter((g) => this.seen.has(g)).length;
    for (const g of g4) this.seen.add(g);
    const rep = g4.length > 0 ? repeated / g4.length : 0;
    this.repeated += repeated;
    this.total += g4.length;
    this.recent.push(rep);
    if (this.recent.length > 8) this.recent.shift();
    if (REREAD.test(text)) this.rereads++;
    if (grams(ws, 8).some((g) => this.question8.has(g))) this.quotes++;
    const rep8 = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    return { rep, rep8, repcum: this.total > 0 ? this.repeated / this.total : 0, reread: this.rereads, quotes: this.quotes };
  }
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { tokenizer: { type: "string", default: "approx" } } });
  const [file, out] = positionals;
  if (file === undefined || out === undefined) throw new Error("usage: brake-steps.ts TRACES.jsonl OUT.jsonl [--tokenizer approx|qwen|auto]");
  const counter = loadTokenCounter(values.tokenizer as TokenizerChoice, (m) => process.stderr.write(m + "\n"));
  const lines: string[] = [];
  for (const record of parseTraceFile(readFileSync(file, "utf8")).records.filter(hasAnswer)) {
    const t = prepareTrace(record, counter);
    const question = record.problem ?? undefined;
    const base = replayThinking(t.thinking, t.tokenEnds, { maxThinkingTokens: Infinity, answerFormat: t.format, question }, 8);
    const judged = judgeTrace(record, t.thinking, base.braked ? base.brakeAt : null, base.answer);
    const text = new TextFeatures(record.problem ?? "");
    const steps: unknown[] = [];
    let stepStart = 0;
    for (const { end, evidence: e } of timeline(t, { mode: "off", maxThinkingTokens: Infinity }).steps) {
      const features = text.step(t.thinking.slice(stepStart, end));
      stepStart = end;
      if (e === null) continue; // the last step, never closed by a blank line
      const a = e.anchoredAnswer;
      steps.push({
        end,
        tok: e.thinkingTokens,
        step: e.currentStep,
        ans: a,
        astep: e.anchorStep,
        conf: e.confirmations,
        req: e.confirmationsRequired,
        expl: e.explicitAnswer,
        rev: e.revisions,
        dist: e.distinctAnswers,
        kind: e.anchorKind,
        kappa: e.kappa,
        chk: e.checkingRate,
        gold: a !== null && judgeSame(a, record.answer, record.dataset) && judgeStated(a, t.thinking.slice(0, end), record.dataset),
        ...features,
      });
    }
    lines.push(
      JSON.stringify({
        id: record.id,
        model: record.model,
        dataset: record.dataset,
        correct: record.correct,
        L: t.thinking.length,
        oracleCut: judged.oracleCut,
        base: judged.braked ? base.brakeAt : null,
        baseRight: judged.right,
        steps,
      }),
    );
  }
  writeFileSync(out, lines.join("\n") + "\n");
}

main();
