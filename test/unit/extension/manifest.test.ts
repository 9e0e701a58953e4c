import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { CHAT_VIEW_ID, COMMAND_IDS, GENERATING_CONTEXT_KEY } from "../../../src/extension/commandIds";

interface Manifest {
  engines: Record<string, string>;
  categories: string[];
  main: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string; icon: string }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; type: string }[]>;
    menus: { "view/title": { command: string; when: string }[] };
    keybindings: { command: string; when: string }[];
  };
}
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;

describe("package.json contributions", () => {
  it("contributes exactly the commands the extension registers, each with category and icon", () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND_IDS).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, "Self-Braking", c.command);
      assert.match(c.icon, /^\$\([a-z-]+\)$/, c.command);
    }
  });

  it("has an activity-bar container with its own icon holding the chat webview view", () => {
    const [container] = manifest.contributes.viewsContainers.activitybar;
    assert.ok(container);
    assert.equal(container.title, "Self-Braking Reasoner");
    assert.ok(readFileSync(container.icon, "utf8").includes("<svg"));
    assert.deepEqual(manifest.contributes.views[container.id]?.map((v) => [v.id, v.type]), [[CHAT_VIEW_ID, "webview"]]);
  });

  it("scopes the Stop keybinding and the generating-only menu entries by the generating context key", () => {
    const stop = manifest.contributes.keybindings.filter((k) => k.command === COMMAND_IDS.stop);
    assert.ok(stop.length > 0);
    for (const k of stop) assert.match(k.when, new RegExp(GENERATING_CONTEXT_KEY.replace(".", "\\.")));
    const menu = manifest.contributes.menus["view/title"];
    for (const entry of menu) assert.match(entry.when, new RegExp(`view == ${CHAT_VIEW_ID.replace(".", "\\.")}`));
    assert.ok(menu.filter((m) => m.command === COMMAND_IDS.stop).every((m) => m.when.includes(GENERATING_CONTEXT_KEY)));
    for (const entry of menu) assert.ok(Object.values(COMMAND_IDS).includes(entry.command as never), entry.command);
  });

  it("targets VS Code 1.100 and Node 20, category AI, bundled main", () => {
    assert.equal(manifest.engines["vscode"], "^1.100.0");
    assert.equal(manifest.engines["node"], ">=20");
    assert.deepEqual(manifest.categories, ["AI"]);
    assert.equal(manifest.main, "./dist/extension.js");
  });
});
