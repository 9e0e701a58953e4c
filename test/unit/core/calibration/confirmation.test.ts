import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calibrate } from "../../../../src/core/calibration/calibrate";
import { confirmationSample, renderConfirmation, summariseConfirmation } from "../../../../src/core/calibration/confirmation";
import type { Recommendation } from "../../../../src/core/calibration/calibrate";
import { createApproximateTokenCounter } from "../../../../src/core/tokens/counter";
import { lateChange, mixedSet } from "./synthetic";

const counter = createApproximateTokenCounter();

describe("live confirmation", () => {
  // late changes first, so that recording order alone would pick unbraked problems
  const recordings = [...Array.from({ length: 4 }, (_, i) => lateChange(`late-${i}`)), ...mixedSet().slice(0, 12)];
  const report = calibrate(recordings, counter, { resamples: 300 });
  const rec = report.recommended as Recommendation;

  it("samples the problems the recommended setting brakes first, with replay's prediction", () => {
    assert.equal(rec.threshold, 0.25);
    const sample = confirmationSample(report, recordings, counter, 6);
    assert.equal(sample.length, 6);
    assert.ok(sample.every((c) => c.predicted.braked && c.predicted.correct), "the overthinkers are braked and right in replay");
    assert.ok(sample.every((c) => c.recording.id.startsWith("over-")));
    assert.ok(sample.every((c) => c.predicted.thinkingTokens < (c.recording.trace.length / 3)), "a brake keeps a part of the thinking");
    assert.deepEqual(confirmationSample(report, recordings, counter, 0), []);
    const all = confirmationSample(report, recordings, counter, 100);
    assert.equal(all.length, recordings.length);
    assert.ok(all.slice(-4).every((c) => c.recording.id.startsWith("late-") && !c.predicted.braked), "unbraked ones come last");
  });

  it("confirms when nothing right without the brake is lost live, and says so when something is", () => {
    const sample = confirmationSample(report, recordings, counter, 3);
    const ok = summariseConfirmation(rec, sample, sample.map((c, i) => ({ id: c.recording.id, correct: true, thinkingTokens: 20 + i, braked: true, seconds: 2 })));
    assert.equal(ok.problems, 3);
    assert.equal(ok.liveCorrect, 3);
    assert.equal(ok.agreeing, 3);
    assert.equal(ok.liveMeanThinkingTokens, 21);
    assert.equal(ok.noBrakeMeanSeconds, null, "synthetic recordings carry no time");
    assert.match(ok.verdict, /^Confirmed: live with threshold 0\.25, 3 of 3 right \(3 without the brake\); replay's prediction agreed on 3 of 3\./);
    const lost = summariseConfirmation(rec, sample, sample.map((c, i) => ({ id: c.recording.id, correct: i !== 1, thinkingTokens: 20, braked: true, seconds: 2 })));
    assert.equal(lost.liveCorrect, 2);
    assert.equal(lost.agreeing, 2);
    assert.match(lost.verdict, /^Check this setting: live it lost 1 of the 3 problems right without the brake/);
    const md = renderConfirmation(lost);
    assert.match(md, /\| live \| 2\/3 \| 3 \| 20\.0 \| 2\.0 s \|/);
    assert.match(md, /\| replay's prediction \| 3\/3 \| 3 \|/);
  });

  it("pairs live answers by id and ignores ones it did not ask", () => {
    const sample = confirmationSample(report, recordings, counter, 2);
    const s = summariseConfirmation(rec, sample, [{ id: "someone-else", correct: false, thinkingTokens: 1, braked: false, seconds: 1 }, { id: sample[0]?.recording.id ?? "", correct: true, thinkingTokens: 5, braked: true, seconds: 1 }]);
    assert.equal(s.problems, 1);
    assert.equal(summariseConfirmation(rec, sample, []).verdict, "No problem was answered live.");
  });
});
