import * as vscode from "vscode";
import { createNonce, renderWebviewHtml } from "./webviewHtml";

/** The files the chat page loads, relative to the extension's root (KaTeX's stylesheet and fonts are copied into dist/katex by the build). */
const SCRIPT = ["dist", "webview.js"];
const STYLES = [
  ["dist", "katex", "katex.min.css"],
  ["media", "controls.css"],
  ["media", "chat.css"],
  ["media", "markdown.css"],
];

/** Sets up a webview (the sidebar view or the editor-tab panel) to show the chat page. */
export function showChatPage(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  webview.options = {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")],
  };
  const uri = (parts: readonly string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    scriptUri: uri(SCRIPT),
    styleUris: STYLES.map(uri),
    nonce: createNonce(),
    title: "Self-Braking Reasoner",
  });
}
