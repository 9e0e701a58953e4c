import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBrakeDetector } from "../../../../src/core/brake/detector";

const STEPS = "Let me think about the loop.\n\nIt adds each item once.\n\n";

describe("the end-of-thinking signal", () => {
  it("is recorded in the evidence, with its margin to the most likely token", () => {
    const d = createBrakeDetector({ signal: { policy: "off" } });
    d.push(STEPS, 12);
    assert.equal(d.observeSignal({ charOffset: STEPS.length, probability: 0.2, topProbability: 0.5 }).kind, "continue");
    const seen = d.snapshot().evidence.endOfThinking;
    assert.ok(seen !== null);
    assert.equal(seen.probability, 0.2);
    assert.ok(Math.abs(seen.margin - Math.log(0.5 / 0.2)) < 1e-9);
  });

  it("brakes at the step boundary when enabled and the end of thinking is nearly the most likely next token", () => {
    const d = createBrakeDetector({ signal: { policy: "endOfThinking", maxMargin: 1 } });
    d.push(STEPS, 12);
    assert.equal(d.observeSignal({ charOffset: STEPS.length, probability: 0.05, topProbability: 0.9 }).kind, "continue", "ln(0.9/0.05) ≈ 2.9 > 1");
    d.push("So it returns the total.\n\n", 6);
    const decision = d.observeSignal({ charOffset: STEPS.length + 26, probability: 0.4, topProbability: 0.5 });
    assert.equal(decision.kind, "brake");
    assert.ok(decision.kind === "brake");
    assert.equal(decision.reason, "signal");
    assert.equal(decision.charOffset, STEPS.length + 26);
    assert.match(decision.explanation, /about to end its thinking after step 3 .*probability 0\.400, 0\.22 nats below/);
    assert.deepEqual(d.push("more", 1), decision, "braked for good");
  });

  it("does not brake mid-step, off its boundary, outside the adaptive mode, or before the minimum thinking", () => {
    const on = { signal: { policy: "endOfThinking" as const, maxMargin: 1 } };
    const midStep = createBrakeDetector(on);
    midStep.push("Let me think", 3);
    assert.equal(midStep.observeSignal({ charOffset: 12, probability: 0.9, topProbability: 0.9 }).kind, "continue");
    const stale = createBrakeDetector(on);
    stale.push(STEPS, 12);
    assert.equal(stale.observeSignal({ charOffset: 10, probability: 0.9, topProbability: 0.9 }).kind, "continue");
    const budget = createBrakeDetector({ ...on, mode: "budget" });
    budget.push(STEPS, 12);
    assert.equal(budget.observeSignal({ charOffset: STEPS.length, probability: 0.9, topProbability: 0.9 }).kind, "continue");
    const early = createBrakeDetector({ ...on, minThinkingTokens: 100 });
    early.push(STEPS, 12);
    assert.equal(early.observeSignal({ charOffset: STEPS.length, probability: 0.9, topProbability: 0.9 }).kind, "continue");
  });
});
