/** Small facts about documents that the code-block actions need. */
import * as vscode from "vscode";
import { PROPOSAL_SCHEME } from "./ids";

/** How a document is named in messages: its workspace-relative path, or "Untitled-1". */
export function documentLabel(uri: vscode.Uri): string {
  return uri.scheme === "untitled" ? uri.path : vscode.workspace.asRelativePath(uri, false);
}

/** The document's text system refuses writes (a read-only file system). */
export function isReadOnly(document: vscode.TextDocument): boolean {
  return vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false;
}

export function eolOf(document: vscode.TextDocument): string {
  return document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n";
}

export function lineCount(code: string): string {
  const lines = code.replace(/\r?\n$/, "").split(/\r?\n/).length;
  return lines === 1 ? "1 line" : `${lines} lines`;
}

/** A document the user works on: a file (or another writable file system's) or an untitled one; not output, not our proposals. */
export function isUserDocument(document: vscode.TextDocument): boolean {
  const { scheme } = document.uri;
  if (scheme === PROPOSAL_SCHEME) return false;
  return scheme === "untitled" || scheme === "file" || vscode.workspace.fs.isWritableFileSystem(scheme) === true;
}
