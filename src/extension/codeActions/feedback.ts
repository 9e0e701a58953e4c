/**
 * What a code-block action tells the user, and what it returns to its caller: a result that
 * worked shows briefly in the status bar; advice (what to do first) is an information message;
 * a refusal a warning; a failure an error. Each says what happened and what to do.
 */
import * as vscode from "vscode";

export interface CodeActionOutcome {
  readonly ok: boolean;
  /** What the user was told. */
  readonly message: string;
  /** The proposed version Apply showed in a diff (`self-braking-proposal:` URI). */
  readonly proposalUri?: string;
}

const STATUS_MS = 4000;

export function done(message: string, extra: { proposalUri?: string } = {}): CodeActionOutcome {
  vscode.window.setStatusBarMessage(`$(check) ${message}`, STATUS_MS);
  return { ok: true, message, ...extra };
}

export function advise(message: string): CodeActionOutcome {
  void vscode.window.showInformationMessage(message);
  return { ok: false, message };
}

export function refuse(message: string): CodeActionOutcome {
  void vscode.window.showWarningMessage(message);
  return { ok: false, message };
}

export function fail(message: string): CodeActionOutcome {
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}
