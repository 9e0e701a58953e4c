import * as vscode from "vscode";
import type { EngineConnection } from "../chat/engineConnection";
import { COMMAND_IDS } from "../commandIds";
import type { EffectiveSettings } from "../models/effectiveSettings";
import type { ModelProfiles } from "../models/modelProfiles";

import type { CalibrateArgs } from "./calibrateCommand";
import { calibrateModel } from "./calibrateCommand";
import type { CalibrationStore, StoredCalibration } from "./calibrationStore";
import { CalibrationReportPanel } from "./reportPanel";
import { isApplied, recommendedProfile } from "./reportView";

export interface CalibrationWiring {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineConnection;
  readonly effective: EffectiveSettings;
  readonly profiles: ModelProfiles;
  readonly store: CalibrationStore;
  readonly isGenerating: () => boolean;
  /** The current model's key: its file path, or `server:<url>#<model>` (where calibrations and per-model settings are kept). */
  readonly currentModelKey: () => string;
  readonly log: vscode.LogOutputChannel;
}

function isCalibrateArgs(value: unknown): value is CalibrateArgs {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.set === undefined || typeof v.set === "string") && (v.n === undefined || (typeof v.n === "number" && Number.isInteger(v.n) && v.n > 0));
}

/** Calibrate the Brake for This Model, Show Calibration Report, and the report's Use button. */
export function registerCalibrationCommands(w: CalibrationWiring): vscode.Disposable[] {
  const apply = async (stored: StoredCalibration): Promise<void> => {
    const profile = recommendedProfile(stored);
    if (profile === null) return;
    await w.profiles.keep(stored.modelPath, profile);
    const current = w.currentModelKey() === stored.modelPath ? "" : " (it applies when that model is selected)";
    void vscode.window.showInformationMessage(
      `${stored.modelName} now brakes at threshold ${profile["brake.threshold"]}${profile["brake.signal"] === "endOfThinking" ? " with the end-of-thinking signal" : ""}, as calibrated${current}. "Use My Settings for This Model" undoes it.`,
    );
  };
  const panel = new CalibrationReportPanel(w.extensionUri, { apply, isApplied: (stored) => isApplied(stored, w.profiles.get(stored.modelPath)), calibrateAgain: () => void vscode.commands.executeCommand(COMMAND_IDS.calibrate) }, w.log);
  return [
    panel,
    w.profiles.onDidChange(() => panel.refresh()),
    vscode.commands.registerCommand(COMMAND_IDS.calibrate, (args?: unknown) =>
      calibrateModel(
        { engine: w.engine, effective: w.effective, store: w.store, showReport: (s) => panel.show(s), applyRecommendation: apply, isGenerating: w.isGenerating, extensionPath: w.extensionUri.fsPath, log: w.log },
        isCalibrateArgs(args) ? args : {},
      ),
    ),
    vscode.commands.registerCommand(COMMAND_IDS.showCalibration, async () => {
      const stored = w.store.get(w.currentModelKey());
      if (stored) return panel.show(stored);
      const choice = await vscode.window.showInformationMessage("This model has not been calibrated yet. Calibration measures the brake on your model and recommends a threshold.", "Calibrate…");
      if (choice) void vscode.commands.executeCommand(COMMAND_IDS.calibrate);
    }),
  ];
}
