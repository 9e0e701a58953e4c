import * as vscode from "vscode";
import type { ChatSession } from "./chat/chatSession";
import { COMMAND_IDS } from "./commandIds";
import type { Configuration } from "./configuration";

export interface CommandDependencies {
  readonly configuration: Configuration;
  readonly log: vscode.LogOutputChannel;
  readonly session: ChatSession;
}

/** Asks for a .gguf file and stores it in `selfBraking.model.path` (user settings: it is machine-specific). */
async function chooseModel({ configuration, log }: CommandDependencies): Promise<void> {
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
  await configuration.update("model.path", file.fsPath);
  log.info(`Model set to ${file.fsPath}`);
}

async function openSettings(query?: unknown): Promise<void> {
  const search = typeof query === "string" && query.startsWith("selfBraking.") ? query : "@ext:self-braking.self-braking";
  await vscode.commands.executeCommand("workbench.action.openSettings", search);
}

export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  const { session, log } = deps;
  return [
    vscode.commands.registerCommand(COMMAND_IDS.chooseModel, () => chooseModel(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.openSettings, (query?: unknown) => openSettings(query)),
    vscode.commands.registerCommand(COMMAND_IDS.showLog, () => log.show(true)),
    vscode.commands.registerCommand(COMMAND_IDS.stop, () => session.stop()),
    vscode.commands.registerCommand(COMMAND_IDS.answerNow, () => session.answerNow()),
    vscode.commands.registerCommand(COMMAND_IDS.newChat, () => session.newChat()),
  ];
}
