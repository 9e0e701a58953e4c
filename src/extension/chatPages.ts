import * as vscode from "vscode";
import type { CodeAction, HostToWebview, ViewState, WebviewToHost } from "../protocol";
import { parseWebviewMessage } from "../protocol";
import { fileAttachment, pickFileAttachments } from "./attachments/editorAttachments";
import type { ChatSession, PendingAttachment } from "./chat/chatSession";
import { checkNextQuestion } from "./chat/contextCheck";
import { promptDocument } from "./chat/promptDocument";
import { showChatPage } from "./chatPage";
import { CHAT_PANEL_TYPE, COMMAND_IDS } from "./commandIds";
import type { Configuration } from "./configuration";
import type { EffectiveSettings } from "./models/effectiveSettings";
import { currentModelStatus } from "./modelFile";

/** What the buttons on an answer's code block do (src/extension/codeActions). */
export interface CodeActionRunner {
  run(action: CodeAction, code: string, language: string, target?: { uri: string; startLine?: number; endLine?: number }): Promise<void>;
  /** The document of the editor used last (an editor-tab chat takes the active editor's place). */
  lastDocument(): vscode.TextDocument | undefined;
}

interface Page {
  readonly webview: vscode.Webview;
  /** The page has said `ready` and is showing: messages reach it (a hidden page is torn down and says `ready` again when shown). */
  ready: boolean;
  /** Put the cursor in its question box once it is ready. */
  focusWhenReady: boolean;
}

/**
 * Every page that shows the chat — the sidebar view and the editor tab — one session behind them
 * all: each gets the same state and conversation, what any of them posts is validated here and
 * routed to the session or the editor.
 */
