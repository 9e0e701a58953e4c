import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replayThinking } from "../../../../src/core/replay/replayTrace";
import type { EndOfThinkingSignal } from "../../../../src/core/brake/types";
import { createApproximateTokenCounter } from "../../../../src/core/tokens/counter";

const counter = createApproximateTokenCounter();
/** Nothing to anchor an answer on: text alone never brakes. */
const THINKING = "Let me read the question again.\n\nThe loop adds each item once.\n\nThat covers every case I can think of.\n\nI am ready to answer.";
const ends = counter.tokenEnds(THINKING);
const stepEnd = (n: number): number => {
  let at = -2;
  for (let i = 0; i < n; i++) at = THINKING.indexOf("\n\n", at + 2);
  return at + 2;
};
/** A reading with this margin (nats) at the end of step n. */
const reading = (n: number, probability: number, margin: number): EndOfThinkingSignal => ({ charOffset: stepEnd(n), probability, topProbability: probability * Math.exp(margin) });
const SIGNALS = [reading(1, 0.05, Math.log(0.95 / 0.05)), reading(2, 1e-20, 40), reading(3, 0.3, Math.log(0.7 / 0.3))];
const ON = { mode: "adaptive", threshold: 0.2, signal: { policy: "endOfThinking" } } as const;

describe("replayThinking with recorded end-of-thinking readings", () => {
  it("brakes with the signal policy at the first step boundary whose margin is small enough", () => {
    const r = replayThinking(THINKING, ends, ON, 1, SIGNALS);
    assert.equal(r.braked, true);
    assert.equal(r.reason, "signal");
    assert.equal(r.brakeAt, stepEnd(3));
    assert.ok(Math.abs((r.evidence?.endOfThinking?.margin ?? NaN) - Math.log(0.7 / 0.3)) < 1e-9);
  });

  it("decides the same whatever the chunk size (a chunk is split at a reading)", () => {
    const one = replayThinking(THINKING, ends, ON, 1, SIGNALS);
    for (const chunk of [2, 5, 1000]) {
      const r = replayThinking(THINKING, ends, ON, chunk, SIGNALS);
      assert.deepEqual({ ...r, evidence: null }, { ...one, evidence: null }, `chunk ${chunk}`);
    }
  });

  it("never brakes on the readings with the policy off, and replays as without them", () => {
    const off = replayThinking(THINKING, ends, { mode: "adaptive", threshold: 0.2 }, 1, SIGNALS);
    const plain = replayThinking(THINKING, ends, { mode: "adaptive", threshold: 0.2 });
    assert.equal(off.braked, false);
    assert.deepEqual(off, plain);
    const wide = replayThinking(THINKING, ends, { ...ON, signal: { policy: "endOfThinking", maxMargin: 0.5 } }, 1, SIGNALS);
    assert.equal(wide.braked, false, "no margin at or under 0.5 nats");
  });

  it("ignores a reading that is not at a step boundary", () => {
    const inside = { ...reading(3, 0.3, 0.1), charOffset: stepEnd(3) - 5 };
    assert.equal(replayThinking(THINKING, ends, ON, 1, [inside]).braked, false);
  });
});
