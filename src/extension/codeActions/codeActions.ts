/**
 * The buttons on a code block of an answer (Copy, Insert, Apply, New File), on the extension
 * host's side. The chat view calls `run()` for the page's `codeAction` message; the commands
 * registered here are Accept/Reject of a proposed change (the diff's title, the palette) and
 * `selfBraking.runCodeAction`, an internal entry to `run()` for tests and other callers.
 * Nothing throws out of run(): every failure is told to the user and returned.
 */
import * as vscode from "vscode";
import { CODE_ACTIONS, type CodeAction } from "../../protocol";
import { proposeCode } from "./apply";
import { copyCode } from "./copy";
import { EditorTracker } from "./editorTracker";
import { fail, type CodeActionOutcome } from "./feedback";
import { CODE_ACTION_COMMANDS, PROPOSAL_SCHEME } from "./ids";
import { insertCode } from "./insert";
import { openAsNewFile } from "./newFile";
import { ProposalReview } from "./proposalReview";
import { ProposalStore } from "./proposalStore";
import type { CodeActionTarget } from "./target";

export type { CodeActionOutcome } from "./feedback";
export type { CodeActionTarget } from "./target";

const ACTION_NAMES: Readonly<Record<CodeAction, string>> = { copy: "Copy", insert: "Insert", apply: "Apply", newFile: "New File" };

/** Where a log line goes (the extension's output channel). */
export interface CodeActionsLog {
  error(message: string): void;
}

function describe(error: unknown): { message: string; details: string } {
  if (error instanceof Error) return { message: error.message, details: error.stack ?? error.message };
  return { message: String(error), details: String(error) };
}

function parseTarget(value: unknown): CodeActionTarget | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") return "invalid";
  const { uri, startLine, endLine } = value as Record<string, unknown>;
  if (typeof uri !== "string") return "invalid";
  if ((startLine !== undefined && typeof startLine !== "number") || (endLine !== undefined && typeof endLine !== "number")) return "invalid";
  return { uri, ...(startLine !== undefined ? { startLine } : {}), ...(endLine !== undefined ? { endLine } : {}) };
}

export class CodeActions implements vscode.Disposable {
  private readonly tracker = new EditorTracker();
  private readonly store = new ProposalStore();
  private readonly review = new ProposalReview(this.store);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly log?: CodeActionsLog) {
    this.disposables = [
      this.review,
      this.store,
      this.tracker,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this.store),
      vscode.commands.registerCommand(CODE_ACTION_COMMANDS.acceptProposal, (arg?: unknown) => this.guard("Accept", () => this.review.accept(arg))),
      vscode.commands.registerCommand(CODE_ACTION_COMMANDS.rejectProposal, (arg?: unknown) => this.guard("Reject", () => this.review.reject(arg))),
      vscode.commands.registerCommand(CODE_ACTION_COMMANDS.runCodeAction, (...args: unknown[]) => this.runFromCommand(args)),
    ];
  }

  /**
   * Runs a code block's button. `language` is the fence's language ("" when it has none);
   * `target` is code attached with the question (Apply changes that document and those lines).
   * The user is told how it went; it never rejects.
   */
  async run(action: CodeAction, code: string, language: string, target?: CodeActionTarget): Promise<void> {
    await this.perform(action, code, language, target);
  }

  /** The document of the editor used last (the chat's page has the focus when its buttons are clicked). */
  lastDocument(): vscode.TextDocument | undefined {
    return this.tracker.last?.document;
  }

  /** As run(), and resolves to what happened (what the user was told, the proposal Apply showed). */
  perform(action: CodeAction, code: string, language: string, target?: CodeActionTarget): Promise<CodeActionOutcome> {
    return this.guard(ACTION_NAMES[action] ?? String(action), () => {
      switch (action) {
        case "copy":
          return copyCode(code);
        case "insert":
          return insertCode(this.tracker, code);
        case "apply":
          return proposeCode({ tracker: this.tracker, store: this.store, review: this.review }, code, target);
        case "newFile":
          return openAsNewFile(this.tracker, code, language);
        default:
          return Promise.resolve(fail(`Unknown code action "${String(action)}": nothing was done.`));
      }
    });
  }

  private runFromCommand([action, code, language, target]: unknown[]): Promise<CodeActionOutcome> {
    if (typeof action !== "string" || !(CODE_ACTIONS as readonly string[]).includes(action)) {
      return Promise.resolve(fail(`Unknown code action ${JSON.stringify(action)}: expected one of ${CODE_ACTIONS.join(", ")}.`));
    }
    if (typeof code !== "string") return Promise.resolve(fail("The code action got no code to work with: nothing was done."));
    const parsed = parseTarget(target);
    if (parsed === "invalid") return Promise.resolve(fail("The code action's target must be { uri, startLine?, endLine? }: nothing was done."));
    return this.perform(action as CodeAction, code, typeof language === "string" ? language : "", parsed);
  }

  private async guard(name: string, body: () => Promise<CodeActionOutcome>): Promise<CodeActionOutcome> {
    try {
      return await body();
    } catch (error) {
      const { message, details } = describe(error);
      this.log?.error(`${name} on a code block failed: ${details}`);
      return fail(`${name} failed: ${message}. Try again${this.log ? "; Self-Braking: Show Log has the details" : ""}.`);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
