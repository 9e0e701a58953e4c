/**
 * A code question in real VS Code with a real llama.cpp engine: the scripted model drafts a
 * function, traces it, and keeps writing it out again; the brake fires once the same code is
 * restated, and the banner says so in code terms.
 */
import assert from "node:assert/strict";
import { describe } from "node:test";
import { EXTENSION_ID } from "../harness/session";
import { activityBarItem, REACTION_MS, SLOW_MS, webviewContent } from "../harness/workbench";
import { CODE_OVERTHINKING, reasoningModelSpec } from "../../src/scripted-model/scripts";
import { scriptedModelSession } from "./helpers/modelSession";
import { sessionTest } from "./helpers/sessionTest";

describe("a code question in the chat view (code-server + Chromium + llama.cpp)", () => {
  const session = scriptedModelSession("code-reasoner.gguf", reasoningModelSpec(CODE_OVERTHINKING));
  const e2e = sessionTest(session, "code ");

  e2e("is braked once the drafted function is written out again, and the banner explains it in code terms", async ({ page }) => {
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByText("code-reasoner.gguf").first().waitFor({ timeout: SLOW_MS });
    const input = view.getByRole("textbox", { name: "Question" });
    await input.fill("Write a Python function that merges two sorted lists into one sorted list.");
    await input.press("Enter");
    const turn = view.locator("article.turn").first();
    await turn.locator(".brake-banner strong", { hasText: /further thinking looked redundant/ }).waitFor({ timeout: SLOW_MS });
    const explanation = (await turn.locator(".brake-banner .explanation").textContent()) ?? "";
    assert.match(explanation, /the code `merge` was drafted in step 3 and confirmed \d× since \(written out again unchanged, or traced on an example\)/);
    await turn.locator(".answer", { hasText: "def merge(a, b):" }).waitFor({ timeout: REACTION_MS });
    assert.equal(await turn.getAttribute("data-status"), "done");
  });
});
