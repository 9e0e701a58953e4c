/**
 * Apply: proposes the code block as a change to a document and shows it as a diff (the document
 * on the left, the proposed version on the right), with Accept and Reject on the diff's title and
 * in a notification. Nothing changes until Accept (proposalReview.ts).
 */
import * as vscode from "vscode";
import { documentLabel, isReadOnly } from "./documents";
import type { EditorTracker } from "./editorTracker";
import { advise, done, refuse, type CodeActionOutcome } from "./feedback";
import { proposeChange } from "./proposal";
import type { ProposalReview } from "./proposalReview";
import type { ProposalStore } from "./proposalStore";
import { isOutcome, resolveApplyTarget, type CodeActionTarget } from "./target";

const ACCEPT = "Accept";
const REJECT = "Reject";

export async function proposeCode(
  deps: { tracker: EditorTracker; store: ProposalStore; review: ProposalReview },
  code: string,
  target: CodeActionTarget | undefined,
): Promise<CodeActionOutcome> {
  const resolved = await resolveApplyTarget(deps.tracker, target);
  if (isOutcome(resolved)) return resolved;
  const { document, range } = resolved;
  const label = documentLabel(document.uri);
  if (isReadOnly(document)) return refuse(`${label} is read-only, so the code cannot be applied to it. Use Copy, or New File to open the code in a new editor.`);

  const originalText = document.getText();
  const change = proposeChange({ documentText: originalText, code, languageId: document.languageId, ...(range ? { range } : {}) });
  if (change.text === originalText) return advise(`${label} already has this code: there is nothing to apply.`);
  const proposal = deps.store.add({ original: document.uri, originalText, proposedText: change.text, label, summary: change.summary, detail: change.detail });

  const proposed = await vscode.workspace.openTextDocument(proposal.uri);
  if (proposed.languageId !== document.languageId) await vscode.languages.setTextDocumentLanguage(proposed, document.languageId);
  const title = `${label} ↔ Proposed (${change.summary})`;
  await vscode.commands.executeCommand("vscode.diff", document.uri, proposal.uri, title, {
    preview: false,
    viewColumn: deps.tracker.last?.viewColumn ?? vscode.ViewColumn.Active,
  });

  void vscode.window.showInformationMessage(`Proposed change to ${label}. ${change.detail} Review it in the diff, then accept or reject it.`, ACCEPT, REJECT).then(
    (choice) => {
      if (choice === ACCEPT) void deps.review.accept(proposal.uri);
      else if (choice === REJECT) void deps.review.reject(proposal.uri);
    },
  );
  return done(`Proposed a change to ${label} (${change.summary}): accept or reject it on the diff`, { proposalUri: proposal.uri.toString() });
}
