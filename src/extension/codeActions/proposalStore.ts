/**
 * The proposed versions of documents that Apply shows in a diff: kept in memory and served
 * read-only to VS Code on the `self-braking-proposal:` scheme, one URI per proposal
 * (`self-braking-proposal:/<id>/<file name>`, so the proposal gets the file's language).
 */
import * as vscode from "vscode";
import { PROPOSAL_SCHEME } from "./ids";

export interface Proposal {
  readonly id: string;
  readonly uri: vscode.Uri;
  /** The document the change is for. */
  readonly original: vscode.Uri;
  /** Its text when the proposal was made: Accept refuses if it changed since. */
  readonly originalText: string;
  readonly proposedText: string;
  /** How the document is named in messages. */
  readonly label: string;
  /** "replaces foo", "replaces lines 3–5", "replaces the whole file". */
  readonly summary: string;
  readonly detail: string;
}

export class ProposalStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private counter = 0;

  add(fields: Omit<Proposal, "id" | "uri">): Proposal {
    this.counter += 1;
    const id = String(this.counter);
    const name = fields.original.path.split("/").pop() || "document";
    const proposal: Proposal = { ...fields, id, uri: vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/${name}` }) };
    this.proposals.set(id, proposal);
    return proposal;
  }

  /** The proposal a `self-braking-proposal:` URI shows. */
  byUri(uri: vscode.Uri): Proposal | undefined {
    if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
    return this.proposals.get(uri.path.split("/")[1] ?? "");
  }

  get(id: string): Proposal | undefined {
    return this.proposals.get(id);
  }

  /** The open proposals for a document. */
  forDocument(uri: vscode.Uri): Proposal[] {
    return [...this.proposals.values()].filter((p) => p.original.toString() === uri.toString());
  }

  all(): Proposal[] {
    return [...this.proposals.values()];
  }

  delete(id: string): void {
    this.proposals.delete(id);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.byUri(uri)?.proposedText ?? "This proposed change is no longer available. Click Apply on the code block again.";
  }

  dispose(): void {
    this.proposals.clear();
  }
}
