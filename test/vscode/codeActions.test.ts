/**
 * The buttons on a code block (Copy, Insert, Apply, New File) in a real extension host, driven
 * through the internal `selfBraking.runCodeAction` command as the chat would drive them, on real
 * files of the test workspace.
 */
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activated, manifest } from "./extension";
import { test } from "./harness";

const RUN = "selfBraking.runCodeAction";
const ACCEPT = "selfBraking.acceptProposal";
const REJECT = "selfBraking.rejectProposal";
const SCHEME = "self-braking-proposal";

interface Outcome {
  readonly ok: boolean;
  readonly message: string;
  readonly proposalUri?: string;
}

async function runCodeAction(action: string, code: string, language = "", target?: { uri: string; startLine?: number; endLine?: number }): Promise<Outcome> {
  await activated();
  const outcome = await vscode.commands.executeCommand<Outcome>(RUN, action, code, language, target);
  assert.ok(outcome, `${RUN} returned nothing`);
  return outcome;
}

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the tests need a workspace folder");
  return vscode.Uri.joinPath(folder.uri, "code-actions", name);
}

/** Writes a file into the workspace and shows it in an editor. */
async function openFile(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Closes every editor, reverting unsaved changes first (no save prompts). */
async function closeEverything(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  }
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}

/** A webview tab beside the editor takes the focus, as the chat does when its button is clicked. */
function focusStandInChat(): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel("selfBrakingTestChatStandIn", "Chat stand-in", { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
}

function diffTabs(): { tab: vscode.Tab; input: vscode.TabInputTextDiff }[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .flatMap((tab) => (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === SCHEME ? [{ tab, input: tab.input }] : []));
}

const PY = ["import os", "", "", "def foo():", "    return 1", "", "", "def bar():", "    return 2", ""].join("\n");

test("Insert puts the code at the cursor of the last editor while the chat has the focus, and replaces a selection", async () => {
  await closeEverything();
  const editor = await openFile("insert.py", "def a():\n    return 1\n");
  editor.selection = new vscode.Selection(2, 0, 2, 0);
  const chat = focusStandInChat();
  try {
    await until("the stand-in chat has the focus", () => vscode.window.activeTextEditor === undefined);
    const outcome = await runCodeAction("insert", "x = 2\n", "python");
    assert.equal(outcome.ok, true, outcome.message);
    assert.equal(editor.document.getText(), "def a():\n    return 1\nx = 2\n");
    assert.equal(vscode.window.activeTextEditor?.document, editor.document, "the editor is shown afterwards");

    const line = vscode.window.activeTextEditor.document.lineAt(1);
    vscode.window.activeTextEditor.selection = new vscode.Selection(1, 4, 1, line.text.length);
    await vscode.commands.executeCommand("workbench.action.focusNextGroup");
    const replaced = await runCodeAction("insert", "return 3", "python");
    assert.equal(replaced.ok, true, replaced.message);
    assert.equal(editor.document.getText(), "def a():\n    return 3\nx = 2\n");
  } finally {
    chat.dispose();
    await closeEverything();
  }
});

test("Insert reaches an editor hidden behind the chat's editor tab, at its remembered cursor", async () => {
  await closeEverything();
  const editor = await openFile("insert-hidden.py", "a = 1\nb = 2\n");
  editor.selection = new vscode.Selection(1, 0, 1, 0);
  const document = editor.document;
  const chat = vscode.window.createWebviewPanel("selfBrakingTestChatStandIn", "Chat stand-in", { viewColumn: vscode.ViewColumn.Active, preserveFocus: false });
  try {
    await until("the chat tab hides the editor", () => !vscode.window.visibleTextEditors.some((e) => e.document === document));
    const outcome = await runCodeAction("insert", "between = 1.5\n", "python");
    assert.equal(outcome.ok, true, outcome.message);
    assert.equal(document.getText(), "a = 1\nbetween = 1.5\nb = 2\n");
    assert.equal(vscode.window.activeTextEditor?.document, document, "the editor is shown again");
  } finally {
    chat.dispose();
    await closeEverything();
  }
});

test("Insert with no editor open says what to do", async () => {
  await closeEverything();
  await openFile("insert-closed.py", "x = 0\n");
  await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  await until("no editor is open", () => vscode.window.visibleTextEditors.length === 0);
  const outcome = await runCodeAction("insert", "x = 1\n", "python");
  assert.equal(outcome.ok, false);
  assert.match(outcome.message, /Open a file and put the cursor where the code should go, then click Insert again/);
  const apply = await runCodeAction("apply", "x = 1\n", "python");
  assert.equal(apply.ok, false);
  assert.match(apply.message, /Open the file the code is for .*then click Apply again/);
});

test("Copy puts the code on the clipboard", async () => {
  const code = `print("copied ${Date.now()}")\n`;
  const outcome = await runCodeAction("copy", code, "python");
  assert.equal(outcome.ok, true, outcome.message);
  assert.equal(await vscode.env.clipboard.readText(), code);
});

test("New File opens an untitled document with the code, in the fence's language", async () => {
  await closeEverything();
  for (const [fence, languageId] of [["rs", "rust"], ["sh", "shellscript"], ["no-such-language", "plaintext"]] as const) {
    const code = `// ${fence}\n`;
    const outcome = await runCodeAction("newFile", code, fence);
    assert.equal(outcome.ok, true, outcome.message);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, "a new editor is active");
    assert.equal(document.isUntitled, true);
    assert.equal(document.languageId, languageId, fence);
    assert.equal(document.getText(), code);
  }
  await closeEverything();
});