export class ChatPages implements vscode.WebviewViewProvider, vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly pages = new Set<Page>();
  private panel: vscode.WebviewPanel | undefined;
  private panelPage: Page | undefined;
  private viewPage: Page | undefined;
  private demoModelWriting: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
    private readonly session: ChatSession,
    private readonly codeActions: CodeActionRunner,
    private readonly effective: EffectiveSettings,
  ) {
    this.disposables.push(configuration.onDidChange(() => void this.pushState()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const page = this.attach(view.webview, view.onDidDispose);
    this.viewPage = page;
    view.onDidChangeVisibility(() => {
      if (!view.visible) page.ready = false;
    });
  }

  /** The chat as an editor tab (one; shown again if it exists). */
  openPanel(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, "Self-Braking Chat", vscode.ViewColumn.Active, { enableScripts: true });
    this.adoptPanel(panel);
  }

  /** An editor tab VS Code restores after a reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    this.adoptPanel(panel);
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "brake.svg");
    const page = this.attach(panel.webview, panel.onDidDispose);
    this.panelPage = page;
    panel.onDidChangeViewState(() => {
      if (!panel.visible) page.ready = false;
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.panelPage = undefined;
      }
    });
  }

  private attach(webview: vscode.Webview, onDidDispose: vscode.Event<void>): Page {
    const page: Page = { webview, ready: false, focusWhenReady: false };
    this.pages.add(page);
    showChatPage(webview, this.extensionUri);
    const subscription = webview.onDidReceiveMessage((raw: unknown) => void this.receive(page, raw));
    onDidDispose(() => {
      subscription.dispose();
      this.pages.delete(page);
    });
    return page;
  }

  /** Sends a message to every page that is ready (each gets the full state on `ready`). */
  post(message: HostToWebview): void {
    for (const page of this.pages) if (page.ready) void page.webview.postMessage(message);
  }

  async pushState(): Promise<void> {
    if (![...this.pages].some((p) => p.ready)) return;
    this.post({ type: "state", state: await this.state() });
  }

  /** Attaches code and shows the chat with the cursor in the question box. */
  async attachAndFocus(attachments: readonly PendingAttachment[], problems: readonly string[] = []): Promise<void> {
    for (const a of attachments) this.session.attach(a);
    for (const problem of problems) void vscode.window.showWarningMessage(problem);
    // the chat the user sees: the editor tab when it shows, else the sidebar view
    if (this.panel?.visible) this.panel.reveal();
    else await vscode.commands.executeCommand("selfBraking.chat.focus");
    const page = this.panel?.visible ? this.panelPage : this.viewPage;
    if (!page) return;
    if (page.ready) void page.webview.postMessage({ type: "focusInput" } satisfies HostToWebview);
    else page.focusWhenReady = true;
  }

  private async state(): Promise<ViewState> {
    const settings = this.effective.settings;
    const attachments = this.session.pendingAttachments();
    return {
      model: await currentModelStatus(settings),
      engine: this.session.engineState,
      brakeMode: settings["brake.mode"],
      threshold: settings["brake.threshold"],
      settingProblems: [...this.configuration.settingProblems],
      modelSettings: this.effective.modelKeys,
      generating: this.session.generating,
      runningConversationId: this.session.runningConversationId,
      conversationId: this.session.conversationId,
      conversations: this.session.conversations(),
      attachments: attachments.map((a) => a.view),
      contextCheck: attachments.length === 0 ? null : checkNextQuestion(settings, this.session.loadedContextTokens, "", attachments, this.session.nextHistory()),
    };
  }

  private async receive(page: Page, raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Ignored a malformed message from the chat view (${parsed.error}).`);
      return;
    }
    try {
      await this.handle(page, parsed.message);
    } catch (error) {
      this.log.error(`Chat view request "${parsed.message.type}" failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Self-Braking: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async handle(page: Page, message: WebviewToHost): Promise<void> {
    const tell = (problem: string | undefined): void => {
      if (problem) void vscode.window.showInformationMessage(problem);
    };
    switch (message.type) {
      case "ready": {
        // the streamed text not yet sent goes to the other pages first, so that this page's
        // snapshot holds it once and what streams next is new to it
        this.session.flushPending();
        page.ready = true;
        void page.webview.postMessage({ type: "conversation", conversationId: this.session.conversationId, turns: [...this.session.conversation()] } satisfies HostToWebview);
        void page.webview.postMessage({ type: "state", state: await this.state() } satisfies HostToWebview);
        if (page.focusWhenReady) {
          page.focusWhenReady = false;
          void page.webview.postMessage({ type: "focusInput" } satisfies HostToWebview);
        }
        return;
      }
      case "chooseModel":
        await vscode.commands.executeCommand(COMMAND_IDS.chooseModel);
        return;
      case "useDemoModel":
        // one write at a time, however often the button is pressed
        this.demoModelWriting ??= Promise.resolve(vscode.commands.executeCommand<void>(COMMAND_IDS.useDemoModel)).finally(() => (this.demoModelWriting = undefined));
        await this.demoModelWriting;
        return;
      case "keepSettingsForModel":
        await vscode.commands.executeCommand(COMMAND_IDS.keepSettingsForModel);
        return;
      case "useGlobalSettings":
        await vscode.commands.executeCommand(COMMAND_IDS.useGlobalSettings);
        return;
      case "selectModel":
        await vscode.commands.executeCommand(COMMAND_IDS.selectModel);
        return;
      case "selectServerModel":
        await vscode.commands.executeCommand(COMMAND_IDS.selectServerModel);
        return;
      case "useServer":
        await vscode.commands.executeCommand(COMMAND_IDS.useServer);
        return;
      case "openSettings":
        await vscode.commands.executeCommand(COMMAND_IDS.openSettings, message.query);
        return;
      case "ask": {
        const model = await currentModelStatus(this.configuration.settings);
        if (model.kind !== "ready" && model.kind !== "server") {
          const problem =
            model.kind === "notConfigured" ? "Choose a GGUF model file first." : model.kind === "serverNotConfigured" ? "Give the server's address first (Use a Server…), or select a local model." : model.message;
          void vscode.window.showErrorMessage(problem);
          await this.pushState();
          return;
        }
        tell(this.session.ask(message.question));
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
      case "continueThinking":
        tell(this.session.continueThinking(message.turnId));
        return;
      case "askAgain":
        tell(this.session.askAgain(message.turnId));
        return;
      case "setThreshold":
        await this.effective.update("brake.threshold", Math.round(message.value * 100) / 100);
        return;
      case "setBrakeMode":
        await this.effective.update("brake.mode", message.mode);
        return;
      case "codeAction": {
        const selection = this.session.conversation().find((t) => t.id === message.turnId)?.attachments?.find((a) => a.kind === "selection");
        const target = selection ? { uri: selection.uri, startLine: selection.startLine, endLine: selection.endLine } : undefined;
        await this.codeActions.run(message.action, message.code, message.language, target);
        return;
      }
      case "attachActiveFile": {
        const document = vscode.window.activeTextEditor?.document ?? this.codeActions.lastDocument();
        if (!document) {
          void vscode.window.showInformationMessage("Open the file to attach in an editor first (or use Add File…).");
          return;
        }
        const result = fileAttachment(document);
        if (typeof result === "string") void vscode.window.showWarningMessage(result);
        else this.session.attach(result);
        return;
      }
      case "addFile": {
        const { attachments, problems } = await pickFileAttachments();
        await this.attachAndFocus(attachments, problems);
        return;
      }
      case "removeAttachment":
        this.session.removeAttachment(message.id);
        return;
      case "openAttachment":
        await this.openAttachment(message.id, message.turnId);
        return;
      case "regenerate":
      case "editAndResend": {
        const turns = this.session.conversation();
        const index = turns.findIndex((t) => t.id === message.turnId);
        const later = index < 0 ? 0 : turns.length - index - 1;
        if (later > 0) {
          const verb = message.type === "regenerate" ? "Regenerate" : "Edit and Resend";
          const choice = await vscode.window.showWarningMessage(`${verb} removes the ${later === 1 ? "turn" : `${later} turns`} after this one from the conversation.`, { modal: true }, verb);
          if (choice !== verb) return;
        }
        tell(this.session.resend(message.turnId, message.type === "editAndResend" ? message.question : undefined));
        return;
      }
      case "showPrompt": {
        const prompt = this.session.promptOf(message.turnId);
        if (!prompt) return;
        const document = await vscode.workspace.openTextDocument({ language: "markdown", content: promptDocument(prompt) });
        await vscode.window.showTextDocument(document, { preview: true });
        return;
      }
      case "switchConversation":
        tell(this.session.switchTo(message.id));
        return;
      case "renameConversation": {
        const current = this.session.conversations().find((c) => c.id === message.id);
        if (!current) return;
        const title = await vscode.window.showInputBox({ title: "Rename conversation", value: current.title, validateInput: (v) => (v.trim() === "" ? "A conversation needs a name." : undefined) });
        if (title !== undefined) this.session.rename(message.id, title);
        return;
      }
      case "deleteConversation": {
        const current = this.session.conversations().find((c) => c.id === message.id);
        if (!current) return;
        const running = this.session.runningConversationId === message.id ? " Its answer in progress will be stopped." : "";
        const choice = await vscode.window.showWarningMessage(`Delete the conversation "${current.title}"? This cannot be undone.${running}`, { modal: true }, "Delete");
        if (choice === "Delete") this.session.remove(message.id);
        return;
      }
      case "openPanel":
        this.openPanel();
        return;
    }
  }

  /** Opens an attachment's file at its lines — only one the session knows (a page cannot make the host open an arbitrary URI). */
  private async openAttachment(id: string, turnId: string | undefined): Promise<void> {
    const views = turnId === undefined ? this.session.pendingAttachments().map((a) => a.view) : (this.session.conversation().find((t) => t.id === turnId)?.attachments ?? []);
    const view = views.find((a) => a.id === id);
    if (!view) return;
    const uri = vscode.Uri.parse(view.uri, true);
    // the attached lines, selected whole (VS Code clamps the end to the line's length); a file opens at its top
    const range = view.kind === "selection" ? new vscode.Range(view.startLine - 1, 0, view.endLine - 1, Number.MAX_SAFE_INTEGER) : new vscode.Range(0, 0, 0, 0);
    try {
      await vscode.window.showTextDocument(uri, { selection: range, preview: true });
    } catch (error) {
      void vscode.window.showWarningMessage(`${view.label} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.panel?.dispose();
  }
}
