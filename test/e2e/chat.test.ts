/**
 * The chat in real VS Code with a real llama.cpp engine: the packaged extension runs the
 * scripted demo GGUF (generated here; it replays a transcript that keeps double-checking itself),
 * the thinking streams into the sidebar, the brake fires, the answer follows, and the
 * conversation survives a reload.
 */
import assert from "node:assert/strict";
import { describe } from "node:test";
import { EXTENSION_ID } from "../harness/session";
import { scriptedModelSession } from "./helpers/modelSession";
import { sessionTest } from "./helpers/sessionTest";
import { TWO_OPTION_LISTS } from "./helpers/questions";
import { activityBarItem, REACTION_MS, SLOW_MS, statusBarItem, waitForText, webviewContent } from "../harness/workbench";
import { DEMO, reasoningModelSpec } from "../../src/scripted-model/scripts";

const CONTAINER_TITLE = "Self-Braking Reasoner";

describe("asking the demo model in the chat view (code-server + Chromium + llama.cpp)", () => {
  // a context large enough that a question without the adaptive brake thinks for several seconds
  // before the budget ends it (at ~1,000 tokens/s a 4k context leaves under 3 s to press Stop)
  const session = scriptedModelSession("demo-reasoner.gguf", reasoningModelSpec(DEMO), { "selfBraking.model.contextSize": 16384 });

  const e2e = sessionTest(session, "chat ");

  e2e("the chat view shows the configured model and the brake controls", async ({ page }) => {
    await activityBarItem(page, CONTAINER_TITLE).click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByText("demo-reasoner.gguf").first().waitFor({ timeout: SLOW_MS });
    assert.equal(await view.locator("select[data-control=brakeMode]").inputValue(), "adaptive");
    const slider = view.locator("input[data-control=threshold]");
    assert.equal(await slider.inputValue(), "0.2");
    // the slider spans the setting's whole range (0–1)
    assert.deepEqual([await slider.getAttribute("min"), await slider.getAttribute("max")], ["0", "1"]);
    const input = view.getByRole("textbox", { name: "Question" });
    // a question of nothing but spaces and line breaks is not sent (no turn appears below)
    await input.fill("   \n\t  ");
    await input.press("Enter");
    // a question over the limit stays in the box with a note, instead of vanishing
    await input.fill("x".repeat(100_001));
    await input.press("Enter");
    await view.locator(".composer-note", { hasText: "100,001 characters long; the limit is 100,000" }).waitFor({ timeout: REACTION_MS });
    assert.equal((await input.inputValue()).length, 100_001);
    assert.equal(await view.locator("article.turn").count(), 0);
    await input.fill("");
    assert.equal(await view.locator(".composer-note").isHidden(), true);
  });

  e2e("a question streams thinking, the brake fires with its reason, and the answer follows", async ({ page }, t) => {
    const view = webviewContent(page, EXTENSION_ID);
    const started = Date.now();
    const input = view.getByRole("textbox", { name: "Question" });
    await input.fill("How fast is the train?");
    await input.press("Enter");

    const turn = view.locator("article.turn").first();
    await turn.locator(".question", { hasText: "How fast is the train?" }).waitFor({ timeout: REACTION_MS });
    // Loading the model in the engine process, then the scripted thinking and the brake.
    // The thinking block folds once the answer starts: the marker is in the DOM, not necessarily visible.
    await turn.locator(".brake-marker").waitFor({ state: "attached", timeout: SLOW_MS });
    await turn.locator(".brake-banner strong", { hasText: /further thinking looked redundant/ }).waitFor({ timeout: REACTION_MS });
    // what was kept, measured; the saving only as a labelled estimate (never the budget left), its basis in the tooltip
    const saving = turn.locator(".brake-banner .saving");
    await waitForText(saving, /^kept \d+ thinking tokens · est\. ~\d+ more avoided \(median of recorded traces\)$/, SLOW_MS);
    assert.match((await saving.getAttribute("title")) ?? "", /^The brake kept \d+ thinking tokens \(measured\)\. Estimate, not a measurement: on \d+ recorded traces/);
    assert.doesNotMatch((await turn.locator(".brake-banner").textContent()) ?? "", /up to|saved/);
    const explanation = (await turn.locator(".brake-banner .explanation").textContent()) ?? "";
    assert.match(explanation, /overthink score \d\.\d+/);
    assert.match(explanation, /80 km\/h/);
    assert.match((await turn.locator(".thinking-text .cue").textContent()) ?? "", /No need to continue thinking/);

    // The answer is rendered markdown (bold), and the turn ends with its token accounting.
    await turn.locator(".answer strong", { hasText: "80 km/h" }).waitFor({ timeout: REACTION_MS });
    await waitForText(turn.locator(".stats"), /thinking \d+ · answer \d+ · cue \d+ · est\. ~\d+ avoided/, REACTION_MS);
    assert.equal(await turn.getAttribute("data-status"), "done");
    await turn.getByRole("button", { name: "Continue Thinking" }).waitFor({ timeout: REACTION_MS });
    const status = statusBarItem(page, EXTENSION_ID, "selfBraking.status");
    await waitForText(status, /\d+ think · \d+ answer · est\. ~\d+ avoided$/, REACTION_MS);
    // The engine reported what it loaded.
    await view.locator(".model-bar .engine-line", { hasText: /CPU · context \d+ · 1 thread/ }).waitFor({ timeout: REACTION_MS });
    await view.locator(".model-bar .badge", { hasText: "scripted demo" }).waitFor({ timeout: REACTION_MS });
    t.diagnostic(`question to braked answer in the browser: ${((Date.now() - started) / 1000).toFixed(1)} s (includes engine start and model load)`);
  });

  e2e("the conversation survives a reload of the window", async ({ page }) => {
    await page.reload();
    await page.locator(".monaco-workbench").waitFor({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    const turn = view.locator("article.turn").first();
    await turn.locator(".question", { hasText: "How fast is the train?" }).waitFor({ timeout: SLOW_MS });
    await turn.locator(".answer strong", { hasText: "80 km/h" }).waitFor({ timeout: REACTION_MS });
  });

  e2e("New Chat clears the conversation", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByRole("button", { name: "New Chat" }).click({ timeout: REACTION_MS });
    await view.locator(".empty", { hasText: /Ask a question/ }).waitFor({ timeout: REACTION_MS });
    assert.equal(await view.locator("article.turn").count(), 0);
  });

  e2e("a question with two option lists says the adaptive brake is off, and Stop ends it", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    const input = view.getByRole("textbox", { name: "Question" });
    await input.fill(TWO_OPTION_LISTS);
    await input.press("Enter");
    const turn = view.locator("article.turn").first();
    const summary = turn.locator("details summary");
    await waitForText(summary, /adaptive brake off for this question/, SLOW_MS);
    assert.match((await summary.getAttribute("title")) ?? "", /lists its options twice/);
    await view.getByRole("button", { name: "Stop" }).click({ timeout: REACTION_MS });
    await waitForText(turn.locator(".status-line"), /stopped/i, REACTION_MS);
    assert.equal(await turn.getAttribute("data-status"), "stopped");
    assert.equal(await turn.locator(".brake-marker").count(), 0);
  });

  e2e("Answer Now is the user's call: the banner says so and no saving is claimed", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    const input = view.getByRole("textbox", { name: "Question" });
    // the adaptive brake stands down on this question, so the model thinks until asked to answer
    await input.fill(TWO_OPTION_LISTS);
    await input.press("Enter");
    const turn = view.locator("article.turn").last();
    await waitForText(turn.locator("details summary"), /adaptive brake off for this question/, SLOW_MS);
    await view.getByRole("button", { name: "Answer Now" }).click({ timeout: REACTION_MS });
    const headline = turn.locator(".brake-banner strong");
    await waitForText(headline, /^You asked for the answer after \d+ thinking tokens$/, REACTION_MS);
    assert.match((await headline.getAttribute("title")) ?? "", /no saving is credited to the brake/);
    await waitForText(turn.locator(".stats"), /thinking \d+ · answer \d+/, SLOW_MS);
    assert.equal(await turn.locator(".brake-banner .saving").count(), 0);
    assert.doesNotMatch(`${await turn.locator(".brake-banner").textContent()} ${await turn.locator(".stats").textContent()}`, /avoided|saved|Braked/);
    const status = statusBarItem(page, EXTENSION_ID, "selfBraking.status");
    await waitForText(status, /\d+ think · \d+ answer$/, REACTION_MS);
  });
});
