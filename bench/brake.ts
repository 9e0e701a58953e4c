/**
 * Brake detector benchmark: `npm run bench:brake [-- TRACES.jsonl]`.
 * 1. A synthetic 200k-token thinking (a number question, then a code question whose drafts are
 *    read as they stream), pushed one token at a time: chars/s, µs per token, and the
 *    cost of the last 10 % of tokens against the first 10 % (constant work per token ⇒ ≈ 1).
 * 2. A traces file (default ../shared/eval/traces-dev.jsonl when present), every thinking replayed
 *    token by token: tokenising time and detector time, reported separately.
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createBrakeDetector } from "../src/core/brake/detector";
import { parseTraceFile } from "../src/core/replay/record";
import { prepareTrace } from "../src/core/replay/run";
import { isBraked } from "../src/core/replay/outcome";
import { replayThinking } from "../src/core/replay/replayTrace";
import { createApproximateTokenCounter } from "../src/core/tokens/counter";
import { loadTokenCounter } from "../src/cli/replayTokenizer";

const counter = createApproximateTokenCounter();

function syntheticThinking(targetTokens: number): string {
  const parts: string[] = [];
  let tokens = 0;
  for (let i = 0; tokens < targetTokens; i++) {
    const step =
      i % 5 === 0
        ? `Wait, let me check step ${i} again: ${i} + ${i + 1} = ${2 * i + 1}. Hmm, maybe I should verify that the total is ${3 * i + 7}.`
        : `So the running value becomes ${i * 3 + 1}, and then I compare it with the previous bound of ${i * 2}; perhaps another approach would be cleaner.`;
    parts.push(step);
    tokens += counter.tokenEnds(step + "\n\n").length;
  }
  return parts.join("\n\n");
}

/** A code question's thinking: prose, and every fifth step a draft of the function, revised each time. */
function syntheticCodeThinking(targetTokens: number): string {
  const parts: string[] = [];
  let tokens = 0;
  for (let i = 0; tokens < targetTokens; i++) {
    const step =
      i % 5 === 0
        ? `\`\`\`python\ndef total(xs, start=${i}):\n    acc = start\n    for x in xs:\n        if x > ${i % 7}:\n            acc += x\n    return acc\n\`\`\``
        : `Wait, let me trace total([1, 2, 3]) again with start ${i}: it adds ${i + 1}, then checks the bound; maybe an empty list needs care.`;
    parts.push(step);
    tokens += counter.tokenEnds(step + "\n\n").length;
  }
  return parts.join("\n\n");
}

function benchSynthetic(warmUp = false, format: "number" | "code" = "number"): void {
  const size = warmUp ? 20_000 : 200_000;
  const thinking = format === "code" ? syntheticCodeThinking(size) : syntheticThinking(size);
  const ends = counter.tokenEnds(thinking);
  const detector = createBrakeDetector({ threshold: 1, maxThinkingTokens: Infinity, answerFormat: format });
  const tenth = Math.floor(ends.length / 10);
  const split: number[] = [];
  let from = 0;
  const start = performance.now();
  let mark = start;
  for (let t = 0; t < ends.length; t++) {
    const to = ends[t] ?? thinking.length;
    detector.push(thinking.slice(from, to), 1);
    from = to;
    if ((t + 1) % tenth === 0) {
      const now = performance.now();
      split.push(now - mark);
      mark = now;
    }
  }
  const ms = performance.now() - start;
  if (warmUp) return;
  const first = split[0] ?? 0;
  const last = split[9] ?? split[split.length - 1] ?? 0;
  console.log(`synthetic (${format}): ${ends.length} tokens, ${thinking.length} chars, ${ms.toFixed(0)} ms`);
  console.log(`  ${((thinking.length / ms) * 1000).toFixed(0)} chars/s, ${((ms * 1000) / ends.length).toFixed(2)} µs/token`);
  console.log(`  first 10 %: ${first.toFixed(1)} ms, last 10 %: ${last.toFixed(1)} ms (ratio ${(last / Math.max(first, 1e-9)).toFixed(2)})`);
}

function benchFile(path: string): void {
  const { records } = parseTraceFile(readFileSync(path, "utf8"));
  const tokenizer = loadTokenCounter("auto", (m) => console.log(`  note: ${m}`));
  const t0 = performance.now();
  const prepared = records.map((r) => prepareTrace(r, tokenizer));
  const tokenizeMs = performance.now() - t0;
  const tokens = prepared.reduce((s, p) => s + p.tokenEnds.length, 0);
  const chars = prepared.reduce((s, p) => s + p.thinking.length, 0);
  const t1 = performance.now();
  let braked = 0;
  for (const p of prepared) {
    const r = replayThinking(p.thinking, p.tokenEnds, { maxThinkingTokens: Infinity, answerFormat: p.format, question: p.record.problem ?? undefined });
    if (isBraked(r)) braked++;
  }
  const replayMs = performance.now() - t1;
  console.log(`${path}: ${records.length} traces, ${tokens} tokens (${tokenizer.name}), ${chars} chars`);
  console.log(`  tokenising: ${tokenizeMs.toFixed(0)} ms; detector (token by token, stops at the brake; ${braked} braked): ${replayMs.toFixed(0)} ms`);
  console.log(`  ${((chars / replayMs) * 1000).toFixed(0)} chars/s, ${((replayMs * 1000) / tokens).toFixed(2)} µs/token`);
}

benchSynthetic(true); // let the JIT settle before timing
benchSynthetic();
benchSynthetic(true, "code");
benchSynthetic(false, "code");
const file = process.argv[2] ?? "../shared/eval/traces-dev.jsonl";
if (existsSync(file)) benchFile(file);
else console.log(`(no traces file at ${file}; pass one as an argument)`);
