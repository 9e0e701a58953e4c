import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { must } from "../../harness/must";
import { analyzeGroups } from "../../../src/core/metrics/analyze";
import { sbtMetrics } from "../../../src/core/metrics/sbt";
import { buildSbtExample, checkSbtExample } from "../../../src/core/sbt/build";
import type { SbtSource } from "../../../src/core/sbt/build";
import { APPLES_QUESTION, APPLES_THINKING } from "../fixtures/traces";

const metrics = sbtMetrics({ thinking: APPLES_THINKING, thinkingTokens: 100, gold: "42", format: "number", problem: APPLES_QUESTION });

describe("SBT metrics", () => {
  it("computes FS, TS, η, κ and the score", () => {
    assert.equal(metrics.ts, 7);
    assert.equal(metrics.fs, 2);
    assert.equal(metrics.eta, 2 / 7);
    // Wait, "let me check" (3 words), Hmm, maybe, Another: 5 markers, 7 marker words over 100 tokens
    assert.equal(metrics.markerCount, 5);
    assert.equal(metrics.kappa, 0.07);
    assert.ok(Math.abs((metrics.score ?? 0) - (0.1 * 0.07 + 0.9 * (1 - 2 / 7))) < 1e-12);
  });
  it("has no FS when the gold answer never appears", () => {
    const m = sbtMetrics({ thinking: APPLES_THINKING, thinkingTokens: 100, gold: "7", format: "number", problem: null });
    assert.equal(m.fs, null);
    assert.equal(m.score, null);
  });
  it("reports the share of traces overthinking at each threshold", () => {
    const base = { model: "m", dataset: "d", ts: 10, fs: 1, kappa: 0, markerCount: 0, thinkingTokens: 1 };
    const groups = analyzeGroups([
      { ...base, id: "a", eta: 0.9, score: 0.09 },
      { ...base, id: "b", eta: 0.7, score: 0.27 },
      { ...base, id: "c", eta: 0.5, score: 0.45 },
      { ...base, id: "d", eta: null, score: null, fs: null },
    ]);
    assert.equal(groups[0]?.withAnswer, 3);
    assert.deepEqual(groups[0]?.overthinking.map((o) => Number(o.share.toFixed(4))), [0.6667, 0.3333, 0.3333]);
    assert.equal(groups[0]?.medianScore, 0.27);
  });
});

