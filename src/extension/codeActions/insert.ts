/** Insert: the code block into the last active editor, at its cursor(s), replacing what is selected. */
import * as vscode from "vscode";
import { documentLabel, eolOf, isReadOnly, lineCount } from "./documents";
import type { EditorTracker } from "./editorTracker";
import { advise, done, fail, refuse, type CodeActionOutcome } from "./feedback";

export const NO_EDITOR_FOR_INSERT = "There is no editor to insert the code into. Open a file and put the cursor where the code should go, then click Insert again.";

export async function insertCode(tracker: EditorTracker, code: string): Promise<CodeActionOutcome> {
  const last = tracker.last;
  if (!last) return advise(NO_EDITOR_FOR_INSERT);
  const label = documentLabel(last.document.uri);
  if (isReadOnly(last.document)) return refuse(`${label} is read-only, so the code cannot be inserted there. Use Copy, or New File to open the code in a new editor.`);
  const editor = await tracker.reveal();
  if (!editor) return advise(NO_EDITOR_FOR_INSERT);
  const text = code.replace(/\r?\n/g, eolOf(editor.document));
  const applied = await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, text);
  });
  if (!applied) return fail(`VS Code did not accept the insertion into ${label} (it may be read-only, or it changed at that moment). Nothing was inserted; click Insert again.`);
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preview: false });
  return done(`Inserted ${lineCount(code)} into ${label}`);
}
