/**
 * Working with code and conversations in real VS Code with a real llama.cpp engine: code from the
 * editor goes with a question (Ask About Selection from the editor's context menu, Attach Current
 * File), the answer's code block goes back into the editor (Insert, Apply, New File, Copy), turns
 * are regenerated and edited, several conversations are kept, Escape stops an answer, and the chat
 * opens in an editor tab that VS Code restores after a reload. The scripted model drafts a Python
 * `merge` function and answers with it in a ```python block. Tests run in order on one session.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe } from "node:test";
import type { FrameLocator, Locator, Page } from "playwright-core";
import { EXTENSION_ID } from "../harness/session";
import { RESULTS_ROOT } from "../harness/paths";
import { activityBarItem, quickInput, REACTION_MS, runCommandFromPalette, SLOW_MS, waitForText } from "../harness/workbench";
import { CODE_OVERTHINKING, reasoningModelSpec } from "../../src/scripted-model/scripts";
import { scriptedModelSession } from "./helpers/modelSession";
import { TWO_OPTION_LISTS } from "./helpers/questions";
import { sessionTest } from "./helpers/sessionTest";

const MODEL_FILE = "conversation-reasoner.gguf";
/** The chat's editor tab's webview type (src/extension/commandIds.ts). */
const FIRST_QUESTION = "Write a Python function that merges two sorted lists into one sorted list.";
const EDITED_QUESTION = "Write a Python function that merges two sorted lists of integers into one sorted list.";
const SECOND_CHAT_QUESTION = "In Python, write a function that merges two sorted lists into one sorted list.";
/** Lines 1–3 of test/harness/sample-workspace/merge.py, the selection the first question is about. */
const MERGE_PY_LINES_1_3 = 'def merge(a, b):\n    """Merge two sorted lists into one sorted list."""\n    return sorted(a + b)';
const SCREENSHOTS = join(RESULTS_ROOT, "screenshots");

/** The chat in the sidebar view (its webview iframe is marked `purpose=webviewView`). */
function sidebarChat(page: Page): FrameLocator {
  return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"][src*="purpose=webviewView"]`).first().frameLocator("#active-frame");
}

