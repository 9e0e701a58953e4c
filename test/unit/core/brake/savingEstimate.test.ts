import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CalibratedRatio } from "../../../../src/core/brake/savingEstimate";
import { SAVING_RATIOS, estimateSaving, lookupRatio, savingCredit } from "../../../../src/core/brake/savingEstimate";
import { brakeOutcomeLine, brakeOutcomeTooltip, estimateShort, keptAndSaved } from "../../../../src/core/brake/savingText";
import { BRAKE_REASONS } from "../../../../src/core/vocabulary";
import { must } from "../../../harness/must";

describe("estimateSaving: what a brake saved, only where it can be estimated", () => {
  it("scales the thinking kept by the measured median, with the quartiles as its range", () => {
    const e = must(estimateSaving({ reason: "overthinking", keptTokens: 812 }), "an estimate");
    const all = SAVING_RATIOS.all;
    assert.deepEqual(e, {
      tokens: Math.round(812 * all.median),
      basis: "recorded-traces",
      ratio: all.median,
      low: Math.round(812 * all.q1),
      high: Math.round(812 * all.q3),
      source: `${all.traces} recorded traces the brake braked`,
    });
    assert.ok(e.low <= e.tokens && e.tokens <= e.high);
  });

  it("takes the cell of the rule that fired and the answer format when they are known", () => {
    const eta = must(estimateSaving({ reason: "overthinking", keptTokens: 1000, rule: "eta", format: "number" }), "eta × number");
    assert.equal(eta.ratio, SAVING_RATIOS.byRuleAndFormat["eta×number"].median);
    assert.equal(eta.tokens, Math.round(1000 * SAVING_RATIOS.byRuleAndFormat["eta×number"].median));
    assert.match(eta.source, /^\d+ recorded traces braked by the η̂ rule, number answers$/);
    const verified = must(estimateSaving({ reason: "overthinking", keptTokens: 1000, rule: "verified", format: "number" }), "verified × number");
    assert.equal(verified.ratio, SAVING_RATIOS.byRuleAndFormat["verified×number"].median);
    // a verified answer brakes later in its thinking: less is left after it
    assert.ok(verified.tokens < eta.tokens);
  });

  it("gives a saving for every detector brake, none for the budget or a full context, and credits Answer now to the user", () => {
    const credit = Object.fromEntries(BRAKE_REASONS.map((r) => [r, savingCredit(r)]));
    assert.deepEqual(credit, { overthinking: "brake", budget: "limit", probe: "brake", signal: "brake", manual: "user", context: "limit" });
    for (const reason of BRAKE_REASONS) {
      const e = estimateSaving({ reason, keptTokens: 812, rule: "eta", format: "number" });
      assert.equal(e !== null, credit[reason] === "brake", reason);
    }
    assert.equal(estimateSaving({ reason: "manual", keptTokens: 812 }), null);
    assert.equal(estimateSaving({ reason: "budget", keptTokens: 8192 }), null);
    assert.equal(estimateSaving({ reason: "context", keptTokens: 3000 }), null);
  });

  it("uses the adaptive brake's ratio for probe and signal brakes, and says they were not measured", () => {
    const probe = must(estimateSaving({ reason: "probe", keptTokens: 400, rule: "verified", format: "number" }), "probe");
    // a rule never applies to a probe: the format's cell
    assert.equal(probe.ratio, SAVING_RATIOS.byFormat.number.median);
    assert.match(probe.source, /probe brakes were not measured/);
    const signal = must(estimateSaving({ reason: "signal", keptTokens: 400 }), "signal");
    assert.equal(signal.ratio, SAVING_RATIOS.all.median);
    assert.match(signal.source, /signal brakes were not measured/);
  });

  it("claims nothing when nothing was kept", () => {
    assert.equal(estimateSaving({ reason: "overthinking", keptTokens: 0 }), null);
  });

  it("prefers a calibration on the user's model when one is given (the later issue's hook)", () => {
    const calibration: CalibratedRatio = { model: "qwen3-8b.gguf", traces: 40, median: 0.5, q1: 0.25, q3: 1 };
    const e = must(estimateSaving({ reason: "overthinking", keptTokens: 800, rule: "eta", format: "number", calibration }), "calibrated");
    assert.deepEqual(e, { tokens: 400, basis: "calibration", ratio: 0.5, low: 200, high: 800, source: "40 calibration questions on qwen3-8b.gguf" });
    assert.equal(estimateSaving({ reason: "manual", keptTokens: 800, calibration }), null, "calibration does not credit the brake with a manual answer");
  });
});

