import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { finalCodeEnd, goldOf } from "../../../../src/core/replay/gold";
import { oracleCut } from "../../../../src/core/replay/oracle";
import { parseTraceFile } from "../../../../src/core/replay/record";
import { scoreTrace } from "../../../../src/core/replay/outcome";
import type { ThinkingReplay } from "../../../../src/core/replay/replayTrace";
import { must } from "../../../harness/must";

const FINAL = "def add(a, b):\n    return a + b";
const THINKING = "I need a function that adds two numbers.\n\nSomething like:\n\ndef add(a,b):\n  return a+b\n\nLet me test it: add(2, 3) gives 5. Correct.\n\nWait, what about floats? They work too.\n\n";
const TRACE = `<think>${THINKING}</think>\n\n\`\`\`python\n${FINAL}\n\`\`\``;

function record(fields: Record<string, unknown>): string {
  return JSON.stringify({ id: "c1", model: "m", dataset: "codegen", trace: TRACE, correct: true, ...fields });
}

describe("code trace records", () => {
  it("are read without a gold answer; the gold is the final code (finalCode, else the text after </think>)", () => {
    const parsed = parseTraceFile([record({ answer: null, finalCode: FINAL }), record({ id: "c2" })].join("\n"));
    assert.deepEqual(parsed.skipped, []);
    const withFinal = must(parsed.records[0], "the record with finalCode");
    const afterThink = must(parsed.records[1], "the record without");
    assert.equal(withFinal.answer, null);
    assert.equal(goldOf(withFinal), FINAL);
    assert.equal(goldOf(afterThink), `\`\`\`python\n${FINAL}\n\`\`\``);
    const math = parseTraceFile(JSON.stringify({ id: "m1", dataset: "gsm8k", trace: "<think>x</think>1", correct: true }));
    assert.equal(math.skipped[0]?.error, "missing field answer");
  });

  it("count the final code as written where it first appears in full, white space ignored", () => {
    assert.equal(finalCodeEnd(THINKING, FINAL), THINKING.indexOf("a+b") + 3);
    assert.equal(finalCodeEnd(THINKING, "def add(a, b):\n    return a - b"), null);
    assert.equal(oracleCut(THINKING, FINAL, "code", null), THINKING.indexOf("Let me test"));
  });

  it("score a brake as right only when the trace was right and the code was already written", () => {
    const rec = must(parseTraceFile(record({ answer: null, finalCode: FINAL })).records[0], "the record");
    const replayAt = (brakeAt: number): ThinkingReplay => ({ braked: true, brakeAt, answer: null, reason: "overthinking", evidence: null, explanation: null, thinkingChars: THINKING.length, thinkingTokens: 40, keptTokens: 20 });
    const ends = Array.from({ length: 40 }, (_, i) => Math.round(((i + 1) * THINKING.length) / 40));
    const after = scoreTrace(rec, THINKING, ends, "code", replayAt(THINKING.indexOf("Wait")));
    assert.equal(after.brakedCorrect, true);
    assert.equal(after.premature, false);
    const before = scoreTrace(rec, THINKING, ends, "code", replayAt(THINKING.indexOf("Something")));
    assert.equal(before.brakedCorrect, false);
    assert.equal(before.premature, true);
    assert.equal(scoreTrace({ ...rec, correct: false }, THINKING, ends, "code", replayAt(THINKING.indexOf("Wait"))).brakedCorrect, false);
  });
});
