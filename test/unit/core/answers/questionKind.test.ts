import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inferAnswerFormat } from "../../../../src/core/answers/format";
import { inferQuestionKind } from "../../../../src/core/answers/questionKind";
import { createBrakeDetector } from "../../../../src/core/brake/detector";

const kind = (question: string, dataset?: string): string => inferQuestionKind(inferAnswerFormat(dataset, question), question);

describe("question kinds", () => {
  it("tells code, open-ended and arithmetic questions apart", () => {
    assert.equal(kind("Write a Python function that merges two sorted lists."), "code");
    assert.equal(kind("Fix the bug in this method so the test passes."), "code");
    assert.equal(kind("Explain the difference between a process and a thread."), "open");
    assert.equal(kind("How does garbage collection work in Go?"), "open");
    assert.equal(kind("Compare REST and GraphQL for a mobile app."), "open");
    assert.equal(kind("What is the difference between the square root of 64 and the cube root of 64?"), "math", "numbers: arithmetic");
    assert.equal(kind("Janet has 3 apples and buys 5 more. How many does she have?"), "math");
    assert.equal(kind("anything", "codegen"), "code");
  });

  it("an open-ended question gets no adaptive brake: it says why, and only the budget brakes", () => {
    const d = createBrakeDetector({ question: "Explain how a hash map handles collisions.", maxThinkingTokens: 50 });
    const evidence = d.snapshot().evidence;
    assert.equal(evidence.questionKind, "open");
    assert.match(evidence.standDown ?? "", /open-ended .* only the thinking budget brakes\.$/);
    const steps = "The answer is 42.\n\nLet me verify: 42.\n\nSo the answer is 42.\n\nWait, the answer is 42.\n\n";
    assert.equal(d.push(steps, 40).kind, "continue", "a confirmed 'answer' does not brake an open question");
    const budget = d.push("More thinking here.\n\n", 20);
    assert.equal(budget.kind === "brake" ? budget.reason : budget.kind, "budget");
    const withSignal = createBrakeDetector({ question: "Explain how a hash map handles collisions.", signal: { policy: "endOfThinking" } });
    assert.match(withSignal.snapshot().evidence.standDown ?? "", /and the model's own end-of-thinking signal\.$/);
  });
});
