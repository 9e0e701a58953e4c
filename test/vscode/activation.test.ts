import assert from "node:assert/strict";
import * as vscode from "vscode";
import { EXTENSION_ID, ourExtension } from "./extension";
import { note, test } from "./harness";

test("the extension is installed from the .vsix and activates", async () => {
  const extension = ourExtension();
  const started = performance.now();
  await extension.activate();
  note(`activate() resolved after ${(performance.now() - started).toFixed(0)} ms (activation event: onStartupFinished; may already have run)`);
  assert.equal(extension.isActive, true);
  assert.equal(extension.id, EXTENSION_ID);
});

test("it runs in VS Code 1.100 or later, in a Node.js extension host", () => {
  const [major, minor] = vscode.version.split(".").map(Number);
  assert.ok(major === 1 && (minor ?? 0) >= 100, `VS Code ${vscode.version}`);
  assert.equal(ourExtension().extensionKind, vscode.ExtensionKind.Workspace);
  note(`VS Code ${vscode.version}, Node ${process.versions.node}`);
});
