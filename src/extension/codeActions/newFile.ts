/** New File: the code block in a new untitled editor, in the language of its fence. */
import * as vscode from "vscode";
import type { EditorTracker } from "./editorTracker";
import { done, type CodeActionOutcome } from "./feedback";
import { languageIdForFence } from "./languageIds";

export async function openAsNewFile(tracker: EditorTracker, code: string, fence: string): Promise<CodeActionOutcome> {
  const language = languageIdForFence(fence, new Set(await vscode.languages.getLanguages()));
  const document = await vscode.workspace.openTextDocument({ language, content: code });
  await vscode.window.showTextDocument(document, { viewColumn: tracker.last?.viewColumn ?? vscode.ViewColumn.Active, preview: false });
  return done(`Opened the code in a new ${language === "plaintext" ? "plain-text" : language} editor (not saved yet)`);
}