describe("lookupRatio: the most specific measured cell", () => {
  it("falls back from rule × format to the rule, the format, then all traces", () => {
    assert.equal(lookupRatio("eta", "number").ratio, SAVING_RATIOS.byRuleAndFormat["eta×number"]);
    assert.equal(lookupRatio("eta", "math").ratio, SAVING_RATIOS.byRule.eta, "too few math traces for a cell");
    assert.equal(lookupRatio("verified", null).ratio, SAVING_RATIOS.byRule.verified);
    assert.equal(lookupRatio(null, "number").ratio, SAVING_RATIOS.byFormat.number);
    assert.equal(lookupRatio(null, "code").ratio, SAVING_RATIOS.byFormat.code);
    assert.equal(lookupRatio("concluded", "output").ratio, SAVING_RATIOS.byRuleAndFormat["concluded×output"]);
    assert.equal(lookupRatio("verified", "output").ratio, SAVING_RATIOS.byRule.verified, "too few verified outputs for a cell");
    assert.match(lookupRatio("concluded", "output").source, /^\d+ recorded traces braked by the stated-result rule, program-output answers$/);
    assert.equal(lookupRatio(null, "choice").ratio, SAVING_RATIOS.all, "a format with no cell");
    assert.equal(lookupRatio(undefined, undefined).ratio, SAVING_RATIOS.all);
    assert.equal(lookupRatio(null, "constructor").ratio, SAVING_RATIOS.all, "own keys only");
  });

  it("holds medians between their quartiles, measured on enough traces", () => {
    const cells = [SAVING_RATIOS.all, ...Object.values(SAVING_RATIOS.byRule), ...Object.values(SAVING_RATIOS.byFormat), ...Object.values(SAVING_RATIOS.byRuleAndFormat)];
    for (const c of cells) {
      assert.ok(c.q1 <= c.median && c.median <= c.q3 && c.q1 >= 0, JSON.stringify(c));
      assert.ok(c.traces >= 20, JSON.stringify(c));
    }
  });
});

describe("the words for what a brake did", () => {
  const estimate = { tokens: 650, basis: "recorded-traces", ratio: 0.8, low: 200, high: 1500, source: "211 recorded traces braked by the η̂ rule" } as const;

  it("labels the estimate as one and never headlines the budget left", () => {
    assert.equal(keptAndSaved(812, estimate), "kept 812 thinking tokens · est. ~650 more avoided (median of recorded traces)");
    assert.equal(keptAndSaved(812, { ...estimate, basis: "calibration" }), "kept 812 thinking tokens · est. ~650 more avoided (calibrated on this model)");
    assert.equal(keptAndSaved(812, null), "kept 812 thinking tokens");
    assert.equal(estimateShort({ ...estimate, tokens: 12_345 }), "est. ~12.3k avoided");
  });

  it("says per reason what happened: the brake's estimate, the user's call, the limit", () => {
    assert.equal(brakeOutcomeLine("overthinking", 812, estimate), "kept 812 thinking tokens · est. ~650 more avoided (median of recorded traces)");
    assert.equal(brakeOutcomeLine("manual", 812, estimate), "You asked for the answer after 812 thinking tokens");
    assert.equal(brakeOutcomeLine("budget", 8192, null), "kept 8192 thinking tokens · thinking budget reached");
    assert.equal(brakeOutcomeLine("context", 3000, null), "kept 3000 thinking tokens · context window nearly full");
    for (const reason of ["manual", "budget", "context"] as const) assert.doesNotMatch(brakeOutcomeLine(reason, 812, estimate), /saved|avoided/, reason);
  });

  it("explains in the tooltip what the estimate is based on", () => {
    const tip = brakeOutcomeTooltip("overthinking", 812, estimate);
    assert.match(tip, /^The brake kept 812 thinking tokens \(measured\)\. Estimate, not a measurement: on 211 recorded traces braked by the η̂ rule \(other models and questions\)/);
    assert.match(tip, /a median 0\.80× what it had kept, so about 650 more tokens here \(middle half 200–1500\)\. Your model may differ\.$/);
    assert.match(brakeOutcomeTooltip("overthinking", 812, { ...estimate, basis: "calibration", source: "40 calibration questions on m.gguf" }), /on 40 calibration questions on m\.gguf, the unbraked model/);
    assert.match(brakeOutcomeTooltip("manual", 812, null), /^You asked for the answer after 812 thinking tokens \(Answer now\)\. That was your call, so no saving is credited to the brake\.$/);
    assert.match(brakeOutcomeTooltip("budget", 8192, null), /thinking budget you set .* No saving is claimed/);
    assert.match(brakeOutcomeTooltip("overthinking", 812, null), /unknown/);
  });
});
