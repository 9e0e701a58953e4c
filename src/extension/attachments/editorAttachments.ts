import * as vscode from "vscode";
import { createApproximateTokenCounter } from "../../core/tokens/counter";
import { fencedAttachment } from "../../core/prompt/attachedCode";
import type { AttachedCode } from "../../core/prompt/attachedCode";
import { MAX_ATTACHMENT_CHARS } from "../../protocol";
import type { PendingAttachment } from "../chat/chatSession";

const counter = createApproximateTokenCounter();

/** Tokens a text adds to the prompt, estimated (the model's own tokenizer lives in the engine process). */
export function estimateTokens(text: string): number {
  return text === "" ? 0 : counter.tokenEnds(text).length;
}

let nextId = 1;

function attachment(document: vscode.TextDocument, kind: AttachedCode["kind"], range: vscode.Range): PendingAttachment | string {
  const text = document.getText(range);
  const label = document.uri.scheme === "untitled" ? document.fileName : vscode.workspace.asRelativePath(document.uri, false);
  if (text.length > MAX_ATTACHMENT_CHARS) {
    return `${label} is ${text.length.toLocaleString("en-US")} characters long; an attachment holds at most ${MAX_ATTACHMENT_CHARS.toLocaleString("en-US")}. Select the part the question is about and use Ask About Selection.`;
  }
  if (text.trim() === "") return `${label} has nothing to attach${kind === "selection" ? " in the selected lines" : ""}.`;
  const code: AttachedCode = { kind, label, language: document.languageId === "plaintext" ? "" : document.languageId, startLine: range.start.line + 1, endLine: range.end.line + 1, text };
  return {
    code,
    view: {
      id: `a${Date.now().toString(36)}-${nextId++}`,
      kind,
      label,
      uri: document.uri.toString(),
      language: code.language,
      startLine: code.startLine,
      endLine: code.endLine,
      tokens: estimateTokens(fencedAttachment(code)),
      tokensEstimated: true,
    },
  };
}

/** The editor's selection (whole lines as selected; the whole file when nothing is selected). */
export function selectionAttachment(editor: vscode.TextEditor): PendingAttachment | string {
  const selection = editor.selection;
  if (selection.isEmpty) return fileAttachment(editor.document);
  // a selection ending at the start of a line does not include that line
  const end = selection.end.character === 0 && selection.end.line > selection.start.line ? editor.document.lineAt(selection.end.line - 1).range.end : selection.end;
  return attachment(editor.document, "selection", new vscode.Range(selection.start, end));
}

export function fileAttachment(document: vscode.TextDocument): PendingAttachment | string {
  const last = document.lineAt(Math.max(0, document.lineCount - 1));
  return attachment(document, "file", new vscode.Range(new vscode.Position(0, 0), last.range.end));
}

/** Files that are never text worth attaching (checked after VS Code's own `files.exclude`/`search.exclude`). */
const BINARY = /\.(?:gguf|safetensors|bin|png|jpe?g|gif|ico|webp|pdf|zip|gz|tgz|tar|7z|exe|dll|so|dylib|wasm|class|jar|pyc|o|a)$/i;
const MAX_LISTED = 5000;

/** "Add File…": a quick pick of the workspace's files; each picked one that can be read as text is attached. */
export async function pickFileAttachments(): Promise<{ attachments: PendingAttachment[]; problems: string[] }> {
  if (!vscode.workspace.workspaceFolders?.length) return { attachments: [], problems: ["Open a folder first: Add File… lists the files of the workspace."] };
  // no exclude of ours: the user's files.exclude applies (undefined means "the default excludes")
  const files = await vscode.workspace.findFiles("**/*", undefined, MAX_LISTED);
  const items = files
    .filter((uri) => !BINARY.test(uri.path))
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const cut = files.length >= MAX_LISTED ? ` (the first ${MAX_LISTED.toLocaleString("en-US")} files of the workspace; to attach another, open it and use Attach Current File)` : "";
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: "Attach files to the next question", placeHolder: `Type to filter; pick one or more files${cut}`, matchOnDescription: true });
  const attachments: PendingAttachment[] = [];
  const problems: string[] = [];
  for (const item of picked ?? []) {
    try {
      const result = fileAttachment(await vscode.workspace.openTextDocument(item.uri));
      if (typeof result === "string") problems.push(result);
      else attachments.push(result);
    } catch (error) {
      problems.push(`${item.label} cannot be attached: ${error instanceof Error ? error.message : String(error)} (only text files can be).`);
    }
  }
  return { attachments, problems };
}
