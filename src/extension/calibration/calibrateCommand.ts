/**
 * Self-Braking: Calibrate the Brake for This Model. Records the calibration problems once with
 * braking off through the loaded model (shared cache with `self-braking calibrate`, resumable),
 * replays them across thresholds, confirms the recommendation live on a few problems, stores
 * the result for this model file and opens the report. Progress and Cancel in a notification.
 */
import { homedir } from "node:os";
import { basename } from "node:path";
import * as vscode from "vscode";
import { DEFAULT_CONFIRM_PROBLEMS } from "../../core/calibration/confirmation";
import { formatDuration } from "../../core/format";
import { createApproximateTokenCounter } from "../../core/tokens/counter";
import type { CalibrationProgress } from "../../engine/calibration/calibrationRun";
import { runCalibration } from "../../engine/calibration/calibrationRun";
import { LiveAnswerer, recordingRequest } from "../../engine/calibration/liveAnswer";
import type { ProblemSet } from "../../engine/calibration/problemSets";
import { ProblemSetError, calibrationAssetsDir, loadProblemSets } from "../../engine/calibration/problemSets";
import { defaultRecordingsDir, modelKey, serverModelCacheKey } from "../../engine/calibration/recordingStore";
import type { Settings } from "../../core/settings/registry";
import { serverModelKey, serverModelName, serverStatus } from "../server/serverStatus";
import { loadConfigFrom } from "../chat/askRequest";
import type { EngineConnection } from "../chat/engineConnection";
import { COMMAND_IDS } from "../commandIds";
import type { EffectiveSettings } from "../models/effectiveSettings";
import { modelStatus } from "../modelFile";
import type { CalibrationStore, StoredCalibration } from "./calibrationStore";

export interface CalibrateDependencies {
  readonly engine: EngineConnection;
  readonly effective: EffectiveSettings;
  readonly store: CalibrationStore;
  readonly showReport: (stored: StoredCalibration) => void;
  readonly applyRecommendation: (stored: StoredCalibration) => Promise<void>;
  readonly isGenerating: () => boolean;
  readonly extensionPath: string;
  readonly log: vscode.LogOutputChannel;
}

/** What a keybinding or a test may pass to skip the pickers. */
export interface CalibrateArgs {
  readonly set?: string;
  readonly n?: number;
}

const SIZES = [
  { label: "Quick: 10 problems per set", n: 10, detail: "A first look; the interval around each accuracy is wide." },
  { label: "Standard: 40 problems per set", n: 40, detail: "The built-in sets in full (a few minutes per set on a laptop GPU)." },
];

async function pickSet(): Promise<{ set: string; n: number } | undefined> {
  const sets = [
    { label: "Math and code output", description: "GSM8K + CRUXEval (recommended)", set: "both" },
    { label: "Math", description: "GSM8K word problems", set: "gsm8k" },
    { label: "Code output", description: "CRUXEval: what does this Python function return?", set: "cruxeval" },
    { label: "My own problems…", description: "a JSONL file of {question, answer} lines", set: "" },
  ];
  const chosen = await vscode.window.showQuickPick(sets, { title: "Calibrate the brake (1/2): problems", placeHolder: "Which problems should the model answer?" });
  if (!chosen) return undefined;
  let set = chosen.set;
  if (set === "") {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "JSON Lines": ["jsonl", "json"] }, openLabel: "Calibrate with These Problems" });
    if (!files?.[0]) return undefined;
    set = files[0].fsPath;
  }
  const size = await vscode.window.showQuickPick(SIZES, { title: "Calibrate the brake (2/2): how many", placeHolder: "Each problem is answered once by your model with braking off" });
  return size ? { set, n: size.n } : undefined;
}

function progressMessage(p: CalibrationProgress): string {
  if (p.phase === "starting") return p.alreadyRecorded > 0 ? `${p.alreadyRecorded} of ${p.total} already recorded` : "Starting…";
  const eta = p.etaSeconds !== null && p.done < p.total ? ` · about ${formatDuration(p.etaSeconds)} left` : "";
  return p.phase === "recording" ? `Recording ${p.done} of ${p.total}${eta}` : `Confirming live ${p.done} of ${p.total}${eta}`;
}

let running: vscode.CancellationTokenSource | undefined;

/** What is calibrated: the model file, or the server's model; null (said why) when there is none. */
async function calibrationTarget(settings: Settings): Promise<{ modelPath: string; modelName: string; cacheKey: string } | null> {
  if (settings.engine === "server") {
    const status = serverStatus(settings);
    if (status.kind === "serverNotConfigured") {
      const choice = await vscode.window.showWarningMessage("Calibration needs a model: no server is set.", "Use a Server…");
      if (choice) await vscode.commands.executeCommand(COMMAND_IDS.useServer);
      return null;
    }
    return { modelPath: serverModelKey(settings), modelName: serverModelName(status), cacheKey: serverModelCacheKey(status.url, status.model) };
  }
  const status = await modelStatus(settings["model.path"]);
  if (status.kind !== "ready") {
    const reason = status.kind === "missing" || status.kind === "invalid" ? status.message : "No model is chosen.";
    const choice = await vscode.window.showWarningMessage(`Calibration needs a model: ${reason}`, "Select Model…");
    if (choice) await vscode.commands.executeCommand(COMMAND_IDS.selectModel);
    return null;
  }
  return { modelPath: status.path, modelName: status.fileName, cacheKey: modelKey(status.path) };
}

