import { join } from "node:path";
import type * as vscode from "vscode";
import type { Settings } from "../../core/settings/registry";
import { modelFilePath } from "../modelFile";

/** Where downloads go: `selfBraking.model.downloadFolder`, else the extension's global storage. */
export function downloadFolder(settings: Settings, globalStorage: vscode.Uri): string {
  const setting = settings["model.downloadFolder"].trim();
  return setting !== "" ? modelFilePath(setting) : join(globalStorage.fsPath, "models");
}