describe("SBT training data", () => {
  const source: SbtSource = { id: "apples", problem: APPLES_QUESTION, thinking: APPLES_THINKING, finalAnswer: "\n\nTom has \\boxed{42} apples.", gold: "42", format: "number", metrics };
  const brake = "Wait, I've verified my answer. No need to continue thinking.";
  it("SBT-E keeps the foundation solution plus one verification and masks the next", () => {
    const e = must(buildSbtExample(source, { mode: "exact", threshold: 0.2, grace: 0.05, brakeSentence: brake }), "an SBT example");
    assert.equal(e.mode, "exact");
    assert.deepEqual(checkSbtExample(e), []);
    assert.deepEqual(e.segments.map((s) => [s.kind, s.loss]), [["thinking", true], ["redundant", false], ["brake", true], ["answer", true]]);
    assert.equal(e.segments[0]?.text, `<think>${APPLES_THINKING.slice(0, APPLES_THINKING.indexOf("Wait, let me"))}`);
    assert.equal(e.segments[1]?.text, "Wait, let me check: 30 + 12 = 42. Yes.\n\n");
    assert.equal(e.segments[2]?.text, `${brake}\n</think>\n\n`);
    assert.equal(e.segments[3]?.text, "Tom has \\boxed{42} apples.");
    assert.deepEqual(e.metrics, { fs: 2, ts: 7, keptSteps: 3, maskedSteps: 1, score: metrics.score });
    assert.equal(e.messages[1].content.slice(e.maskedRange?.start, e.maskedRange?.end), e.segments[1]?.text);
    const kept = e.segments[0]?.text.length ?? 0;
    const masked = e.segments[1]?.text.length ?? 0;
    assert.deepEqual(e.messages[1].train_detail, [
      { begin_offset: 0, end_offset: kept - 1, train: true },
      { begin_offset: kept, end_offset: kept + masked - 1, train: false },
      { begin_offset: kept + masked, end_offset: e.messages[1].content.length - 1, train: true },
    ]);
  });
  it("counts offsets in code points, as Python and fine-tuning tools index the text", () => {
    const thinking = APPLES_THINKING.replace("Let me compute the total.", "Let me compute the total 🍎 of 𝑥 apples.");
    const m = sbtMetrics({ thinking, thinkingTokens: 100, gold: "42", format: "number", problem: APPLES_QUESTION });
    const e = must(buildSbtExample({ ...source, thinking, metrics: m }, { mode: "exact", threshold: 0.2, grace: 0.05, brakeSentence: brake }), "an SBT example");
    const maskedRange = must(e.maskedRange, "its masked range");
    assert.deepEqual(checkSbtExample(e), []);
    const points = Array.from(e.messages[1].content);
    // two astral characters before the span: UTF-16 offsets would be 2 too large
    assert.equal(maskedRange.start, (e.segments[0]?.text.length ?? 0) - 2);
    assert.equal(points.slice(maskedRange.start, maskedRange.end).join(""), e.segments[1]?.text);
    const untrained = e.messages[1].train_detail.find((s) => !s.train);
    assert.equal(points.slice(untrained?.begin_offset, (untrained?.end_offset ?? 0) + 1).join(""), e.segments[1]?.text);
  });
  it("SBT-D keeps steps below τ1 and masks those below τ2", () => {
    const e = must(buildSbtExample(source, { mode: "dynamic", threshold: 0.2, grace: 0.05, brakeSentence: brake }), "an SBT example");
    assert.deepEqual(checkSbtExample(e), []);
    // FS = 2, κ = 0.07: score(k) = 0.007 + 0.9(1 − 2/k) is 0.007 for k = 2 and 0.307 for k = 3 (≥ τ2 already)
    assert.equal(e.metrics.keptSteps, 2);
    assert.equal(e.metrics.maskedSteps, 0);
    assert.equal(e.maskedRange, null);
    assert.equal(e.messages[1].content.match(/<\/think>/g)?.length, 1);
  });
  it("passes traces that do not overthink unchanged", () => {
    const e = buildSbtExample(source, { mode: "exact", threshold: 0.9, grace: 0.05, brakeSentence: brake });
    assert.equal(e?.mode, "unchanged");
    assert.equal(e?.messages[1].content, `<think>${APPLES_THINKING}</think>\n\nTom has \\boxed{42} apples.`);
    assert.deepEqual(e ? checkSbtExample(e) : ["missing"], []);
  });
  it("catches inconsistent examples", () => {
    const e = must(buildSbtExample(source, { mode: "exact", threshold: 0.2, grace: 0.05, brakeSentence: brake }), "an SBT example");
    const broken = { ...e, messages: [e.messages[0], { ...e.messages[1], content: e.messages[1].content.replace("</think>", "") }] as const };
    assert.ok(checkSbtExample(broken).length >= 2);
    const shifted = { ...e, messages: [e.messages[0], { ...e.messages[1], train_detail: e.messages[1].train_detail.map((s) => ({ ...s, begin_offset: s.begin_offset + 1 })) }] as const };
    assert.ok(checkSbtExample(shifted).some((p) => p.includes("train_detail")));
    const noAnswer = buildSbtExample({ ...source, finalAnswer: "\n" }, { mode: "exact", threshold: 0.2, grace: 0.05, brakeSentence: brake });
    assert.ok(noAnswer && checkSbtExample(noAnswer).includes("empty final answer"));
  });
});
