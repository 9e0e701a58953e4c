import * as vscode from "vscode";
import type { HostToWebview, ViewState, WebviewToHost } from "../protocol";
import { parseWebviewMessage } from "../protocol";
import { COMMAND_IDS } from "./commandIds";
import type { Configuration } from "./configuration";
import { modelStatus } from "./modelFile";
import { createNonce, renderWebviewHtml } from "./webviewHtml";

/** Hosts the chat sidebar: renders the page, validates what it posts, and sends it state. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private pageReady = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(configuration.onDidChange(() => void this.pushState()));
  }

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    this.view = webviewView;
    this.pageReady = false;
    const webview = webviewView.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist"), vscode.Uri.joinPath(this.extensionUri, "media")],
    };
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "media", "chat.css")).toString(),
      nonce: createNonce(),
      title: "Self-Braking Reasoner",
    });
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      webviewView.onDidChangeVisibility(() => {
        if (webviewView.visible) void this.pushState();
      }),
    ];
    webviewView.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      if (this.view === webviewView) this.view = undefined;
    });
  }

  /** Recomputes the view state and sends it, once the page has said it is ready. */
  async pushState(): Promise<void> {
    if (!this.view || !this.pageReady) return;
    await this.post({ type: "state", state: await this.state() });
  }

  private async state(): Promise<ViewState> {
    const settings = this.configuration.settings;
    return {
      model: await modelStatus(settings["model.path"]),
      brakeMode: settings["brake.mode"],
      threshold: settings["brake.threshold"],
      settingProblems: [...this.configuration.settingProblems],
    };
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Ignored a malformed message from the chat view (${parsed.error}).`);
      return;
    }
    await this.handle(parsed.message);
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case "ready":
        this.pageReady = true;
        await this.pushState();
        return;
      case "chooseModel":
        await vscode.commands.executeCommand(COMMAND_IDS.chooseModel);
        return;
      case "openSettings":
        await vscode.commands.executeCommand(COMMAND_IDS.openSettings, message.query);
        return;
    }
  }

  private async post(message: HostToWebview): Promise<void> {
    if (!this.view) return;
    const delivered = await this.view.webview.postMessage(message);
    if (!delivered) this.log.debug(`Chat view did not receive a ${message.type} message (hidden).`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
