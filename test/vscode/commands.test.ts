import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activated, manifest } from "./extension";
import { note, test } from "./harness";

const NAMESPACE = "selfBraking.";

/** Commands VS Code itself registers for a contributed view (`<view id>.focus`, …), not ours to contribute. */
function isViewCommand(command: string): boolean {
  const views = Object.values(manifest().contributes.views ?? {}).flat();
  return views.some((view) => command.startsWith(`${view.id}.`));
}

async function ourRegisteredCommands(): Promise<string[]> {
  await activated();
  const all = await vscode.commands.getCommands(true);
  return all.filter((command) => command.startsWith(NAMESPACE) && !isViewCommand(command));
}

test("every contributed command is registered at activation", async () => {
  const registered = new Set(await ourRegisteredCommands());
  const contributed = manifest().contributes.commands.map((c) => c.command);
  assert.ok(contributed.length > 0, "package.json contributes no commands");
  assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], "contributed but not registered");
});

test("every registered command is contributed", async () => {
  const contributed = new Set(manifest().contributes.commands.map((c) => c.command));
  assert.deepEqual((await ourRegisteredCommands()).filter((c) => !contributed.has(c)), [], "registered but not contributed");
});

test("every contributed command has the Self-Braking category", () => {
  const uncategorised = manifest().contributes.commands.filter((c) => c.category !== "Self-Braking").map((c) => c.command);
  assert.deepEqual(uncategorised, []);
});

test("Open Settings opens the Settings editor", async () => {
  await activated();
  await vscode.commands.executeCommand("selfBraking.openSettings");
  const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
  assert.equal(label, "Settings");
  await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
});

/** Output-view documents (scheme `output`) that hold our log: the Output view has a model for a channel once it shows it. */
function ourLogDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((doc) => doc.uri.scheme === "output" && /Activated in [\d.]+ ms/.test(doc.getText()));
}

test("Show Log opens the Output view on our log (with the activation line)", async () => {
  await activated();
  assert.deepEqual(ourLogDocuments().map((d) => d.uri.toString()), [], "the log is not showing before the command");
  await vscode.commands.executeCommand("selfBraking.showLog");
  const deadline = Date.now() + 15_000;
  while (ourLogDocuments().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const shown = ourLogDocuments();
  const outputs = vscode.workspace.textDocuments.filter((doc) => doc.uri.scheme === "output").map((doc) => doc.uri.toString());
  assert.equal(shown.length, 1, `no Output document holds our log; output documents open: ${outputs.join(", ") || "none"}`);
  note(`the log shows as ${shown[0]?.uri.toString()}`);
});
