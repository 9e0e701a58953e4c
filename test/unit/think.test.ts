import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ThinkEvent } from "../../src/core/think/parser";
import { createThinkParser, splitThinking } from "../../src/core/think/parser";

function collect(chunks: readonly string[], startInThinking: boolean): { thinking: string; answer: string; ends: number } {
  const parser = createThinkParser({ startInThinking });
  const events: ThinkEvent[] = [];
  for (const c of chunks) events.push(...parser.push(c));
  events.push(...parser.end());
  let thinking = "";
  let answer = "";
  let ends = 0;
  for (const e of events) {
    if (e.type === "thinking") thinking += e.text;
    else if (e.type === "answer") answer += e.text;
    else ends++;
  }
  return { thinking, answer, ends };
}

const OUTPUT = "<think>\nLet me think. 2 + 2 = 4.\n</think>\n\nThe answer is 4.";

describe("think-tag parser", () => {
  it("splits thinking and answer", () => {
    assert.deepEqual(collect([OUTPUT], false), { thinking: "\nLet me think. 2 + 2 = 4.\n", answer: "\n\nThe answer is 4.", ends: 1 });
  });
  it("gives the same result for every split point of the tags", () => {
    for (let i = 1; i < OUTPUT.length; i++) {
      assert.deepEqual(collect([OUTPUT.slice(0, i), OUTPUT.slice(i)], false), collect([OUTPUT], false), `split at ${i}`);
    }
    assert.deepEqual(collect([...OUTPUT], false), collect([OUTPUT], false));
  });
  it("handles templates that open <think> themselves", () => {
    const out = collect(["Let me think.", "..</th", "ink>Answer: 4"], true);
    assert.deepEqual(out, { thinking: "Let me think...", answer: "Answer: 4", ends: 1 });
    assert.equal(collect(["  <think>x</think>y"], true).thinking, "x");
  });
  it("treats output without <think> as all answer when the template does not open it", () => {
    assert.deepEqual(collect(["The answer", " is 4."], false), { thinking: "", answer: "The answer is 4.", ends: 0 });
  });
  it("flushes a partial tag that never completes", () => {
    assert.deepEqual(collect(["<think>abc</thi"], false), { thinking: "abc</thi", answer: "", ends: 0 });
  });
  it("splitThinking reports whether the thinking closed", () => {
    assert.equal(splitThinking("<think>still going", false).closed, false);
    assert.equal(splitThinking(OUTPUT, false).closed, true);
  });
});
