import * as vscode from "vscode";
import type { ModelStatus } from "../protocol";
import { CHAT_VIEW_ID, COMMAND_IDS } from "./commandIds";

/** The status-bar item: which model is set up, and (while generating) the token meter. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("selfBraking.status", vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = "Self-Braking Reasoner";
    this.item.show();
  }

  showModel(model: ModelStatus): void {
    switch (model.kind) {
      case "notConfigured":
        this.item.text = "$(circle-slash) Self-Braking: no model";
        this.item.tooltip = "No GGUF model chosen. Click to choose one.";
        this.item.command = COMMAND_IDS.chooseModel;
        this.item.backgroundColor = undefined;
        break;
      case "missing":
        this.item.text = "$(warning) Self-Braking: model missing";
        this.item.tooltip = model.message;
        this.item.command = COMMAND_IDS.chooseModel;
        this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        break;
      case "ready":
        this.item.text = "$(debug-pause) Self-Braking";
        this.item.tooltip = `Model: ${model.fileName}. Click to open the chat.`;
        this.item.command = `${CHAT_VIEW_ID}.focus`;
        this.item.backgroundColor = undefined;
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
