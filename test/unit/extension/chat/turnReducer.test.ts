import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateSaving } from "../../../../src/core/brake/savingEstimate";
import type { BrakeInfo, GenerationResult } from "../../../../src/engine/common/types";
import { applyEvent, finishTurn, newTurn, statsFrom } from "../../../../src/extension/chat/turnReducer";
import { TurnSchema, TurnStatsSchema } from "../../../../src/protocol";
import { must } from "../../../harness/must";

function brake(reason: BrakeInfo["reason"], thinkingTokens: number): BrakeInfo {
  return { reason, explanation: "why", thinkingTokens, charOffset: 10, discardedTokens: 0, injectedText: "cue</think>\n\n", injectedTokens: 5, score: null, anchoredAnswer: null };
}

function result(b: BrakeInfo | null): GenerationResult {
  return {
    answer: "42",
    thinking: "Let me think.\n\n",
    thinkingMode: "on",
    braked: b !== null,
    brake: b,
    probes: [],
    stopReason: "eos",
    tokens: {
      prompt: 10,
      promptEvaluated: 10,
      thinking: b?.thinkingTokens ?? 30,
      cue: b ? 5 : 0,
      probe: 0,
      answer: 2,
      discarded: 0,
      reEvaluated: 0,
      savedEstimate: b ? estimateSaving({ reason: b.reason, keptTokens: b.thinkingTokens }) : null,
    },
    timings: { ttftMs: 12, promptEvalMs: 5, thinkingMs: 20, brakeToAnswerMs: null, totalMs: 40, tokensPerSecond: 100, engineMs: 1 },
    continued: 0,
  };
}

describe("statsFrom: a turn's accounting", () => {
  it("carries the thinking kept and the engine's estimate for a detector brake", () => {
    const r = result(brake("overthinking", 812));
    const stats = statsFrom(r);
    assert.equal(stats.thinkingTokens, 812);
    assert.deepEqual(stats.savedEstimate, r.tokens.savedEstimate);
    assert.ok(TurnStatsSchema.safeParse(stats).success);
  });

  it("carries no saving without a brake, for the budget, a full context or Answer now", () => {
    for (const b of [null, brake("budget", 8192), brake("context", 3000), brake("manual", 812)]) {
      const stats = statsFrom(result(b));
      assert.equal("savedEstimate" in stats, false, b?.reason ?? "no brake");
      assert.equal(stats.thinkingTokens, b?.thinkingTokens ?? 30);
      assert.ok(TurnStatsSchema.safeParse(stats).success);
    }
  });

  it("is what a finished turn keeps", () => {
    const r = result(brake("overthinking", 812));
    const turn = finishTurn({ ...newTurn("t1", "How far?"), status: "answering" }, r);
    assert.deepEqual(must(turn.stats, "stats").savedEstimate, r.tokens.savedEstimate);
    assert.ok(TurnSchema.safeParse(turn).success);
  });
});

describe("turns stored before the estimate", () => {
  it("still load: the old savedTokens (the budget left) is dropped, and no estimate is made up", () => {
    const old = {
      ...newTurn("t0", "How fast is the train?"),
      status: "done",
      answer: "80 km/h",
      brake: { reason: "overthinking", explanation: "why", charOffset: 10, thinkingTokens: 21, score: 0.3, anchoredAnswer: "80", cue: "cue" },
      stats: { promptTokens: 40, thinkingTokens: 21, answerTokens: 12, cueTokens: 14, probeTokens: 0, savedTokens: 2950, reEvaluatedTokens: 0, ttftMs: 30, tokensPerSecond: 50, totalMs: 900 },
    };
    const parsed = TurnSchema.safeParse(JSON.parse(JSON.stringify(old)));
    assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
    const stats = must(parsed.data.stats, "stats");
    assert.equal("savedTokens" in stats, false);
    assert.equal(stats.savedEstimate, undefined);
    assert.equal(stats.thinkingTokens, 21);
  });
});

describe("the live meter", () => {
  it("carries the model's end-of-thinking signal when the engine reads it, and stays valid without it", () => {
    const turn = newTurn("t1", "Write a function.");
    const read = applyEvent(turn, { type: "meter", thinkingTokens: 120, score: 0.1, armed: false, anchoredAnswer: null, endOfThinking: { probability: 0.25, margin: 0.9 } });
    assert.deepEqual(read.turn.meter, { thinkingTokens: 120, score: 0.1, armed: false, endOfThinking: { probability: 0.25, margin: 0.9 } });
    assert.equal(TurnSchema.safeParse(read.turn).success, true);
    const plain = applyEvent(turn, { type: "meter", thinkingTokens: 120, score: null, armed: false, anchoredAnswer: null });
    assert.deepEqual(plain.turn.meter, { thinkingTokens: 120, score: null, armed: false });
    assert.equal(TurnSchema.safeParse(plain.turn).success, true);
  });
});
