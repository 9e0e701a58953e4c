/**
 * The chat's history across a reload in real VS Code: a question being answered and one waiting
 * in the queue both come back after the window reloads (marked interrupted / not asked), and
 * Ask Again sends one again. A slow scripted model (wide zero-weight layers, ~14 tokens/s on one
 * thread here) keeps the first answer running long enough to reload in the middle of it.
 */
import assert from "node:assert/strict";
import { describe } from "node:test";
import { EXTENSION_ID } from "../harness/session";
import { scriptedModelSession } from "./helpers/modelSession";
import { activityBarItem, REACTION_MS, SLOW_MS, waitForText, webviewContent } from "../harness/workbench";
import { DEMO, reasoningModelSpec } from "../../src/scripted-model/scripts";
import { TRAIN_QUESTION, TWO_OPTION_LISTS } from "./helpers/questions";
import { sessionTest } from "./helpers/sessionTest";

describe("the chat history across a reload (code-server + Chromium + llama.cpp)", () => {
  const session = scriptedModelSession("slow-demo-reasoner.gguf", { ...reasoningModelSpec(DEMO), contextLength: 16384, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 2048 } }, {
    // bounds the interrupted answer (it goes on in the old window's engine after the reload)
    "selfBraking.brake.maxThinkingTokens": 1000,
  });

  const e2e = sessionTest(session, "history ");

  e2e("a reload mid-answer keeps the question (interrupted) and the queue (not asked); Ask Again sends one again", async ({ page }) => {
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByText("slow-demo-reasoner.gguf").first().waitFor({ timeout: SLOW_MS });
    const input = view.getByRole("textbox", { name: "Question" });
    const turns = view.locator("article.turn");
    await input.fill(TWO_OPTION_LISTS);
    await input.press("Enter");
    await input.fill(TRAIN_QUESTION);
    await input.press("Enter");
    await waitForText(turns.nth(1).locator(".status-line"), /^Queued \(#1\)/, REACTION_MS);
    // The engine starts and loads the model (seconds) before the first answer streams. (The
    // workspace state reaches the browser's storage shortly after each save; a reload within a
    // fraction of a second of the last save could lose that save: VS Code's storage, not ours.)
    await waitForText(turns.nth(0).locator("details summary"), /adaptive brake off for this question/, SLOW_MS);
    assert.equal(await turns.nth(0).getAttribute("data-status"), "thinking", "still answering the first question when the window reloads");

    await page.reload();
    await page.locator(".monaco-workbench").waitFor({ timeout: SLOW_MS });
    const restored = webviewContent(page, EXTENSION_ID).locator("article.turn");
    const interrupted = restored.nth(0);
    const notAsked = restored.nth(1);
    await waitForText(interrupted.locator(".status-line"), /^Interrupted: VS Code was closed or reloaded while this answer was being generated/, SLOW_MS);
    assert.equal(await interrupted.locator(".question").textContent(), TWO_OPTION_LISTS);
    await waitForText(notAsked.locator(".status-line"), /^Not asked: VS Code was closed or reloaded while this question waited its turn/, REACTION_MS);
    assert.equal(await notAsked.locator(".question").textContent(), TRAIN_QUESTION);
    assert.equal(await restored.count(), 2);
    assert.deepEqual([await interrupted.getAttribute("data-status"), await notAsked.getAttribute("data-status")], ["error", "error"]);

    await notAsked.getByRole("button", { name: "Ask Again" }).click({ timeout: REACTION_MS });
    const again = restored.nth(2);
    await again.locator(".question", { hasText: TRAIN_QUESTION }).waitFor({ timeout: REACTION_MS });
    await again.locator(".answer strong", { hasText: "80 km/h" }).waitFor({ timeout: SLOW_MS });
    // the turn it was asked again from stays as it was
    await waitForText(notAsked.locator(".status-line"), /^Not asked/, REACTION_MS);
  });
  e2e("a long pasted question shows how far its prompt is read, and Stop ends it within moments", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    const input = view.getByRole("textbox", { name: "Question" });
    const turns = view.locator("article.turn");
    const before = await turns.count();
    // About 6,000 prompt tokens for the slow model: seconds of reading, shown as it goes.
    await input.fill(`Please read this carefully before answering. ${"The quick brown fox jumps over the lazy dog. ".repeat(130)}`);
    await input.press("Enter");
    const turn = turns.nth(before);
    await turn.locator(".question", { hasText: "Please read this carefully" }).waitFor({ timeout: REACTION_MS });
    await waitForText(turn.locator(".status-line"), /^Reading the prompt… \d+ % \([\d.k]+ of [\d.k]+ tokens\)/, SLOW_MS);
    await view.getByRole("button", { name: "Stop" }).click({ timeout: REACTION_MS });
    await waitForText(turn.locator(".status-line"), /^Stopped\./, REACTION_MS);
    assert.equal(await turn.getAttribute("data-status"), "stopped");
  });
});
