import { parseHostMessage } from "../protocol";
import { actionFromClick, renderState } from "./render";
import { getVsCodeApi } from "./vscodeApi";

const vscode = getVsCodeApi<unknown>();
const root = document.getElementById("app");

if (root) {
  root.addEventListener("click", (event) => {
    const action = actionFromClick(event.target);
    if (action) vscode.postMessage(action);
  });

  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      console.warn(`Self-Braking: ignored a malformed message from the host (${parsed.error}).`);
      return;
    }
    switch (parsed.message.type) {
      case "state":
        renderState(root, parsed.message.state);
        break;
    }
  });

  vscode.postMessage({ type: "ready" });
}
