/** The calibration report as chart points: one per table row, in table order, with the table's numbers. */
import type { ChartPoint } from "../chart/frontierSvg";
import { frontierSvg } from "../chart/frontierSvg";
import type { CalibrationReport, RowKind } from "./calibrate";

export type ChartAxis = "tokens" | "seconds";

const SERIES: Readonly<Record<RowKind, string>> = {
  off: "no brake",
  adaptive: "brake (text)",
  signal: "brake + end-of-thinking signal",
  budget: "fixed budget",
};

export function calibrationChartPoints(report: CalibrationReport, axis: ChartAxis = "tokens"): ChartPoint[] {
  return report.frontier.flatMap((p) => {
    const x = axis === "tokens" ? p.meanThinkingTokens : p.meanSeconds;
    if (x === null) return [];
    return [{ label: p.label, series: SERIES[p.kind], x, accuracy: p.accuracy, highlighted: report.recommended?.label === p.label }];
  });
}

/** Whether the report can be drawn against time (every recording was timed). */
export function hasTimeAxis(report: CalibrationReport): boolean {
  return report.noBrake.meanSeconds !== null;
}

export function calibrationChartSvg(report: CalibrationReport, axis: ChartAxis = "tokens"): string {
  return frontierSvg(calibrationChartPoints(report, axis), {
    title: `Accuracy against ${axis === "tokens" ? "thinking" : "time"} (${report.problems} problems, ${report.models.join(", ") || "unknown model"})`,
    xLabel: axis === "tokens" ? "mean thinking tokens" : "estimated mean seconds",
  });
}
