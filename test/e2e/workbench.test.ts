/**
 * The packaged extension in real VS Code (code-server 4.100.3 = VS Code 1.100.3), driven through
 * Debian's Chromium as a user would: workbench, activity bar, chat view, command palette.
 * Tests run in order on one session; a failure saves a screenshot, code-server's log and the
 * browser console under test-results/e2e/.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { buildScriptedModel } from "../../src/scripted-model/scriptedModel";
import { reasoningModelSpec, SELF_ENDING } from "../../src/scripted-model/scripts";
import type { E2ESession } from "../harness/session";
import { EXTENSION_ID, startSession } from "../harness/session";
import { sessionTest } from "./helpers/sessionTest";
import { activityBarItem, quickInput, REACTION_MS, runCommandFromPalette, SLOW_MS, statusBarItem, waitForText, webviewContent } from "../harness/workbench";

const CONTAINER_TITLE = "Self-Braking Reasoner";
const STATUS_ITEM_ID = "selfBraking.status";

describe("Self-Braking Reasoner in VS Code (code-server + Chromium)", () => {
  let session: E2ESession | undefined;

  before(async () => {
    // First use installs code-server (minutes); later runs start in well under a minute.
    session = await startSession();
  }, { timeout: 30 * 60_000 });

  after(async () => {
    await session?.close();
  });

  const e2e = sessionTest(() => session);

  e2e("the workbench loads", async ({ page, timings }, t) => {
    assert.ok(await page.locator(".monaco-workbench").isVisible());
    t.diagnostic(
      `code-server start incl. .vsix install ${(timings.codeServer ?? 0) / 1000} s · ` +
        `browser ${(timings.browser ?? 0) / 1000} s · workbench ready ${(timings.workbench ?? 0) / 1000} s`,
    );
  });

  e2e("the activity bar shows the Self-Braking Reasoner icon", async ({ page }) => {
    // It appears once the extension host has read our manifest.
    await activityBarItem(page, CONTAINER_TITLE).waitFor({ timeout: SLOW_MS });
  });

  e2e("the chat view opens and shows the first-run state", async ({ page }) => {
    await activityBarItem(page, CONTAINER_TITLE).click();
    const view = webviewContent(page, EXTENSION_ID);
    const choose = view.getByRole("button", { name: /choose.*gguf/i });
    await choose.waitFor({ timeout: SLOW_MS });
    await view.getByText(/no model/i).first().waitFor({ timeout: REACTION_MS });
    await waitForText(statusBarItem(page, EXTENSION_ID, STATUS_ITEM_ID), /no model/i, REACTION_MS);
  });

  e2e("Self-Braking: Show Log runs from the command palette and shows the activation time", async ({ page }, t) => {
    await runCommandFromPalette(page, "Self-Braking: Show Log");
    // The Output view is an editor: its lines are `.view-line` elements, spaces rendered as U+00A0.
    const activated = /Activated\s+in\s+[\d.]+\s+ms/;
    const line = page.locator(".part.panel .monaco-editor .view-line", { hasText: activated }).first();
    await line.waitFor({ state: "attached", timeout: REACTION_MS });
    t.diagnostic(`extension ${(activated.exec((await line.textContent()) ?? "")?.[0] ?? "").replace(/\s+/g, " ")}`);
  });

  e2e("Self-Braking: Choose Model File… refuses a file that is not a usable GGUF, says why and offers another choice", async ({ page, workspace }) => {
    writeFileSync(join(workspace, "download-error.gguf"), "<!DOCTYPE html><html><body>Rate limit exceeded</body></html>");
    await runCommandFromPalette(page, "Self-Braking: Choose Model File…");
    const dialog = quickInput(page);
    await dialog.locator(".quick-input-title", { hasText: /gguf/i }).waitFor({ timeout: REACTION_MS });
    await dialog.locator(".quick-input-list .monaco-list-row", { hasText: "download-error.gguf" }).click({ timeout: REACTION_MS });
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "This file cannot be used as a model" });
    await toast.waitFor({ timeout: REACTION_MS });
    assert.match((await toast.textContent()) ?? "", /not a GGUF model.*text file/);
    await toast.getByRole("button", { name: "Choose Another…" }).waitFor({ timeout: REACTION_MS });
    await toast.getByRole("button", { name: "Open Settings" }).waitFor({ timeout: REACTION_MS });
    // Not stored: the view still asks for a model.
    await webviewContent(page, EXTENSION_ID).getByText("No model configured").waitFor({ timeout: REACTION_MS });
    await toast.getByRole("button", { name: "Choose Another…" }).click();
    await dialog.locator(".quick-input-title", { hasText: /gguf/i }).waitFor({ timeout: REACTION_MS });
    await page.keyboard.press("Escape");
  });

  e2e("Self-Braking: Choose Model File… from the palette sets the model; view and status bar follow", async ({ page, workspace }) => {
    // A real (scripted) GGUF: the file's header is checked when it is chosen; nothing loads it in this test.
    writeFileSync(join(workspace, "placeholder.gguf"), buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
    await runCommandFromPalette(page, "Self-Braking: Choose Model File…");
    const dialog = quickInput(page);
    await dialog.locator(".quick-input-title", { hasText: /gguf/i }).waitFor({ timeout: REACTION_MS });
    // VS Code's own file dialog (a quick pick), opened on the workspace folder: pick the file.
    await dialog.locator(".quick-input-list .monaco-list-row", { hasText: "placeholder.gguf" }).click({ timeout: REACTION_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByText("placeholder.gguf").first().waitFor({ timeout: REACTION_MS });
    await waitForText(statusBarItem(page, EXTENSION_ID, STATUS_ITEM_ID), /^(?!.*no model).*Self-Braking/i, REACTION_MS);
  });
});
