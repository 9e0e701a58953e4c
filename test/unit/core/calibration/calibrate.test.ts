import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calibrate, renderMarkdown, rowCells, TABLE_HEADER } from "../../../../src/core/calibration/calibrate";
import type { SettingRow } from "../../../../src/core/calibration/calibrate";
import type { CalibrationRecording } from "../../../../src/core/calibration/recording";
import { createApproximateTokenCounter } from "../../../../src/core/tokens/counter";
import { lateChange, mixedSet, overthinking } from "./synthetic";

const counter = createApproximateTokenCounter();

describe("calibrate", () => {
  const report = calibrate(mixedSet(), counter, { resamples: 2000 });

  it("measures no brake from the recordings themselves", () => {
    assert.equal(report.problems, 18);
    assert.equal(report.noBrake.accuracy, 1);
    assert.equal(report.noBrake.saving, 0);
    assert.deepEqual([report.noBrake.vsNoBrake.low, report.noBrake.vsNoBrake.high], [0, 0]);
  });

  it("loses the late changes at low thresholds and keeps them from 0.2 on", () => {
    const at = (t: number): SettingRow => report.settings.find((s) => s.threshold === t) as SettingRow;
    for (const t of [0.05, 0.1, 0.15]) {
      assert.equal(at(t).correct, 12, `threshold ${t}`);
      assert.equal(at(t).vsNoBrake.lost, 6);
      assert.ok(at(t).vsNoBrake.high < 0, "six losses and no gains: the interval excludes 0");
      assert.equal(at(t).withinTolerance, false);
    }
    for (const t of [0.2, 0.25, 0.3, 0.6]) {
      assert.equal(at(t).accuracy, 1, `threshold ${t}`);
      assert.equal(at(t).withinTolerance, true);
    }
    assert.ok(at(0.25).saving > at(0.3).saving, "overthinking is cut earlier below 0.3");
    assert.ok(at(0.05).saving > at(0.25).saving, "the lowest thresholds save most, by braking the late changes too");
  });

  it("recommends the largest saving without loss beyond noise (ties go to the higher threshold)", () => {
    assert.ok(report.recommended);
    assert.equal(report.recommended.threshold, 0.25);
    assert.deepEqual(report.recommended.settings, { "selfBraking.brake.mode": "adaptive", "selfBraking.brake.threshold": 0.25 });
  });

  it("with a tolerance of 50 points takes the larger saving and its loss", () => {
    const lax = calibrate(mixedSet(), counter, { resamples: 500, tolerancePoints: 50 });
    assert.equal(lax.recommended?.threshold, 0.1);
    const strict = calibrate(mixedSet(), counter, { resamples: 500, tolerancePoints: 0 });
    assert.equal(strict.recommended?.threshold, 0.25);
  });

  it("gives fixed budgets matched to the recommended setting's mean thinking", () => {
    const rec = report.settings.find((s) => s.threshold === 0.25) as SettingRow;
    assert.ok(report.budgets.length >= 1 && report.budgets.length <= 2);
    const atMean = report.budgets[0] as SettingRow;
    const sameMean = report.budgets[report.budgets.length - 1] as SettingRow;
    assert.equal(atMean.budgetTokens, Math.round(rec.meanThinkingTokens));
    assert.ok(Math.abs(sameMean.meanThinkingTokens - rec.meanThinkingTokens) < 1, "the second budget spends the same mean");
    assert.ok(sameMean.accuracy < rec.accuracy, "a hard cut at the same mean loses the late changes");
  });

  it("recommends nothing when every brake loses", () => {
    const r = calibrate([lateChange("a"), lateChange("b"), lateChange("c"), lateChange("d")], counter, { thresholds: [0.05, 0.1], resamples: 500 });
    assert.equal(r.recommended, null);
    assert.match(renderMarkdown(r), /No recommendation/);
  });

  it("is JSON-serialisable and deterministic", () => {
    const again = calibrate(mixedSet(), counter, { resamples: 2000 });
    assert.deepEqual(JSON.parse(JSON.stringify(report)), JSON.parse(JSON.stringify(again)));
  });

  it("renders a markdown table with the JSON numbers, and the frontier holds the same rows", () => {
    const md = renderMarkdown(report);
    const rows = md.split("\n").filter((l) => l.startsWith("| ")).map((l) => l.slice(2, -2).split(" | "));
    assert.deepEqual(rows[0], TABLE_HEADER);
    const table = [report.noBrake, ...report.settings, ...report.budgets];
    assert.equal(rows.length - 2, table.length);
    const sign = (x: number): string => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x).toFixed(1)}`;
    table.forEach((r, i) => {
      const cells = rows[i + 2] as string[];
      assert.equal(cells[0], r.label);
      assert.equal(cells[1], `${(100 * r.accuracy).toFixed(1)} % (${r.correct}/${r.problems})`);
      if (r.kind !== "off") assert.equal(cells[2], `${sign(r.vsNoBrake.points)} [${sign(r.vsNoBrake.low)}, ${sign(r.vsNoBrake.high)}]`);
      assert.equal(Number(cells[3]), Number(r.meanThinkingTokens.toFixed(1)));
      assert.equal(Number(cells[4]), Number(r.medianThinkingTokens.toFixed(1)));
      assert.equal(cells[5], `${(100 * r.saving).toFixed(1)} %`);
      const point = report.frontier[i];
      assert.deepEqual(point, { label: r.label, kind: r.kind, meanThinkingTokens: r.meanThinkingTokens, meanSeconds: r.meanSeconds, accuracy: r.accuracy });
      assert.equal(cells[7], "—", "untimed recordings have no seconds");
    });
    assert.equal(report.frontier.length, table.length);
    assert.match(md, /"selfBraking\.brake\.threshold": 0\.25/);
  });

  it("estimates seconds from each recording's own time per token, and no brake keeps the recorded time", () => {
    const timed = mixedSet().map((r, i) => ({ ...r, seconds: 10 + i }));
    const t = calibrate(timed, counter, { resamples: 200 });
    assert.equal(t.noBrake.meanSeconds, timed.reduce((s, r) => s + r.seconds, 0) / timed.length);
    const rec = t.settings.find((s) => s.threshold === 0.25) as SettingRow;
    assert.ok(rec.meanSeconds !== null && rec.meanSeconds < (t.noBrake.meanSeconds as number), "braking saves time");
    // on one problem the time saved is under the thinking share saved: the answer's time is kept
    const one = calibrate([{ ...overthinking("one", 3, 4, 12), seconds: 20 }], counter, { resamples: 50, tolerancePoints: 100 });
    const braked = one.settings.find((s) => s.saving > 0) as SettingRow;
    const timeSaving = 1 - (braked.meanSeconds as number) / 20;
    assert.ok(timeSaving > 0.5 * braked.saving && timeSaving < braked.saving, `time saving ${timeSaving} vs token saving ${braked.saving}`);
    const oneUntimed = calibrate([...timed.slice(1), mixedSet()[0] as CalibrationRecording], counter, { resamples: 200 });
    assert.equal(oneUntimed.noBrake.meanSeconds, null, "no estimate unless every recording is timed");
  });

  it("measures the saving ratio over the problems the recommended setting braked", () => {
    const ratio = report.savingRatio;
    assert.ok(ratio);
    const rec = report.settings.find((s) => s.threshold === 0.25) as SettingRow;
    assert.equal(ratio.traces, Math.round(rec.brakeRate * report.problems));
    assert.ok(ratio.q1 <= ratio.median && ratio.median <= ratio.q3);
    assert.ok(ratio.median > 0.5, `overthinkers write much more after the answer: ${ratio.median}`);
    assert.equal(ratio.model, "test-model");
    const unclosed = mixedSet().map((r) => ({ ...r, trace: r.trace.replace("</think>", "") }));
    assert.equal(calibrate(unclosed, counter, { resamples: 200 }).savingRatio, null, "thinking that never closed says nothing of what remained");
    assert.match(renderMarkdown(report), new RegExp(`median of ${ratio.traces} braked problems`));
  });

  it("counts recordings with signals; readings without a margin are not replayed", () => {
    const withSignal = { ...overthinking("s", 1, 2), signals: [{ offset: 10, probability: 0.3 }] };
    const r = calibrate([withSignal, overthinking("t", 2, 3)], counter, { resamples: 200 });
    assert.equal(r.signals.recordingsWithSignals, 1);
    assert.equal(r.signals.replayed, false);
    assert.deepEqual(r.signalSettings, []);
    assert.match(r.signals.note, /no margin/);
  });
});

/** The recording with a reading at the step boundary right after `after` (a step of its thinking). */
function withReading(r: CalibrationRecording, after: string, probability: number, margin: number): CalibrationRecording {
  const at = r.trace.indexOf(`${after}\n\n`);
  assert.ok(at >= 0, after);
  const offset = at - "<think>".length + after.length + 2;
  return { ...r, signals: [...(r.signals ?? []), { offset, probability, margin }] };
}

/** 12 overthinking problems whose model is ready to end its thinking right after first computing the answer (step 2), 6 late changes. */
function signalSet(lateMargin: number): CalibrationRecording[] {
  return [
    ...Array.from({ length: 12 }, (_, i) => withReading(overthinking(`over-${i}`, 10 + i, 30 + 2 * i), `He has ${10 + i} + ${30 + 2 * i} = ${40 + 3 * i} apples.`, 0.4, Math.log(0.6 / 0.4))),
    ...Array.from({ length: 6 }, (_, i) => withReading(lateChange(`late-${i}`), "So the answer is 13.", 0.1, lateMargin)),
  ];
}

describe("calibrate with recorded end-of-thinking readings", () => {
  const text = calibrate(mixedSet(), counter, { resamples: 2000 });

  it("replays each threshold with the signal policy: it brakes earlier on the overthinking traces, and the recommendation picks a signal row", () => {
    // late changes: the model is far from ending its thinking at the wrong answer (4 nats)
    const report = calibrate(signalSet(4), counter, { resamples: 2000 });
    assert.equal(report.signals.replayed, true);
    assert.equal(report.signals.recordingsWithSignals, 18);
    assert.equal(report.signals.maxMargin, 1);
    assert.equal(report.signalSettings.length, report.settings.length);
    assert.deepEqual(report.settings, text.settings, "the text rows are as without readings");
    for (const [i, s] of report.signalSettings.entries()) {
      const t = report.settings[i];
      assert.ok(t);
      assert.equal(s.kind, "signal");
      assert.equal(s.threshold, t.threshold);
      assert.equal(s.label, `${t.label} + signal`);
      assert.ok(s.meanThinkingTokens < t.meanThinkingTokens, `${s.label}: braked earlier than text alone`);
      assert.ok(s.saving > t.saving, `${s.label}: braked earlier than text alone`);
    }
    const at = (t: number): SettingRow => report.signalSettings.find((s) => s.threshold === t) as SettingRow;
    assert.equal(at(0.3).accuracy, 1, "the right answer was stated before the reading");
    assert.ok(report.recommended);
    assert.match(report.recommended.label, /\+ signal$/);
    assert.equal(report.recommended.settings["selfBraking.brake.signal"], "endOfThinking");
    const best = report.signalSettings.find((s) => s.label === report.recommended?.label);
    assert.ok(best && best.saving > Math.max(...report.settings.filter((s) => s.withinTolerance).map((s) => s.saving)), "it saves more than any text row within the tolerance");
    assert.equal(report.frontier.length, 1 + report.settings.length + report.signalSettings.length + report.budgets.length);
    const md = renderMarkdown(report);
    for (const s of report.signalSettings) assert.ok(md.includes(`| ${rowCells(s).join(" | ")} |`), s.label);
    assert.match(md, /"selfBraking\.brake\.signal": "endOfThinking"/);
  });

  it("where the signal brakes on a wrong answer the signal rows lose it, and the recommendation stays with text alone", () => {
    // late changes: `</think>` is the most likely token right after the wrong answer
    const report = calibrate(signalSet(0), counter, { resamples: 2000 });
    assert.equal(report.signals.replayed, true);
    for (const s of report.signalSettings) assert.ok(s.correct <= 12, `${s.label}: the six late changes braked on 13`);
    assert.ok(report.recommended);
    assert.equal(report.recommended.label, text.recommended?.label);
    assert.deepEqual(report.recommended.settings, { "selfBraking.brake.mode": "adaptive", "selfBraking.brake.threshold": 0.25, "selfBraking.brake.signal": "off" });
  });

  it("readings whose margins never reach the policy's give the text rows' numbers, and ties go to text alone", () => {
    const far = signalSet(4).map((r) => ({ ...r, signals: (r.signals ?? []).map((s) => ({ ...s, probability: 0.005, margin: 5 })) }));
    const report = calibrate(far, counter, { resamples: 2000 });
    report.signalSettings.forEach((s, i) => {
      const t = report.settings[i];
      assert.ok(t);
      assert.deepEqual({ ...s, label: t.label, kind: t.kind }, t);
    });
    assert.equal(report.recommended?.label, text.recommended?.label);
  });
});
