/**
 * Getting a model without leaving VS Code: the picker lists a model found on this machine (here in
 * the download folder), choosing it loads it at once (the status bar says where), and a model
 * downloaded from a server (a local one on 127.0.0.1) is selected and then listed too.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { buildScriptedModel } from "../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../src/scripted-model/scripts";
import type { E2ESession } from "../harness/session";
import { EXTENSION_ID, startSession } from "../harness/session";
import { activityBarItem, quickInput, REACTION_MS, SLOW_MS, statusBarItem, waitForText, webviewContent } from "../harness/workbench";
import { sessionTest } from "./helpers/sessionTest";

describe("getting a model in the editor (code-server + Chromium + llama.cpp)", () => {
  let session: E2ESession | undefined;
  let server: Server | undefined;
  let url = "";
  const folder = mkdtempSync(join(tmpdir(), "self-braking-e2e-downloads-"));
  const served = buildScriptedModel(reasoningModelSpec(OVERTHINKING)).gguf;

  before(
    async () => {
      writeFileSync(join(folder, "found-model.gguf"), buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
      server = createServer((request, response) => {
        if (request.url !== "/served-model.gguf") {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { "content-length": served.length, "content-type": "application/octet-stream" }).end(Buffer.from(served));
      });
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/served-model.gguf`;
      session = await startSession({
        userSettings: { "selfBraking.model.path": "", "selfBraking.model.downloadFolder": folder, "selfBraking.model.gpu": "cpu", "selfBraking.model.threads": 1 },
      });
    },
    { timeout: 30 * 60_000 },
  );

  after(async () => {
    await session?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  const e2e = sessionTest(() => session, "models ");
  const rows = (page: E2ESession["page"]) => quickInput(page).locator(".quick-input-list .monaco-list-row");

  e2e("the first-run page leads to the picker, which lists the model found on this machine; choosing it loads it", async ({ page }) => {
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByRole("button", { name: "Select a Model…" }).click({ timeout: SLOW_MS });
    const found = rows(page).filter({ hasText: "scripted-self-ending" });
    await found.first().waitFor({ timeout: REACTION_MS });
    assert.match((await found.first().textContent()) ?? "", /downloaded here/);
    assert.ok((await rows(page).filter({ hasText: "DeepSeek" }).count()) > 0, "the catalogue is listed too");
    await found.first().click();
    await view.getByText("found-model.gguf").first().waitFor({ timeout: SLOW_MS });
    // loaded at once, before any question: the status bar says where
    await waitForText(statusBarItem(page, EXTENSION_ID, "selfBraking.status"), /Self-Braking · CPU/, SLOW_MS);
    await view.locator(".engine-line", { hasText: /CPU · context \d+ · 1 thread/ }).waitFor({ timeout: REACTION_MS });
  });

  e2e("a download from a server (the picker's Download from a URL…) is selected, loaded and then listed", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByRole("button", { name: "Switch…" }).click({ timeout: REACTION_MS });
    const input = quickInput(page).locator("input.input");
    // the list is long (and virtualised): filter it as a user would
    await rows(page).filter({ hasText: "scripted-self-ending" }).first().waitFor({ timeout: REACTION_MS });
    await input.fill("Download from a URL");
    await rows(page).filter({ hasText: "Download from a URL" }).first().waitFor({ timeout: REACTION_MS });
    await input.press("Enter");
    await waitForText(quickInput(page).locator(".quick-input-title"), "Download a GGUF model", REACTION_MS);
    await input.fill(url);
    await input.press("Enter");
    await view.getByText("served-model.gguf").first().waitFor({ timeout: SLOW_MS });
    await waitForText(statusBarItem(page, EXTENSION_ID, "selfBraking.status"), /Self-Braking · CPU/, SLOW_MS);
    await view.getByRole("button", { name: "Switch…" }).click({ timeout: REACTION_MS });
    const listed = rows(page).filter({ hasText: "scripted-overthinking" });
    await listed.first().waitFor({ timeout: REACTION_MS });
    assert.match((await listed.first().textContent()) ?? "", /downloaded here/);
    assert.equal(await listed.first().locator(".codicon-check").count(), 1, "the current model is marked");
    await page.keyboard.press("Escape");
  });
});
