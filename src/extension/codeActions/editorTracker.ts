/**
 * Remembers the text editor the user worked in last, and its selections. When a button on a code
 * block is clicked, the chat has the focus and `window.activeTextEditor` may be undefined (the
 * chat in an editor tab) or another document; Insert and Apply go to this editor instead.
 */
import * as vscode from "vscode";
import { isUserDocument } from "./documents";

export interface LastEditor {
  readonly document: vscode.TextDocument;
  readonly selections: readonly vscode.Selection[];
  readonly viewColumn: vscode.ViewColumn | undefined;
}

/** The tab (a text editor's, not a diff's) that shows a document, if one is open. */
function tabShowing(uri: vscode.Uri): vscode.Tab | undefined {
  const key = uri.toString();
  for (const group of vscode.window.tabGroups.all) {
    const tab = group.tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key);
    if (tab) return tab;
  }
  return undefined;
}

export class EditorTracker implements vscode.Disposable {
  private editor: vscode.TextEditor | undefined;
  private remembered: LastEditor | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const active = vscode.window.activeTextEditor;
    this.remember(active && isUserDocument(active.document) ? active : vscode.window.visibleTextEditors.find((e) => isUserDocument(e.document)));
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isUserDocument(editor.document)) this.remember(editor);
      }),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor, selections }) => {
        if (textEditor === this.editor && this.remembered) this.remembered = { ...this.remembered, selections, viewColumn: textEditor.viewColumn };
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (!this.remembered) this.remember(editors.find((e) => isUserDocument(e.document)));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document !== this.remembered?.document) return;
        this.editor = undefined;
        this.remembered = undefined;
        this.remember(vscode.window.visibleTextEditors.find((e) => isUserDocument(e.document) && e.document !== document));
      }),
    ];
  }

  private remember(editor: vscode.TextEditor | undefined): void {
    if (!editor) return;
    this.editor = editor;
    this.remembered = { document: editor.document, selections: editor.selections, viewColumn: editor.viewColumn };
  }

  /**
   * The last editor's document and selections, without showing anything: while it is visible, or
   * its tab is still open behind another (the chat in an editor tab); undefined otherwise.
   */
  get last(): LastEditor | undefined {
    const remembered = this.remembered;
    if (!remembered || remembered.document.isClosed) return undefined;
    const visible = this.visibleEditor(remembered.document);
    if (visible) return { document: visible.document, selections: visible.selections, viewColumn: visible.viewColumn };
    const tab = tabShowing(remembered.document.uri);
    return tab ? { ...remembered, viewColumn: tab.group.viewColumn } : undefined;
  }

  /** The last editor, shown again (with its selections) if it is no longer visible; undefined when there is none. */
  async reveal(): Promise<vscode.TextEditor | undefined> {
    const last = this.last;
    if (!last) return undefined;
    const visible = this.visibleEditor(last.document);
    if (visible) return visible;
    const shown = await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn ?? vscode.ViewColumn.Active, preview: false });
    if (last.selections.length > 0) shown.selections = [...last.selections];
    this.remember(shown);
    return shown;
  }

  private visibleEditor(document: vscode.TextDocument): vscode.TextEditor | undefined {
    const editors = vscode.window.visibleTextEditors;
    return editors.find((e) => e === this.editor) ?? editors.find((e) => e.document === document);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
