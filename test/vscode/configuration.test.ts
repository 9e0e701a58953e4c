import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activated, manifest } from "./extension";
import { test } from "./harness";

test("every contributed setting reads its declared default", async () => {
  await activated();
  const properties = manifest().contributes.configuration.properties;
  const keys = Object.keys(properties);
  assert.ok(keys.length > 0, "package.json contributes no settings");
  const configuration = vscode.workspace.getConfiguration();
  for (const key of keys) {
    assert.ok(key.startsWith("selfBraking."), `${key} is outside the selfBraking namespace`);
    assert.deepEqual(configuration.inspect(key)?.defaultValue, properties[key]?.default, key);
  }
});

test("a changed setting is read back, and an invalid one does not break the extension", async () => {
  const extension = await activated();
  const section = vscode.workspace.getConfiguration("selfBraking");
  try {
    await section.update("brake.threshold", 0.35, vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration("selfBraking").get("brake.threshold"), 0.35);
    // Out of bounds: the extension reports it and falls back to the default; it must keep working.
    await section.update("brake.threshold", 7, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand("selfBraking.showLog");
    assert.equal(extension.isActive, true);
  } finally {
    await section.update("brake.threshold", undefined, vscode.ConfigurationTarget.Global);
  }
});