/** The chat opened as an editor tab (a webview panel: no `purpose` in its iframe's URL). */
function editorTabChat(page: Page): FrameLocator {
  return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]:not([src*="purpose="])`).first().frameLocator("#active-frame");
}

function activeGroup(page: Page): Locator {
  return page.locator(".part.editor .editor-group-container.active");
}

/** The active editor group's active tab, once its label matches. */
async function waitForActiveTab(page: Page, label: string | RegExp): Promise<void> {
  await activeGroup(page).locator(".tabs-container .tab.active", { hasText: label }).waitFor({ timeout: REACTION_MS });
}

/**
 * The text an editor shows: its rendered lines in order (Monaco positions them absolutely, spaces
 * are U+00A0). Only lines on screen are rendered: enough for the short documents here.
 */
async function editorText(viewLines: Locator): Promise<string> {
  return viewLines.evaluate((el) =>
    Array.from(el.querySelectorAll<HTMLElement>(".view-line"))
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? "").replace(/\u00a0/g, " "))
      .join("\n"),
  );
}

/** The (single, non-diff) text editor of the active group. */
function activeEditorLines(page: Page): Locator {
  return activeGroup(page).locator(".editor-instance .monaco-editor .view-lines").first();
}

/** Polls `read` until `accept` holds; the error shows the last value read. */
async function waitForValue<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, page: Page): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last read ${JSON.stringify(last)}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    }
    await page.waitForTimeout(200);
  }
}

/** Quick Open (Ctrl+P) a workspace file by name, as a user would. */
async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press("Control+P");
  const input = quickInput(page).locator("input.input");
  await input.waitFor({ timeout: REACTION_MS });
  await input.fill(fileName);
  await waitForText(quickInput(page).locator(".quick-input-list .monaco-list-row").first().locator(".label-name"), fileName, REACTION_MS);
  await input.press("Enter");
  await waitForActiveTab(page, fileName);
}

async function hasFocus(element: Locator): Promise<boolean> {
  // in a shadow root (VS Code's menus), the document's active element is the shadow host
  return element.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement);
}

async function screenshot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe("code and conversations in the chat (code-server + Chromium + llama.cpp)", () => {
  // a context long enough for the whole thinking budget (8192 tokens, seconds here): time to press Escape while it thinks
  const session = scriptedModelSession(MODEL_FILE, { ...reasoningModelSpec(CODE_OVERTHINKING), contextLength: 16384 });
  const e2e = sessionTest(session, "conversation ");
  /** The python block of the (first) conversation's answer. */
  const answerCode = (page: Page): Locator => sidebarChat(page).locator("article.turn").first().locator('.answer .code-block[data-lang="python"]').first();

  e2e("Ask About Selection from the editor's context menu attaches the lines, and Show Prompt shows them sent with the question", async ({ page }) => {
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const chat = sidebarChat(page);
    await chat.getByText(MODEL_FILE).first().waitFor({ timeout: SLOW_MS });

    await quickOpen(page, "merge.py");
    const lines = activeEditorLines(page);
    await lines.locator(".view-line", { hasText: "def merge(a, b):" }).waitFor({ timeout: REACTION_MS });
    // select lines 1–3 exactly (the cursor at the end of line 3)
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+End");
    // right-click inside the selection (on "def"), so that the click keeps it
    await lines.locator(".view-line", { hasText: "def merge(a, b):" }).click({ button: "right", position: { x: 12, y: 8 } });
    // (a click right after the menu opens is sometimes dropped by the menu: hovered, the item has the focus, Enter runs it)
    const menuItem = page.getByRole("menuitem", { name: /Ask About Selection/ });
    await menuItem.hover({ timeout: REACTION_MS });
    await waitForValue("the menu item to have the focus", () => hasFocus(menuItem), (focused) => focused, REACTION_MS, page);
    await page.keyboard.press("Enter");

    const chip = chat.locator(".composer .attachments .chip");
    await waitForText(chip.locator(".chip-open"), "merge.py", REACTION_MS);
    assert.match((await chip.locator(".chip-detail").textContent()) ?? "", /^lines 1–3 · ~\d+ tokens$/);
    assert.equal(await chip.count(), 1);
    // the question box has the keyboard focus: what is typed now goes there
    const input = chat.getByRole("textbox", { name: "Question" });
    await waitForValue("the question box to have the focus", () => hasFocus(input), (focused) => focused, REACTION_MS, page);
    await page.keyboard.type(FIRST_QUESTION);
    assert.equal(await input.inputValue(), FIRST_QUESTION);
    await screenshot(page.locator(".part.sidebar"), "conversation-1-chip-before-sending");
    await page.keyboard.press("Enter");

    const turn = chat.locator("article.turn").first();
    await turn.locator(".question", { hasText: FIRST_QUESTION }).waitFor({ timeout: REACTION_MS });
    const turnChip = turn.locator(".turn-attachments .chip");
    await waitForText(turnChip.locator(".chip-open"), "merge.py", REACTION_MS);
    assert.match((await turnChip.locator(".chip-detail").textContent()) ?? "", /^lines 1–3 · ~\d+ tokens$/);
    // the attachment went with the question: the composer has none left
    await chip.waitFor({ state: "detached", timeout: REACTION_MS });
    assert.equal(await turnChip.locator(".chip-remove").count(), 0, "a sent question's attachment cannot be removed");

    await chat.locator('article.turn[data-status="done"]').first().waitFor({ timeout: SLOW_MS });
    await turn.locator(".answer", { hasText: "def merge(a, b):" }).waitFor({ timeout: REACTION_MS });
    await waitForText(turn.locator("details.thinking > summary"), /^Thought for (?:<0\.1|\d+(?:\.\d)?) s · [\d.]+k? tokens\b/, REACTION_MS);
    await screenshot(page.locator(".part.sidebar"), "conversation-2-answer-with-code-toolbar");

    await turn.locator(".turn-actions button[data-action=showPrompt]").click({ timeout: REACTION_MS });
    await waitForActiveTab(page, /Untitled-\d+/);
    const prompt = await waitForValue("the prompt document to show the attached code and the question", () => editorText(activeEditorLines(page)), (text) => text.includes(FIRST_QUESTION), REACTION_MS, page);
    assert.ok(prompt.includes("merge.py (lines 1–3):"), prompt);
    assert.ok(prompt.includes(`\`\`\`python\n${MERGE_PY_LINES_1_3}\n\`\`\``), prompt);
    // the code comes before the question
    assert.ok(prompt.indexOf("merge.py (lines 1–3):") < prompt.indexOf(FIRST_QUESTION), prompt);
  });

  e2e("Attach Current File attaches the whole file as a chip, and ✕ removes it", async ({ page }) => {
    const chat = sidebarChat(page);
    await quickOpen(page, "merge.py");
    await chat.getByRole("button", { name: "Attach Current File" }).click({ timeout: REACTION_MS });
    const chip = chat.locator(".composer .attachments .chip");
    await waitForText(chip.locator(".chip-open"), "merge.py", REACTION_MS);
    assert.match((await chip.locator(".chip-detail").textContent()) ?? "", /^whole file · ~\d+ tokens$/);
    await screenshot(page.locator(".part.sidebar"), "conversation-3-whole-file-chip");
    await chip.locator(".chip-remove").click({ timeout: REACTION_MS });
    await chip.waitFor({ state: "detached", timeout: REACTION_MS });
    assert.equal(await chat.locator(".composer .attachments").isHidden(), true);
  });

  e2e("Insert puts the answer's code at the cursor of the last active editor", async ({ page }) => {
    await quickOpen(page, "merge.py");
    const lines = activeEditorLines(page);
    await lines.click();
    await page.keyboard.press("Control+End");
    const before = await editorText(lines);
    assert.ok(before.startsWith(MERGE_PY_LINES_1_3), before);
    const block = answerCode(page);
    const code = (await block.locator("pre > code").textContent()) ?? "";
    assert.match(code, /^def merge\(a, b\):\n {4}out = \[\]/);

    await block.scrollIntoViewIfNeeded();
    await screenshot(block, "conversation-2b-code-block");
    await block.locator(".code-toolbar button[data-code-action=insert]").click({ timeout: REACTION_MS });
    const after = await waitForValue("merge.py to contain the inserted code", () => editorText(activeEditorLines(page)), (text) => text !== before, REACTION_MS, page);
    assert.equal(after, before + code);
    await waitForActiveTab(page, "merge.py");
  });

  e2e("Apply shows the proposal in a diff, and Accept makes the document the proposal", async ({ page }) => {
    const block = answerCode(page);
    await block.locator(".code-toolbar button[data-code-action=apply]").click({ timeout: REACTION_MS });
    const diff = activeGroup(page).locator(".monaco-diff-editor");
    await diff.waitFor({ timeout: REACTION_MS });
    await waitForActiveTab(page, /merge\.py ↔ Proposed/);
    const proposed = await waitForValue(
      "the diff's proposed side to show the answer's code",
      () => editorText(diff.locator(".editor.modified .view-lines")),
      (text) => text.includes("out.append(a[i])"),
      REACTION_MS,
      page,
    );
    // Accept and Reject on the diff's title too
    await activeGroup(page).locator('.action-label[aria-label*="Accept Proposed Change"]').waitFor({ timeout: REACTION_MS });
    await activeGroup(page).locator('.action-label[aria-label*="Reject Proposed Change"]').waitFor({ timeout: REACTION_MS });
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "Proposed change to merge.py" });
    await toast.waitFor({ timeout: REACTION_MS });
    await screenshot(page, "conversation-4-apply-diff");
    await toast.getByRole("button", { name: "Accept" }).click({ timeout: REACTION_MS });

    await diff.waitFor({ state: "detached", timeout: REACTION_MS });
    await waitForActiveTab(page, "merge.py");
    const accepted = await waitForValue("merge.py to be the proposal", () => editorText(activeEditorLines(page)), (text) => text === proposed, REACTION_MS, page);
    assert.equal(accepted, proposed);
  });

  e2e("New File opens the code in an untitled Python editor", async ({ page }) => {
    const block = answerCode(page);
    const code = (await block.locator("pre > code").textContent()) ?? "";
    const untitledBefore = await page.locator(".tabs-container .tab", { hasText: /Untitled-\d+/ }).count();
    await block.locator(".code-toolbar button[data-code-action=newFile]").click({ timeout: REACTION_MS });
    await waitForValue("a new untitled tab", () => page.locator(".tabs-container .tab", { hasText: /Untitled-\d+/ }).count(), (n) => n === untitledBefore + 1, REACTION_MS, page);
    await waitForActiveTab(page, /Untitled-\d+/);
    const text = await waitForValue("the new editor to show the code", () => editorText(activeEditorLines(page)), (t) => t === code, REACTION_MS, page);
    assert.equal(text, code);
    await waitForText(page.locator('.statusbar-item[id="status.editor.mode"]'), "Python", REACTION_MS);
  });

  e2e("Copy puts the code on the clipboard", async ({ page }, t) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
    const block = answerCode(page);
    const code = (await block.locator("pre > code").textContent()) ?? "";
    await page.evaluate(() => navigator.clipboard.writeText("(not copied yet)")).catch((error: unknown) => t.diagnostic(`could not clear the clipboard: ${String(error)}`));
    await block.locator(".code-toolbar button[data-code-action=copy]").click({ timeout: REACTION_MS });
    // VS Code confirms in the status bar, and the browser's clipboard has the code
    await page.locator(".statusbar", { hasText: `Copied ${code.split("\n").length} lines to the clipboard` }).waitFor({ timeout: REACTION_MS });
    const copied = await waitForValue("the clipboard to hold the code", () => page.evaluate(() => navigator.clipboard.readText()), (text) => text === code, REACTION_MS, page);
    assert.equal(copied, code);
  });

  e2e("Regenerate answers the same question again in place; Edit and Resend asks the edited question", async ({ page }) => {
    const chat = sidebarChat(page);
    const turns = chat.locator("article.turn");
    assert.equal(await turns.count(), 1);
    const oldId = await turns.first().getAttribute("data-turn-id");
    await turns.first().locator(".turn-actions button[data-action=regenerate]").click({ timeout: REACTION_MS });
    await chat.locator(`article.turn[data-turn-id="${oldId}"]`).waitFor({ state: "detached", timeout: REACTION_MS });
    await chat.locator('article.turn[data-status="done"]').first().waitFor({ timeout: SLOW_MS });
    assert.equal(await turns.count(), 1);
    const regenerated = turns.first();
    assert.equal(await regenerated.locator(".question").textContent(), FIRST_QUESTION);
    await regenerated.locator(".answer", { hasText: "def merge(a, b):" }).waitFor({ timeout: REACTION_MS });
    // the code it was asked with goes again
    assert.match((await regenerated.locator(".turn-attachments .chip").textContent()) ?? "", /merge\.py.*lines 1–3/);

    await regenerated.locator(".turn-actions button[data-action=editQuestion]").click({ timeout: REACTION_MS });
    const editor = regenerated.locator("textarea.edit-question");
    await editor.waitFor({ timeout: REACTION_MS });
    assert.equal(await editor.inputValue(), FIRST_QUESTION);
    assert.equal(await hasFocus(editor), true);
    // checked at the end, so that a failure here does not hide how Resend behaves
    const actionsHiddenWhileEditing = await regenerated.locator(".turn-actions").isHidden();
    await regenerated.getByRole("button", { name: "Resend" }).waitFor({ timeout: REACTION_MS });
    await regenerated.getByRole("button", { name: "Cancel" }).waitFor({ timeout: REACTION_MS });
    await editor.fill(EDITED_QUESTION);
    await editor.press("Enter");
    const edited = turns.first();
    await edited.locator(".question", { hasText: EDITED_QUESTION }).waitFor({ timeout: REACTION_MS });
    await chat.locator('article.turn[data-status="done"]').first().waitFor({ timeout: SLOW_MS });
    assert.equal(await turns.count(), 1);
    assert.equal(await edited.locator(".question").textContent(), EDITED_QUESTION);
    await edited.locator(".turn-actions button[data-action=editQuestion]").waitFor({ timeout: REACTION_MS });
    assert.equal(actionsHiddenWhileEditing, true, "Regenerate / Edit / Show Prompt are hidden while the question is being edited");
  });

  e2e("New Chat starts a second conversation; the conversation menu lists both and switches back", async ({ page }) => {
    const chat = sidebarChat(page);
    const menu = chat.locator("select[data-control=conversation]");
    await chat.getByRole("button", { name: "New Chat" }).click({ timeout: REACTION_MS });
    await chat.locator(".empty", { hasText: /Ask a question/ }).waitFor({ timeout: REACTION_MS });
    assert.equal(await chat.locator("article.turn").count(), 0);
    const input = chat.getByRole("textbox", { name: "Question" });
    await input.fill(SECOND_CHAT_QUESTION);
    await input.press("Enter");
    await chat.locator("article.turn .question", { hasText: SECOND_CHAT_QUESTION }).waitFor({ timeout: REACTION_MS });
    await chat.locator('article.turn[data-status="done"]').first().waitFor({ timeout: SLOW_MS });

    const options = menu.locator("option");
    await waitForValue("two conversations in the menu", () => options.count(), (n) => n === 2, REACTION_MS, page);
    const labels = await options.allTextContents();
    const first = labels.find((label) => label.startsWith("Write a Python function"));
    assert.ok(first, `the first conversation is listed by its first question: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((label) => label.startsWith("In Python, write a function")), JSON.stringify(labels));
    assert.match(first, /\(1\)$/, "with its turn count");
    await chat.getByRole("button", { name: "Rename" }).waitFor({ timeout: REACTION_MS });
    await chat.getByRole("button", { name: "Delete" }).waitFor({ timeout: REACTION_MS });
    await screenshot(page.locator(".part.sidebar"), "conversation-5-conversation-menu");

    await menu.selectOption({ label: first });
    await chat.locator("article.turn .question", { hasText: EDITED_QUESTION }).waitFor({ timeout: REACTION_MS });
    await chat.locator("article.turn .question", { hasText: SECOND_CHAT_QUESTION }).waitFor({ state: "detached", timeout: REACTION_MS });
    assert.equal(await chat.locator("article.turn").count(), 1);
    assert.equal(await menu.locator("option:checked").textContent(), first);
  });

  e2e("Escape in the conversation stops a running answer and puts the cursor in the question box", async ({ page }) => {
    const chat = sidebarChat(page);
    const input = chat.getByRole("textbox", { name: "Question" });
    const turns = chat.locator("article.turn");
    const before = await turns.count();
    // the adaptive brake stands down on a question that lists its options twice: it thinks on until stopped
    await input.fill(TWO_OPTION_LISTS);
    await input.press("Enter");
    const turn = turns.nth(before);
    const summary = turn.locator("details.thinking > summary");
    await waitForText(summary, /^Thinking \d+(\.\d)? s · [\d.]+k? tokens · .*adaptive brake off for this question/, SLOW_MS);
    assert.equal(await turn.getAttribute("data-status"), "thinking");
    const onScreen = await turn.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const view = (el.closest(".conversation") ?? el).getBoundingClientRect();
      return box.top < view.bottom && box.bottom > view.top;
    });
    assert.ok(onScreen, "the question just sent is scrolled into view");
    await screenshot(page.locator(".part.sidebar"), "conversation-6-thinking");
    // the focus in the conversation, away from the question box
    await turns.first().locator(".question").click();
    assert.equal(await hasFocus(input), false);
    await page.keyboard.press("Escape");
    await waitForText(turn.locator(".status-line"), /^Stopped\./, REACTION_MS);
    assert.equal(await turn.getAttribute("data-status"), "stopped");
    await waitForValue("the question box to have the focus", () => hasFocus(input), (focused) => focused, REACTION_MS, page);
    await waitForText(summary, /^Thought for (?:<0\.1|\d+(?:\.\d)?) s · [\d.]+k? tokens\b/, REACTION_MS);
  });

  e2e("Open in Editor shows the same conversation in an editor tab, and VS Code restores it after a reload", async ({ page }, t) => {
    const sidebar = sidebarChat(page);
    const questions = await sidebar.locator("article.turn .question").allTextContents();
    assert.deepEqual(questions, [EDITED_QUESTION, TWO_OPTION_LISTS]);
    await sidebar.getByRole("button", { name: "Open in Editor" }).click({ timeout: REACTION_MS });
    await waitForActiveTab(page, "Self-Braking Chat");
    const tab = editorTabChat(page);
    await tab.locator("article.turn .question", { hasText: EDITED_QUESTION }).waitFor({ timeout: SLOW_MS });
    assert.deepEqual(await tab.locator("article.turn .question").allTextContents(), questions);
    assert.equal(await tab.locator("select[data-control=conversation] option").count(), 2);
    await screenshot(page, "conversation-7-chat-in-editor-tab");

    // Reload as a user does, with Developer: Reload Window: VS Code in the browser writes its layout
    // to IndexedDB only now and then, but flushes it before a reload it runs itself (a browser
    // reload right after opening the tab can lose the tab, whatever the extension does)
    const reloading = Date.now();
    const reloaded = page.waitForEvent("load", { timeout: SLOW_MS });
    await runCommandFromPalette(page, "Developer: Reload Window");
    await reloaded;
    await page.locator(".monaco-workbench").waitFor({ timeout: SLOW_MS });
    await page.locator(".tabs-container .tab", { hasText: "Self-Braking Chat" }).waitFor({ timeout: SLOW_MS });
    const restored = editorTabChat(page);
    await restored.locator("article.turn .question", { hasText: EDITED_QUESTION }).waitFor({ timeout: SLOW_MS });
    assert.deepEqual(await restored.locator("article.turn .question").allTextContents(), questions);
    await restored.locator("article.turn").first().locator(".answer", { hasText: "def merge(a, b):" }).waitFor({ timeout: REACTION_MS });
    t.diagnostic(`reload to the restored chat tab: ${((Date.now() - reloading) / 1000).toFixed(1)} s`);
    await screenshot(page, "conversation-8-restored-after-reload");
  });
});
