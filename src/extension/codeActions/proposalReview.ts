/**
 * Accept and Reject of a proposed change. Accept writes the change into the original document
 * (one edit, not saved: the user saves) unless the document changed since the proposal was made;
 * both close the diff. A diff the user closes by hand drops its proposal.
 */
import * as vscode from "vscode";
import { advise, done, fail, refuse, type CodeActionOutcome } from "./feedback";
import { PROPOSAL_SCHEME } from "./ids";
import { minimalEdit } from "./minimalEdit";
import type { Proposal, ProposalStore } from "./proposalStore";

const GONE = "This proposed change was already accepted, rejected or closed. Click Apply on the code block again for a new one.";
const NONE_OPEN = "No proposed change is open. Click Apply on a code block in the chat first.";

/** The `self-braking-proposal:` URIs a tab shows. */
function proposalUris(tab: vscode.Tab): vscode.Uri[] {
  const { input } = tab;
  const uris = input instanceof vscode.TabInputTextDiff ? [input.original, input.modified] : input instanceof vscode.TabInputText ? [input.uri] : [];
  return uris.filter((uri) => uri.scheme === PROPOSAL_SCHEME);
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

export class ProposalReview implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ProposalStore) {
    this.subscription = vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
      const stillShown = new Set(allTabs().flatMap(proposalUris).map((uri) => uri.toString()));
      for (const uri of closed.flatMap(proposalUris)) {
        const proposal = this.store.byUri(uri);
        if (proposal && !stillShown.has(uri.toString())) this.store.delete(proposal.id);
      }
    });
  }

  /** The proposal an argument names (a proposal URI, or the original document's), else the one on the active tab, else the only one. */
  private find(arg: unknown): { proposal?: Proposal; problem?: string } {
    const uri = arg instanceof vscode.Uri ? arg : typeof arg === "string" ? vscode.Uri.parse(arg) : undefined;
    if (uri) {
      if (uri.scheme === PROPOSAL_SCHEME) {
        const proposal = this.store.byUri(uri);
        return proposal ? { proposal } : { problem: GONE };
      }
      const forDocument = this.store.forDocument(uri);
      if (forDocument.length === 1) return { proposal: forDocument[0] };
    }
    const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const onActiveTab = activeTab ? proposalUris(activeTab)[0] : undefined;
    if (onActiveTab) {
      const proposal = this.store.byUri(onActiveTab);
      return proposal ? { proposal } : { problem: GONE };
    }
    const all = this.store.all();
    if (all.length === 1) return { proposal: all[0] };
    return { problem: all.length === 0 ? NONE_OPEN : "Several proposed changes are open. Click Accept or Reject on the title of the diff you mean." };
  }

  private async close(proposal: Proposal): Promise<void> {
    this.store.delete(proposal.id);
    const tabs = allTabs().filter((tab) => proposalUris(tab).some((uri) => uri.toString() === proposal.uri.toString()));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  async accept(arg?: unknown): Promise<CodeActionOutcome> {
    const { proposal, problem } = this.find(arg);
    if (!proposal) return advise(problem ?? NONE_OPEN);
    const { label } = proposal;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposal.original.toString());
    if (!open && proposal.original.scheme === "untitled") {
      return refuse(`${label} was closed, so the change cannot be applied to it. Use Copy or New File on the code block instead.`);
    }
    let document: vscode.TextDocument;
    try {
      document = open ?? (await vscode.workspace.openTextDocument(proposal.original));
    } catch (error) {
      return fail(`Cannot open ${label} to apply the change: ${error instanceof Error ? error.message : String(error)}. Nothing changed.`);
    }
    if (document.getText() !== proposal.originalText) {
      return refuse(
        `${label} changed after the change was proposed, so it was not applied (that would undo those edits). Click Apply on the code block again for a fresh proposal, or Reject this one.`,
      );
    }
    const replacement = minimalEdit(proposal.originalText, proposal.proposedText);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end)), replacement.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      return fail(`VS Code did not apply the change to ${label} (it may be read-only, or it changed at that moment). Nothing changed; click Apply on the code block again.`);
    }
    await this.close(proposal);
    const at = document.positionAt(replacement.start);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at), preview: false });
    return done(`Applied the change to ${label} (${proposal.summary}); it is not saved yet`);
  }

  async reject(arg?: unknown): Promise<CodeActionOutcome> {
    const { proposal, problem } = this.find(arg);
    if (!proposal) return advise(problem ?? NONE_OPEN);
    await this.close(proposal);
    return done(`Rejected the proposed change; ${proposal.label} is unchanged`);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
