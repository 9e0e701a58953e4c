import type * as vscode from "vscode";
import type { CalibratedRatio } from "../../core/brake/savingEstimate";
import type { CalibrationReport } from "../../core/calibration/calibrate";
import type { ConfirmationSummary } from "../../core/calibration/confirmation";

const KEY = "selfBraking.calibrations";

/** The last calibration of one model file, as the report page and the saving estimate read it. */
export interface StoredCalibration {
  readonly modelPath: string;
  readonly modelName: string;
  /** ISO time the run finished. */
  readonly finishedAt: string;
  /** e.g. "gsm8k (40), cruxeval (40)". */
  readonly sets: string;
  /** Where the recordings are cached. */
  readonly folder: string;
  readonly report: CalibrationReport;
  readonly confirmation: ConfirmationSummary | null;
}

function isStored(value: unknown): value is StoredCalibration {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const report = v.report as Record<string, unknown> | undefined;
  return (
    typeof v.modelPath === "string" &&
    typeof v.modelName === "string" &&
    typeof v.finishedAt === "string" &&
    typeof v.sets === "string" &&
    typeof report === "object" &&
    report !== null &&
    Array.isArray(report.frontier) &&
    Array.isArray(report.settings) &&
    typeof report.noBrake === "object"
  );
}

/** Calibrations by model file path, in the extension's global state (one per model: the latest). */
export class CalibrationStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly state: Pick<vscode.Memento, "get" | "update">) {}

  private all(): Record<string, unknown> {
    const value = this.state.get<unknown>(KEY);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }

  /** The model's last calibration; one stored by an older version in another shape is ignored. */
  get(modelPath: string): StoredCalibration | undefined {
    const value = modelPath === "" ? undefined : this.all()[modelPath];
    return isStored(value) ? value : undefined;
  }

  async put(result: StoredCalibration): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [result.modelPath]: result });
    for (const listener of this.listeners) listener();
  }

  /** What the saving estimate rests on for this model, when its calibration measured one. */
  savingRatio(modelPath: string): CalibratedRatio | undefined {
    return this.get(modelPath)?.report.savingRatio ?? undefined;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
