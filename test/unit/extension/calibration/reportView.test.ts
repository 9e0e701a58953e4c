import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSDOM } from "jsdom";
import { parseCalibrationHostMessage, parseCalibrationPageMessage } from "../../../../src/calibrationProtocol";
import { calibrate } from "../../../../src/core/calibration/calibrate";
import { calibrationChartPoints } from "../../../../src/core/calibration/chart";
import { createApproximateTokenCounter } from "../../../../src/core/tokens/counter";
import { CalibrationStore } from "../../../../src/extension/calibration/calibrationStore";
import type { StoredCalibration } from "../../../../src/extension/calibration/calibrationStore";
import { calibrationJson, calibrationMarkdown, calibrationView, isApplied, recommendedProfile } from "../../../../src/extension/calibration/reportView";
import { mixedSet } from "../../core/calibration/synthetic";

const report = calibrate(
  mixedSet().map((r, i) => ({ ...r, seconds: 4 + i / 2 })),
  createApproximateTokenCounter(),
  { resamples: 300 },
);
const stored: StoredCalibration = { modelPath: "/m/qwen.gguf", modelName: "qwen.gguf", finishedAt: "2026-12-06T10:00:00.000Z", sets: "gsm8k (18)", folder: "/cache/qwen", report, confirmation: null };

function memento(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const data = new Map<string, unknown>();
  return { get: <T>(key: string) => data.get(key) as T | undefined, update: async (key: string, value: unknown) => void data.set(key, value) };
}

describe("the calibration report as the page shows it", () => {
  const view = calibrationView(stored, false);

  it("has one table row per setting, and the chart draws exactly those rows' numbers", () => {
    const rows = [report.noBrake, ...report.settings, ...report.signalSettings, ...report.budgets];
    assert.equal(view.rows.length, rows.length);
    const points = calibrationChartPoints(report, "tokens");
    assert.equal(points.length, view.rows.length);
    view.rows.forEach((row, i) => {
      const point = points[i];
      assert.equal(row.cells[0], point?.label);
      assert.equal(row.cells[1]?.split(" %")[0], (100 * (point?.accuracy ?? -1)).toFixed(1), "the same accuracy");
      assert.equal(Number(row.cells[3]), Number((point?.x ?? -1).toFixed(1)), "the same mean thinking");
    });
    // the SVG the page shows carries the same points
    const doc = new JSDOM(view.charts.tokens, { contentType: "image/svg+xml" }).window.document;
    const tips = [...doc.querySelectorAll("g.point > title")].map((t) => t.textContent ?? "");
    assert.deepEqual(tips.map((t) => t.split(":")[0]), points.map((p) => p.label));
    assert.equal(view.rows.filter((r) => r.recommended).length, 1);
    assert.equal(view.rows.find((r) => r.recommended)?.cells[0], report.recommended?.label);
  });

  it("offers the time axis when every recording was timed", () => {
    assert.ok(view.charts.seconds);
    const seconds = calibrationChartPoints(report, "seconds");
    assert.equal(seconds.length, view.rows.length);
    assert.equal(seconds[0]?.x, report.noBrake.meanSeconds);
  });

  it("words the recommendation, its settings and what the saving now rests on", () => {
    assert.equal(view.recommendation?.label, "threshold 0.25");
    assert.deepEqual(JSON.parse(view.recommendation?.settingsJson ?? "{}"), { "selfBraking.brake.mode": "adaptive", "selfBraking.brake.threshold": 0.25 });
    assert.match(view.savingLine, new RegExp(`^After a brake, this model went on to write ${report.savingRatio?.median} thinking tokens per token kept`));
    assert.equal(view.applied, false);
    assert.equal(view.confirmation, null);
    assert.ok(parseCalibrationHostMessage({ type: "show", view }).ok, "the view passes the page's own validation");
  });

  it("turns the recommendation into this model's own settings, and knows when they are in force", () => {
    const profile = recommendedProfile(stored);
    assert.deepEqual(profile, { "brake.mode": "adaptive", "brake.threshold": 0.25, "brake.signal": "off" });
    assert.equal(isApplied(stored, {}), false);
    assert.equal(isApplied(stored, { ...profile, "model.contextSize": 4096 }), true);
    assert.equal(isApplied(stored, { ...profile, "brake.threshold": 0.3 }), false);
    const none = { ...stored, report: { ...report, recommended: null } };
    assert.equal(recommendedProfile(none), null);
    assert.equal(calibrationView(none, false).recommendation, null);
  });

  it("exports the same report as markdown and JSON", () => {
    assert.match(calibrationMarkdown(stored), /^# Brake calibration/);
    const json = JSON.parse(calibrationJson(stored)) as { model: string; report: { recommended: { threshold: number } } };
    assert.equal(json.model, "/m/qwen.gguf");
    assert.equal(json.report.recommended.threshold, 0.25);
  });

  it("rejects malformed messages from the page", () => {
    assert.equal(parseCalibrationPageMessage({ type: "apply" }).ok, true);
    assert.equal(parseCalibrationPageMessage({ type: "export", format: "svg" }).ok, true);
    for (const bad of [null, "apply", { type: "export", format: "exe" }, { type: "delete" }, { type: "export" }]) assert.equal(parseCalibrationPageMessage(bad).ok, false, JSON.stringify(bad));
  });
});

describe("stored calibrations", () => {
  it("keeps the latest per model file, gives its saving ratio, and ignores what is not a calibration", async () => {
    const state = memento();
    const store = new CalibrationStore(state);
    let changed = 0;
    store.onDidChange(() => changed++);
    assert.equal(store.get("/m/qwen.gguf"), undefined);
    await store.put(stored);
    assert.equal(changed, 1);
    assert.equal(store.get("/m/qwen.gguf")?.report.recommended?.threshold, 0.25);
    assert.deepEqual(store.savingRatio("/m/qwen.gguf"), report.savingRatio);
    assert.equal(store.savingRatio("/m/other.gguf"), undefined);
    assert.equal(store.get(""), undefined);
    await state.update("selfBraking.calibrations", { "/m/qwen.gguf": { modelPath: "/m/qwen.gguf", report: "broken" }, "/m/x.gguf": 3 });
    assert.equal(store.get("/m/qwen.gguf"), undefined);
    assert.equal(store.get("/m/x.gguf"), undefined);
  });
});
