import * as vscode from "vscode";
import type { HostToWebview, ViewState, WebviewToHost } from "../protocol";
import { parseWebviewMessage } from "../protocol";
import type { ChatSession } from "./chat/chatSession";
import { COMMAND_IDS } from "./commandIds";
import type { Configuration } from "./configuration";
import { showChatPage } from "./chatPage";
import { modelStatus } from "./modelFile";

/** Hosts the chat sidebar: renders the page, validates what it posts, and routes it to the session. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pageReady = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
    private readonly session: ChatSession,
  ) {
    this.disposables.push(configuration.onDidChange(() => void this.pushState()));
  }

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.view = webviewView;
    this.pageReady = false;
    const webview = webviewView.webview;
    showChatPage(webview, this.extensionUri);
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      webviewView.onDidChangeVisibility(() => {
        if (webviewView.visible) void this.pushState();
      }),
    ];
    webviewView.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      if (this.view === webviewView) {
        this.view = undefined;
        this.pageReady = false;
      }
    });
  }

  /** Sends a message to the page if it is showing and ready (it gets the full state on `ready`). */
  post(message: HostToWebview): void {
    if (!this.view || !this.pageReady) return;
    void this.view.webview.postMessage(message);
  }

  /** Recomputes the view state and sends it. */
  async pushState(): Promise<void> {
    if (!this.view || !this.pageReady) return;
    this.post({ type: "state", state: await this.state() });
  }

  private async state(): Promise<ViewState> {
    const settings = this.configuration.settings;
    return {
      model: await modelStatus(settings["model.path"]),
      engine: this.session.engineState,
      brakeMode: settings["brake.mode"],
      threshold: settings["brake.threshold"],
      settingProblems: [...this.configuration.settingProblems],
      generating: this.session.generating,
    };
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Ignored a malformed message from the chat view (${parsed.error}).`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      this.log.error(`Chat view request "${parsed.message.type}" failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Self-Braking: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case "ready":
        this.pageReady = true;
        await this.pushState();
        this.post({ type: "conversation", turns: [...this.session.conversation()] });
        return;
      case "chooseModel":
        await vscode.commands.executeCommand(COMMAND_IDS.chooseModel);
        return;
      case "openSettings":
        await vscode.commands.executeCommand(COMMAND_IDS.openSettings, message.query);
        return;
      case "ask": {
        const model = await modelStatus(this.configuration.settings["model.path"]);
        if (model.kind !== "ready") {
          void vscode.window.showErrorMessage(model.kind === "notConfigured" ? "Choose a GGUF model file first." : model.message);
          await this.pushState();
          return;
        }
        const problem = this.session.ask(message.question);
        if (problem) void vscode.window.showInformationMessage(problem);
        return;
      }
      // straight to the session; the commands of the same names serve the palette and keybindings
      case "stop":
        this.session.stop();
        return;
      case "answerNow":
        this.session.answerNow();
        return;
      case "newChat":
        this.session.newChat();
        return;
      case "continueThinking": {
        const problem = this.session.continueThinking(message.turnId);
        if (problem) void vscode.window.showInformationMessage(problem);
        return;
      }
      case "setThreshold":
        await this.configuration.update("brake.threshold", Math.round(message.value * 100) / 100);
        return;
      case "setBrakeMode":
        await this.configuration.update("brake.mode", message.mode);
        return;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
