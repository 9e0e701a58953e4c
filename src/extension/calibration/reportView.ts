/** The calibration report as the page shows it and as it is exported: the same numbers everywhere. */
import { renderMarkdown, rowCells, TABLE_HEADER } from "../../core/calibration/calibrate";
import { calibrationChartSvg, hasTimeAxis } from "../../core/calibration/chart";
import { renderConfirmation } from "../../core/calibration/confirmation";
import type { ModelProfile } from "../../core/settings/modelProfile";
import type { CalibrationView } from "../../calibrationProtocol";
import type { StoredCalibration } from "./calibrationStore";

/** The values calibration recommends, as a per-model profile (null without a recommendation). */
export function recommendedProfile(stored: StoredCalibration): ModelProfile | null {
  const rec = stored.report.recommended;
  if (rec === null) return null;
  return { "brake.mode": "adaptive", "brake.threshold": rec.threshold, "brake.signal": rec.settings["selfBraking.brake.signal"] ?? "off" };
}

/** Whether a model's own settings already hold the recommendation. */
export function isApplied(stored: StoredCalibration, profile: ModelProfile): boolean {
  const rec = recommendedProfile(stored);
  return rec !== null && Object.entries(rec).every(([key, value]) => profile[key as keyof ModelProfile] === value);
}

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function calibrationView(stored: StoredCalibration, applied: boolean): CalibrationView {
  const r = stored.report;
  const rows = [r.noBrake, ...r.settings, ...r.signalSettings, ...r.budgets];
  const c = stored.confirmation;
  const secs = (v: number | null): string => (v === null ? "—" : `${v.toFixed(1)} s`);
  const ratio = r.savingRatio;
  return {
    title: `Brake calibration: ${stored.modelName}`,
    modelName: stored.modelName,
    summary: `${r.problems} problems (${stored.sets}), recorded once with braking off and replayed through the brake; finished ${when(stored.finishedAt)}. Tokens counted with ${r.tokenizer}.`,
    header: TABLE_HEADER,
    rows: rows.map((row) => ({ cells: rowCells(row), kind: row.kind, recommended: r.recommended?.label === row.label })),
    method: `Interval: ${r.method.interval}. Rule: ${r.method.rule}.`,
    recommendation: r.recommended === null ? null : { label: r.recommended.label, why: r.recommended.why, settingsJson: JSON.stringify(r.recommended.settings, null, 2) },
    savingLine:
      ratio === null
        ? "The saving shown after a brake keeps resting on the recorded traces: too few problems braked at the recommended setting to measure this model's own."
        : `After a brake, this model went on to write ${ratio.median} thinking tokens per token kept (median of ${ratio.traces} braked problems, middle half ${ratio.q1}–${ratio.q3}); the saving shown after a brake on this model now rests on this.`,
    signalNote: `End-of-thinking signal: recorded on ${r.signals.recordingsWithSignals} of ${r.problems} problems. ${r.signals.note}`,
    confirmation:
      c === null
        ? null
        : {
            header: ["", "right", "braked", "mean thinking tokens", "mean time"],
            rows: [
              ["no brake (recorded)", `${c.noBrakeCorrect}/${c.problems}`, "—", c.noBrakeMeanThinkingTokens.toFixed(1), secs(c.noBrakeMeanSeconds)],
              ["replay's prediction", `${c.predictedCorrect}/${c.problems}`, String(c.predictedBraked), "—", "—"],
              ["live", `${c.liveCorrect}/${c.problems}`, String(c.liveBraked), c.liveMeanThinkingTokens.toFixed(1), secs(c.liveMeanSeconds)],
            ],
            verdict: c.verdict,
            confirmed: c.verdict.startsWith("Confirmed"),
          },
    charts: { tokens: calibrationChartSvg(r, "tokens"), seconds: hasTimeAxis(r) ? calibrationChartSvg(r, "seconds") : null },
    applied,
  };
}

export function calibrationMarkdown(stored: StoredCalibration): string {
  return `${renderMarkdown(stored.report)}${stored.confirmation ? `\n${renderConfirmation(stored.confirmation)}` : ""}`;
}

export function calibrationJson(stored: StoredCalibration): string {
  return `${JSON.stringify({ model: stored.modelPath, finishedAt: stored.finishedAt, sets: stored.sets, recordings: stored.folder, report: stored.report, confirmation: stored.confirmation }, null, 2)}\n`;
}
