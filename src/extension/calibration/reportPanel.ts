import * as vscode from "vscode";
import type { CalibrationHostMessage } from "../../calibrationProtocol";
import { parseCalibrationPageMessage } from "../../calibrationProtocol";
import { createNonce, renderWebviewHtml } from "../webviewHtml";
import type { StoredCalibration } from "./calibrationStore";
import { calibrationJson, calibrationMarkdown, calibrationView } from "./reportView";
import { calibrationChartSvg } from "../../core/calibration/chart";

export const CALIBRATION_PANEL_TYPE = "selfBraking.calibrationReport";

export interface ReportActions {
  /** Saves the recommendation as the model's own settings. */
  apply(stored: StoredCalibration): Promise<void>;
  isApplied(stored: StoredCalibration): boolean;
  calibrateAgain(): void;
}

/** The calibration report in an editor tab: chart, table, recommendation, live confirmation, and the buttons that act on them. */
export class CalibrationReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private stored: StoredCalibration | undefined;
  private ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: ReportActions,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(stored: StoredCalibration): void {
    this.stored = stored;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(CALIBRATION_PANEL_TYPE, "Brake Calibration", vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, "dist"), vscode.Uri.joinPath(this.extensionUri, "media")],
      });
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "brake.svg");
      const uri = (...parts: string[]): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
      this.ready = false;
      panel.webview.html = renderWebviewHtml({
        cspSource: panel.webview.cspSource,
        scriptUri: uri("dist", "calibration.js"),
        styleUris: [uri("media", "controls.css"), uri("media", "calibration.css")],
        nonce: createNonce(),
        title: "Brake Calibration",
      });
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
      this.panel = panel;
    } else {
      this.panel.reveal();
    }
    this.panel.title = `Brake Calibration: ${stored.modelName}`;
    this.push();
  }

  /** Re-sends the report (after the model's settings changed). */
  refresh(): void {
    this.push();
  }

  private push(): void {
    if (!this.panel || !this.ready || !this.stored) return;
    const message: CalibrationHostMessage = { type: "show", view: calibrationView(this.stored, this.actions.isApplied(this.stored)) };
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseCalibrationPageMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Ignored a malformed message from the calibration page: ${parsed.error}`);
      return;
    }
    const stored = this.stored;
    const message = parsed.message;
    if (message.type === "ready") {
      this.ready = true;
      this.push();
      return;
    }
    if (message.type === "calibrateAgain") return this.actions.calibrateAgain();
    if (!stored) return;
    if (message.type === "apply") {
      await this.actions.apply(stored);
      this.push();
      return;
    }
    await this.export(stored, message.format);
  }

  private async export(stored: StoredCalibration, format: "json" | "markdown" | "svg"): Promise<void> {
    const extension = format === "json" ? "json" : format === "markdown" ? "md" : "svg";
    const base = stored.modelName.replace(/\.gguf$/i, "").replace(/[^\w.-]+/g, "_");
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, `calibration-${base}.${extension}`) : undefined;
    const target = await vscode.window.showSaveDialog({ ...(defaultUri ? { defaultUri } : {}), filters: { [format === "json" ? "JSON" : format === "markdown" ? "Markdown" : "SVG"]: [extension] }, saveLabel: "Export" });
    if (!target) return;
    const text = format === "json" ? calibrationJson(stored) : format === "markdown" ? calibrationMarkdown(stored) : calibrationChartSvg(stored.report, "tokens");
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      void vscode.window.showInformationMessage(`Calibration report saved to ${vscode.workspace.asRelativePath(target)}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not save the calibration report to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}. Choose another folder.`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
