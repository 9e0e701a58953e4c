import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SAVING_RATIOS } from "../../../../../src/core/brake/savingEstimate";
import type { BrakeInfo } from "../../../../../src/engine/common/types";
import type { ResultParts } from "../../../../../src/engine/process/generation/accounting";
import { buildResult, GenerationCounters } from "../../../../../src/engine/process/generation/accounting";
import { must } from "../../../../harness/must";

function brake(reason: BrakeInfo["reason"], thinkingTokens: number): BrakeInfo {
  return { reason, explanation: "why", thinkingTokens, charOffset: 10, discardedTokens: 0, injectedText: "cue", injectedTokens: 3, score: null, anchoredAnswer: null };
}

function parts(b: BrakeInfo | null, extra: Partial<ResultParts> = {}): ResultParts {
  return { answer: "42", thinking: "t", thinkingMode: "on", brake: b, probes: [], stopReason: "eos", ...extra };
}

describe("buildResult: the saving", () => {
  const counters = new GenerationCounters(() => 0);

  it("estimates a detector brake's saving from the thinking kept, never from the budget left", () => {
    const e = must(buildResult(counters, parts(brake("overthinking", 21))).tokens.savedEstimate, "estimate");
    assert.equal(e.basis, "recorded-traces");
    assert.equal(e.tokens, Math.round(21 * SAVING_RATIOS.all.median));
    assert.notEqual(e.tokens, 8192 - 21);
  });

  it("uses the rule and format when the loop passes them, and a calibration over both", () => {
    const cell = SAVING_RATIOS.byRuleAndFormat["verified×number"];
    assert.equal(buildResult(counters, parts(brake("overthinking", 1000), { brakeRule: "verified", answerFormat: "number" })).tokens.savedEstimate?.ratio, cell.median);
    const calibration = { model: "m.gguf", traces: 30, median: 0.5, q1: 0.2, q3: 0.9 };
    const e = must(buildResult(counters, parts(brake("overthinking", 1000), { brakeRule: "verified", answerFormat: "number", calibration })).tokens.savedEstimate, "calibrated");
    assert.deepEqual([e.basis, e.tokens], ["calibration", 500]);
  });

  it("claims nothing without a brake, for the budget, a full context, or Answer now", () => {
    for (const b of [null, brake("budget", 8192), brake("context", 3000), brake("manual", 21)]) {
      assert.equal(buildResult(counters, parts(b)).tokens.savedEstimate, null, b?.reason ?? "no brake");
    }
  });
});
