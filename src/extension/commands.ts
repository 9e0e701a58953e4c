import * as vscode from "vscode";
import { checkGgufFile } from "../engine/common/ggufHeader";
import { fileAttachment, pickFileAttachments, selectionAttachment } from "./attachments/editorAttachments";
import type { ChatSession } from "./chat/chatSession";
import type { ChatPages } from "./chatPages";
import { writeDemoModel } from "./demoModel";
import { downloadFromUri, runLocally, selectModel } from "./models/modelPicker";
import type { ModelPickerDependencies } from "./models/modelPicker";
import type { EffectiveSettings } from "./models/effectiveSettings";
import { COMMAND_IDS } from "./commandIds";
import type { Configuration } from "./configuration";

export interface CommandDependencies {
  readonly configuration: Configuration;
  readonly log: vscode.LogOutputChannel;
  readonly session: ChatSession;
  readonly pages: ChatPages;
  /** Where the demo model is written (the extension's global storage). */
  readonly storageUri: vscode.Uri;
  readonly extensionUri: vscode.Uri;
  /** The model picker's and downloads' needs. */
  readonly models: ModelPickerDependencies;
  readonly effective: EffectiveSettings;
}

/**
 * Asks for a .gguf file, checks its header at once (not at the first question) and stores it in
 * `selfBraking.model.path` (user settings: it is machine-specific). A file that cannot be used is
 * not stored: the error says why and offers another choice or the settings.
 */
async function chooseModel(deps: CommandDependencies): Promise<void> {
  const { configuration, log } = deps;
  const current = configuration.settings["model.path"];
  const picked = await vscode.window.showOpenDialog({
    title: "Choose a GGUF reasoning model",
    openLabel: "Use This Model",
    canSelectMany: false,
    canSelectFolders: false,
    filters: { "GGUF models": ["gguf"] },
    ...(current !== "" ? { defaultUri: vscode.Uri.file(current) } : {}),
  });
  const file = picked?.[0];
  if (!file) return;
  if (file.scheme !== "file") {
    void vscode.window.showErrorMessage(`The model must be a file on this machine (got ${file.toString()}).`);
    return;
  }
  const check = await checkGgufFile(file.fsPath);
  if (!check.ok) {
    log.warn(`Not using ${file.fsPath} as the model: ${check.message}`);
    const action = await vscode.window.showErrorMessage(`This file cannot be used as a model: ${check.message}`, CHOOSE_ANOTHER, OPEN_SETTINGS);
    if (action === CHOOSE_ANOTHER) await chooseModel(deps);
    else if (action === OPEN_SETTINGS) await openSettings("selfBraking.model.path");
    return;
  }
  await configuration.update("model.path", file.fsPath);
  await runLocally(configuration);
  log.info(`Model set to ${file.fsPath} (GGUF v${check.version}, ${check.architecture ?? "unknown architecture"}, ${check.tensorCount} tensors)`);
}

const CHOOSE_ANOTHER = "Choose Another…";
const OPEN_SETTINGS = "Open Settings";

async function openSettings(query?: unknown): Promise<void> {
  const search = typeof query === "string" && query.startsWith("selfBraking.") ? query : "@ext:self-braking.self-braking";
  await vscode.commands.executeCommand("workbench.action.openSettings", search);
}

/** "Ask About Selection" (and "Attach Current File"): the active editor's code goes with the next question. */
async function attachFromEditor(deps: CommandDependencies, what: "selection" | "file"): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("Open a file and select the code to ask about, then run this again.");
    return;
  }
  const result = what === "selection" ? selectionAttachment(editor) : fileAttachment(editor.document);
  if (typeof result === "string") {
    void vscode.window.showWarningMessage(result);
    return;
  }
  await deps.pages.attachAndFocus([result]);
}

/** The first-run "Try the Demo Model" button: a scripted model (it replays a fixed transcript) written to global storage and chosen. */
async function useDemoModel(deps: CommandDependencies): Promise<void> {
  const path = await writeDemoModel(deps.extensionUri.fsPath, deps.storageUri.fsPath);
  await deps.configuration.update("model.path", path);
  await runLocally(deps.configuration);
  deps.log.info(`Model set to the scripted demo model ${path}`);
}

export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  const { session, log, pages } = deps;
  return [
    vscode.commands.registerCommand(COMMAND_IDS.chooseModel, () => chooseModel(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.openSettings, (query?: unknown) => openSettings(query)),
    vscode.commands.registerCommand(COMMAND_IDS.showLog, () => log.show(true)),
    vscode.commands.registerCommand(COMMAND_IDS.stop, () => session.stop()),
    vscode.commands.registerCommand(COMMAND_IDS.answerNow, () => session.answerNow()),
    vscode.commands.registerCommand(COMMAND_IDS.newChat, () => session.newChat()),
    vscode.commands.registerCommand(COMMAND_IDS.askAboutSelection, () => attachFromEditor(deps, "selection")),
    vscode.commands.registerCommand(COMMAND_IDS.attachCurrentFile, () => attachFromEditor(deps, "file")),
    vscode.commands.registerCommand(COMMAND_IDS.addFile, async () => {
      const { attachments, problems } = await pickFileAttachments();
      await pages.attachAndFocus(attachments, problems);
    }),
    vscode.commands.registerCommand(COMMAND_IDS.openPanel, () => pages.openPanel()),
    vscode.commands.registerCommand(COMMAND_IDS.useDemoModel, () => useDemoModel(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.selectModel, () => selectModel(deps.models)),
    vscode.commands.registerCommand(COMMAND_IDS.downloadModel, () => downloadFromUri(deps.models)),
    vscode.commands.registerCommand(COMMAND_IDS.keepSettingsForModel, async () => {
      if (!deps.effective.hasModel) {
        void vscode.window.showInformationMessage("Select a model first: its own settings are kept by model file.");
        return;
      }
      const kept = await deps.effective.keepForModel();
      void vscode.window.showInformationMessage(`This model now keeps its own brake settings: threshold ${kept["brake.threshold"]}, mode ${kept["brake.mode"]}, context ${kept["model.contextSize"]}. Other models use your settings.`);
    }),
    vscode.commands.registerCommand(COMMAND_IDS.useGlobalSettings, () => deps.effective.clearForModel()),
  ];
}
