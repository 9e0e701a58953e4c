import { parseHostMessage } from "../protocol";
import { ChatApp } from "./app";
import { getVsCodeApi } from "./vscodeApi";

const vscode = getVsCodeApi<{ draft: string }>();
const root = document.getElementById("app");

if (root) {
  const app = new ChatApp(root, vscode);
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      console.warn(`Self-Braking: ignored a malformed message from the host (${parsed.error}).`);
      return;
    }
    app.receive(parsed.message);
  });
  vscode.postMessage({ type: "ready" });
}