test("Apply shows the proposal as a diff; Accept changes the document (unsaved) and closes the diff", async () => {
  await closeEverything();
  const editor = await openFile("apply-accept.py", PY);
  const chat = focusStandInChat();
  try {
    const outcome = await runCodeAction("apply", "def foo():\n    return 42\n", "python");
    assert.equal(outcome.ok, true, outcome.message);
    assert.ok(outcome.proposalUri);
    const expected = PY.replace("return 1", "return 42");
    await until("the diff is open", () => diffTabs().length === 1);
    const [diff] = diffTabs();
    assert.ok(diff);
    assert.equal(diff.input.original.toString(), editor.document.uri.toString());
    assert.equal(diff.input.modified.toString(), outcome.proposalUri);
    assert.match(diff.tab.label, /replaces foo/);
    const proposed = await vscode.workspace.openTextDocument(diff.input.modified);
    assert.equal(proposed.getText(), expected);
    assert.equal(proposed.languageId, "python");
    assert.equal(editor.document.getText(), PY, "nothing changes before Accept");

    await vscode.window.showTextDocument(proposed); // the diff's right side is active: Accept finds it without arguments
    const accepted = await vscode.commands.executeCommand<Outcome>(ACCEPT);
    assert.equal(accepted?.ok, true, accepted?.message);
    assert.equal(editor.document.getText(), expected);
    assert.equal(editor.document.isDirty, true, "accepted, not saved");
    await until("the diff is closed", () => diffTabs().length === 0);
  } finally {
    chat.dispose();
    await closeEverything();
  }
});

test("Reject closes the diff and leaves the document unchanged", async () => {
  await closeEverything();
  const editor = await openFile("apply-reject.py", PY);
  const outcome = await runCodeAction("apply", "def bar():\n    return 0\n", "python");
  assert.equal(outcome.ok, true, outcome.message);
  await until("the diff is open", () => diffTabs().length === 1);
  const rejected = await vscode.commands.executeCommand<Outcome>(REJECT, vscode.Uri.parse(outcome.proposalUri ?? ""));
  assert.equal(rejected?.ok, true, rejected?.message);
  await until("the diff is closed", () => diffTabs().length === 0);
  assert.equal(editor.document.getText(), PY);
  assert.equal(editor.document.isDirty, false);
  const again = await vscode.commands.executeCommand<Outcome>(ACCEPT, vscode.Uri.parse(outcome.proposalUri ?? ""));
  assert.equal(again?.ok, false);
  assert.match(again?.message ?? "", /already accepted, rejected or closed/);
  await closeEverything();
});

test("Apply to attached lines replaces those lines; Accept refuses once the document changed", async () => {
  await closeEverything();
  const editor = await openFile("apply-lines.py", PY);
  const outcome = await runCodeAction("apply", "def bar():\n    return -2\n", "python", { uri: editor.document.uri.toString(), startLine: 8, endLine: 9 });
  assert.equal(outcome.ok, true, outcome.message);
  await until("the diff is open", () => diffTabs().length === 1);
  const proposed = await vscode.workspace.openTextDocument(vscode.Uri.parse(outcome.proposalUri ?? ""));
  assert.equal(proposed.getText(), PY.replace("return 2", "return -2"));
  assert.match(diffTabs()[0]?.tab.label ?? "", /replaces lines 8–9/);

  const edit = new vscode.WorkspaceEdit();
  edit.insert(editor.document.uri, new vscode.Position(0, 0), "# edited meanwhile\n");
  assert.equal(await vscode.workspace.applyEdit(edit), true);
  const accepted = await vscode.commands.executeCommand<Outcome>(ACCEPT, vscode.Uri.parse(outcome.proposalUri ?? ""));
  assert.equal(accepted?.ok, false);
  assert.match(accepted?.message ?? "", /changed after the change was proposed, so it was not applied/);
  assert.equal(editor.document.getText(), `# edited meanwhile\n${PY}`);
  await vscode.commands.executeCommand(REJECT, vscode.Uri.parse(outcome.proposalUri ?? ""));
  await closeEverything();
});

test("Apply with an attached file that does not exist says so", async () => {
  const outcome = await runCodeAction("apply", "x = 1\n", "python", { uri: workspaceFile("no-such-file.py").toString() });
  assert.equal(outcome.ok, false);
  assert.match(outcome.message, /Cannot open the attached file .*no-such-file\.py/);
});

test("Accept and Reject are on the title of a proposal's diff only", () => {
  const menus = (manifest() as unknown as { contributes: { menus?: Record<string, { command: string; when?: string }[]> } }).contributes.menus ?? {};
  for (const command of [ACCEPT, REJECT]) {
    const entry = menus["editor/title"]?.find((m) => m.command === command);
    assert.ok(entry, `${command} is not in menus.editor/title`);
    assert.match(entry.when ?? "", new RegExp(`resourceScheme == '?${SCHEME}'?`));
  }
  const palette = menus["commandPalette"]?.find((m) => m.command === RUN);
  assert.equal(palette?.when, "false", `${RUN} is hidden from the command palette`);
});
