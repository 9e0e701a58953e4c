/** Copy: the code block onto the clipboard. */
import * as vscode from "vscode";
import { lineCount } from "./documents";
import { done, type CodeActionOutcome } from "./feedback";

export async function copyCode(code: string): Promise<CodeActionOutcome> {
  await vscode.env.clipboard.writeText(code);
  return done(`Copied ${lineCount(code)} to the clipboard`);
}
