import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateSaving } from "../../../../src/core/brake/savingEstimate";
import { accountingLine, jsonSummary } from "../../../../src/cli/commands/ask";
import type { BrakeInfo, GenerationResult } from "../../../../src/engine/common/types";
import { must } from "../../../harness/must";

function result(reason: BrakeInfo["reason"] | null, thinking = 812): GenerationResult {
  const brake: BrakeInfo | null = reason === null ? null : { reason, explanation: "why", thinkingTokens: thinking, charOffset: 10, discardedTokens: 0, injectedText: "cue", injectedTokens: 3, score: null, anchoredAnswer: null };
  return {
    answer: "42",
    thinking: "t",
    thinkingMode: "on",
    braked: brake !== null,
    brake,
    probes: [],
    stopReason: "eos",
    tokens: { prompt: 10, promptEvaluated: 10, thinking, cue: 3, probe: 0, answer: 2, discarded: 0, reEvaluated: 0, savedEstimate: reason === null ? null : estimateSaving({ reason, keptTokens: thinking }) },
    timings: { ttftMs: 12, promptEvalMs: 5, thinkingMs: 20, brakeToAnswerMs: 3, totalMs: 40, tokensPerSecond: 100, engineMs: 1 },
    continued: 0,
  };
}

describe("self-braking ask: the saving in the accounting and --json", () => {
  it("--json carries the estimate and who the early end is credited to", () => {
    const r = result("overthinking");
    const out = JSON.parse(JSON.stringify(jsonSummary(r, null))) as Record<string, unknown>;
    const e = must(r.tokens.savedEstimate, "estimate");
    assert.deepEqual(out["savedEstimate"], { ...e });
    assert.equal(out["savingCredit"], "brake");
    assert.equal("savedTokensAtMost" in out, false);
    const manual = jsonSummary(result("manual"), null);
    assert.deepEqual([manual["savedEstimate"], manual["savingCredit"]], [null, "user"]);
    const budget = jsonSummary(result("budget", 8192), null);
    assert.deepEqual([budget["savedEstimate"], budget["savingCredit"]], [null, "limit"]);
    assert.deepEqual([jsonSummary(result(null), null)["savedEstimate"], jsonSummary(result(null), null)["savingCredit"]], [null, null]);
  });

  it("the accounting line labels the estimate and its basis; Answer now and the budget claim nothing", () => {
    const e = must(result("overthinking").tokens.savedEstimate, "estimate");
    assert.match(accountingLine(result("overthinking")), new RegExp(`, est\\. ~${e.tokens} avoided \\(estimate: ${e.ratio.toFixed(2)}× the thinking kept, the median of \\d+ recorded traces the brake braked; middle half ${e.low}–${e.high}\\)\\n`));
    assert.match(accountingLine(result("manual")), /answer now: you asked for the answer \(no saving credited to the brake\)/);
    assert.match(accountingLine(result("budget", 8192)), /thinking budget reached \(no saving claimed\)/);
    for (const r of [result("manual"), result("budget"), result(null)]) assert.doesNotMatch(accountingLine(r), /saved|avoided|≤/);
  });
});