export async function calibrateModel(deps: CalibrateDependencies, args: CalibrateArgs = {}): Promise<void> {
  const settings = deps.effective.settings;
  const target = await calibrationTarget(settings);
  if (target === null) return;
  if (running) {
    void vscode.window.showInformationMessage("A calibration is already running; its progress is in the notification.");
    return;
  }
  if (deps.isGenerating()) {
    void vscode.window.showWarningMessage("An answer is being written. Stop it or let it finish, then calibrate (both use the same model).");
    return;
  }
  const choice = args.set !== undefined ? { set: args.set, n: args.n ?? 40 } : await pickSet();
  if (!choice) return;

  let sets: ProblemSet[];
  try {
    sets = loadProblemSets(choice.set, choice.n, () => calibrationAssetsDir(`${deps.extensionPath}/dist`));
  } catch (error) {
    const why = error instanceof ProblemSetError ? error.message : error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Cannot calibrate with these problems: ${why}. Each line needs "question" and "answer" (a number or a Python literal) and may give "kind": "math" or "output".`);
    return;
  }
  const load = loadConfigFrom(settings);
  const modelPath = target.modelPath;
  let { modelName, cacheKey } = target;
  if (load.server && load.server.model.trim() === "" && deps.engine.load) {
    // "the server's model": recordings are kept by the model it actually serves (it may be restarted with another)
    try {
      const report = await deps.engine.load(load, () => undefined);
      const served = report.server?.model ?? "";
      cacheKey = serverModelCacheKey(load.server.url, served);
      modelName = `${served} on ${report.server?.host ?? ""}`;
    } catch (error) {
      void vscode.window.showErrorMessage(`Calibration needs the server: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
  const answerer = new LiveAnswerer(
    (request, onEvent) => {
      const ask = deps.engine.ask(load, request, onEvent);
      return { result: ask.result, cancel: () => ask.cancel() };
    },
    () => modelName,
  );
  const source = new vscode.CancellationTokenSource();
  running = source;
  const setsText = sets.map((s) => `${s.key.startsWith("file-") ? basename(choice.set) : s.key} (${s.problems.length})`).join(", ");
  deps.log.info(`Calibrating ${modelPath} on ${setsText}.`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Calibrating the brake for ${modelName}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => answerer.cancel());
        source.token.onCancellationRequested(() => answerer.cancel());
        let reported = 0;
        return runCalibration({
          cacheKey,
          sets,
          recordingsRoot: defaultRecordingsDir(process.env, homedir()),
          answerer,
          request: recordingRequest({ temperature: 0, seed: 1, maxAnswerTokens: settings["generation.maxAnswerTokens"] }),
          counter: createApproximateTokenCounter(),
          options: { maxThinkingTokens: settings["brake.maxThinkingTokens"], tolerancePoints: settings["calibration.tolerancePoints"] > 0 ? settings["calibration.tolerancePoints"] : null },
          confirm: DEFAULT_CONFIRM_PROBLEMS,
          onProgress: (p) => {
            const share = p.phase === "starting" ? 0 : p.phase === "recording" ? (85 * p.done) / p.total : 85 + (15 * p.done) / p.total;
            progress.report({ message: progressMessage(p), increment: share - reported });
            reported = share;
            if (p.phase !== "starting") deps.log.info(`Calibration ${p.phase} ${p.done}/${p.total}: ${p.problemId}, ${p.thinkingTokens} thinking tokens, ${p.right ? "right" : "wrong"}.`);
          },
        });
      },
    );
    if (result.status === "cancelled" || result.report === null) {
      const again = await vscode.window.showInformationMessage(`Calibration stopped: ${result.recorded} of ${result.total} problems are recorded and kept. Calibrate again to go on from there.`, "Calibrate Again");
      if (again) void vscode.commands.executeCommand(COMMAND_IDS.calibrate, { set: choice.set, n: choice.n } satisfies CalibrateArgs);
      return;
    }
    const stored: StoredCalibration = { modelPath, modelName: modelName, finishedAt: new Date().toISOString(), sets: setsText, folder: result.folder, report: result.report, confirmation: result.confirmation };
    await deps.store.put(stored);
    deps.showReport(stored);
    const rec = result.report.recommended;
    if (rec === null) {
      void vscode.window.showInformationMessage("Calibration finished: no threshold saved thinking without losing accuracy on these problems. The report shows the trade-off.");
      return;
    }
    const row = [...result.report.settings, ...result.report.signalSettings].find((s) => s.label === rec.label);
    const saving = row ? ` saves ${(100 * row.saving).toFixed(0)} % of the thinking` : "";
    const confirmed = result.confirmation ? ` ${result.confirmation.verdict}` : result.confirmationCancelled ? " (the live confirmation was stopped)" : "";
    const tolerance = result.report.method.tolerancePoints;
    const loss = tolerance === null ? "with no accuracy loss beyond noise" : `losing at most ${tolerance} accuracy points (selfBraking.calibration.tolerancePoints)`;
    const use = await vscode.window.showInformationMessage(`Calibration recommends ${rec.label}: it${saving} ${loss}.${confirmed}`, `Use for ${modelName}`);
    if (use) await deps.applyRecommendation(stored);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`Calibration failed: ${message}`);
    void vscode.window.showErrorMessage(`Calibration stopped: ${message} What was recorded is kept; calibrate again to go on.`, "Show Log").then((c) => {
      if (c) deps.log.show(true);
    });
  } finally {
    running = undefined;
    source.dispose();
  }
}
