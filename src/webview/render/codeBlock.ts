/**
 * A fenced code block as the chat shows it: a toolbar (the language, and Copy, Insert, Apply,
 * New File) above the highlighted code. The page's click handler relies on this DOM:
 *
 *   div.code-block[data-lang]
 *     div.code-toolbar
 *       span.code-lang                      the fence language (empty when there is none)
 *       button[data-action=codeAction][data-code-action=copy|insert|apply|newFile]
 *     pre > code                            textContent = the code exactly (no final newline)
 *
 * Built with createElement and textContent only; the highlighted spans come from highlight.ts.
 */
import type { CodeAction } from "../../protocol";
import { h } from "../dom";
import { highlightCode } from "./highlight";

const BUTTONS: readonly { readonly action: CodeAction; readonly label: string; readonly title: string; readonly ariaLabel: string }[] = [
  { action: "copy", label: "Copy", title: "Copy the code to the clipboard", ariaLabel: "Copy code" },
  { action: "insert", label: "Insert", title: "Insert the code at the cursor in the active editor", ariaLabel: "Insert code at the cursor" },
  { action: "apply", label: "Apply", title: "Apply the code to the active editor's file", ariaLabel: "Apply code to the active editor" },
  { action: "newFile", label: "New File", title: "Open the code in a new untitled file", ariaLabel: "Open code in a new file" },
];

export function codeBlock(code: string, language: string): HTMLElement {
  const highlighted = highlightCode(code, language);
  const codeElement = h("code", highlighted ? { class: `hljs language-${language.toLowerCase()}` } : {});
  codeElement.append(highlighted ?? document.createTextNode(code));
  const toolbar = h(
    "div",
    { class: "code-toolbar" },
    h("span", { class: "code-lang" }, language),
    ...BUTTONS.map((b) =>
      h("button", { type: "button", "data-action": "codeAction", "data-code-action": b.action, title: b.title, "aria-label": b.ariaLabel }, b.label),
    ),
  );
  return h("div", { class: "code-block", "data-lang": language }, toolbar, h("pre", {}, codeElement));
}
