/**
 * Which document Apply changes, and which part of it: the file (and lines) attached with the
 * question when the chat passes them, else the last active editor and its selection.
 */
import * as vscode from "vscode";
import { documentLabel } from "./documents";
import type { EditorTracker } from "./editorTracker";
import { advise, fail, refuse, type CodeActionOutcome } from "./feedback";

/** Code the user attached with the question: a document and, optionally, 1-based inclusive lines. */
export interface CodeActionTarget {
  readonly uri: string;
  readonly startLine?: number;
  readonly endLine?: number;
}

export interface ApplyTarget {
  readonly document: vscode.TextDocument;
  /** Offsets of the text the code replaces, when known. */
  readonly range?: { readonly start: number; readonly end: number };
}

export const NO_EDITOR_FOR_APPLY =
  "There is no file to apply the code to. Open the file the code is for (select the lines it should replace, if you know them), then click Apply again.";

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function attachedTarget(target: CodeActionTarget): Promise<ApplyTarget | CodeActionOutcome> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(target.uri, true);
  } catch (error) {
    return fail(`The attached file's address "${target.uri}" is not valid (${errorText(error)}). Open the file and click Apply again.`);
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    return fail(`Cannot open the attached file ${documentLabel(uri)}: ${errorText(error)}. It may have been moved or deleted; open the file the code is for and click Apply again.`);
  }
  if (target.startLine === undefined) return { document };
  const first = Math.floor(target.startLine);
  const last = Math.floor(target.endLine ?? target.startLine);
  const label = documentLabel(uri);
  if (!(first >= 1) || !(last >= first)) return fail(`The attached lines (${target.startLine}–${target.endLine ?? target.startLine}) of ${label} are not a valid range. Select the lines to replace and click Apply again.`);
  if (first > document.lineCount) {
    return refuse(`The attached lines ${first}–${last} are past the end of ${label} (${document.lineCount} lines): the file changed since they were attached. Select the lines to replace and click Apply again.`);
  }
  const start = document.offsetAt(new vscode.Position(first - 1, 0));
  const end = document.offsetAt(document.lineAt(Math.min(last, document.lineCount) - 1).range.end);
  return { document, range: { start, end } };
}

export async function resolveApplyTarget(tracker: EditorTracker, target: CodeActionTarget | undefined): Promise<ApplyTarget | CodeActionOutcome> {
  if (target) return attachedTarget(target);
  const last = tracker.last;
  if (!last) return advise(NO_EDITOR_FOR_APPLY);
  const selection = last.selections[0];
  if (!selection || selection.isEmpty) return { document: last.document };
  return { document: last.document, range: { start: last.document.offsetAt(selection.start), end: last.document.offsetAt(selection.end) } };
}

export function isOutcome(value: ApplyTarget | CodeActionOutcome): value is CodeActionOutcome {
  return "ok" in value;
}
