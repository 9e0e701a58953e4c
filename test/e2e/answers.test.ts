/**
 * A rendered answer in real VS Code (code-server + Chromium) with a real llama.cpp engine: the
 * scripted model answers with math in every delimiter kind, a boxed result, a table and two code
 * blocks. Checks the typeset math, the highlighting, each code block's toolbar and the table in
 * the browser's DOM, that the page's CSP refused nothing and KaTeX's fonts loaded, and writes
 * screenshots of the answer and the whole chat in the light, dark and high-contrast themes to
 * test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe } from "node:test";
import type { Frame, Page } from "playwright-core";
import { EXTENSION_ID } from "../harness/session";
import { RESULTS_ROOT } from "../harness/paths";
import { activityBarItem, quickInput, REACTION_MS, SLOW_MS, waitForText, webviewContent } from "../harness/workbench";
import { reasoningModelSpec, RICH_ANSWER } from "../../src/scripted-model/scripts";
import { scriptedModelSession } from "./helpers/modelSession";
import { sessionTest } from "./helpers/sessionTest";

const SCREENSHOTS = join(RESULTS_ROOT, "screenshots");
const CSP_MESSAGE = /Content Security Policy|Refused to (load|apply|execute|evaluate|frame|connect)/i;

/** The chat page's own frame (the webview's inner iframe), found by what it shows. */
async function chatFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + REACTION_MS;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.evaluate(() => document.querySelector("article.turn") !== null).catch(() => false);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error("the chat page's frame was not found");
    await page.waitForTimeout(200);
  }
}

/** Switches the color theme as a user does: Ctrl+K Ctrl+T (the theme picker), then the theme's name. */
async function setColorTheme(page: Page, label: string): Promise<void> {
  // the keys go to the workbench: focus it first (an empty spot of the editor area)
  await page.locator(".part.editor").click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+T");
  const widget = quickInput(page);
  const input = widget.locator("input.input");
  await input.waitFor({ timeout: REACTION_MS });
  await input.fill(label);
  await waitForText(widget.locator(".quick-input-list .monaco-list-row.focused .label-name").first(), label, REACTION_MS);
  await input.press("Enter");
  await widget.waitFor({ state: "hidden", timeout: REACTION_MS });
}

describe("a rendered answer: math, code blocks and a table (code-server + Chromium + llama.cpp)", () => {
  const session = scriptedModelSession("rich-answer.gguf", reasoningModelSpec(RICH_ANSWER));
  const e2e = sessionTest(session, "answers ");
  const cspViolations: string[] = [];
  const failedFonts: string[] = [];

  e2e("the answer shows typeset math, highlighted code blocks with their toolbar and a table; the CSP refuses nothing", async (s, t) => {
    const { page } = s;
    page.on("console", (message) => {
      if (CSP_MESSAGE.test(message.text())) cspViolations.push(message.text());
    });
    page.on("requestfailed", (request) => {
      if (/katex/i.test(request.url())) failedFonts.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
    });
    page.on("response", (response) => {
      if (/katex/i.test(response.url()) && response.status() >= 400) failedFonts.push(`${response.url()}: HTTP ${response.status()}`);
    });

    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    await view.getByText("rich-answer.gguf").first().waitFor({ timeout: SLOW_MS });
    const input = view.getByRole("textbox", { name: "Question" });
    await input.fill("How fast is the train? Show the math, a table and code.");
    await input.press("Enter");
    const turn = view.locator("article.turn").first();
    await turn.locator(".answer .code-block").nth(1).locator("pre > code").filter({ hasText: "return kmh;" }).waitFor({ timeout: SLOW_MS });
    await turn.and(view.locator('[data-status="done"]')).waitFor({ timeout: REACTION_MS });

    const frame = await chatFrame(page);
    // listen in the page itself too: a refused style, font or image raises securitypolicyviolation
    await frame.evaluate(() => {
      const w = window as unknown as { __cspViolations?: string[] };
      w.__cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`));
    });

    const answer = turn.locator(".answer");
    // math: one typeset formula per delimiter kind, the boxed 80 among them
    // (no named functions inside evaluate: the test's compiler wraps them in a helper the page lacks)
    const typesetText = (selector: string): Promise<string[]> =>
      answer.locator(selector).evaluateAll((els) => els.map((k) => (k.textContent ?? "").replace(/\u200b/g, "")));
    const inline = await typesetText("span.math-inline .katex-html");
    const boxed = await typesetText(".math-inline:has(.fbox) .katex-html");
    const math = await answer.evaluate((root) => {
      return {
        formulas: root.querySelectorAll(".katex").length,
        displayBlocks: root.querySelectorAll("div.math-display .katex-display").length,
        displayInline: root.querySelectorAll("span.math-display .katex-display").length,
        // the text outside the formulas and the code (KaTeX's MathML keeps the TeX as an annotation)
        rawDelimiters: (() => {
          const copy = root.cloneNode(true) as Element;
          for (const el of copy.querySelectorAll(".katex, .code-block")) el.remove();
          return /\$|\\\(|\\\[|\\boxed/.test(copy.textContent ?? "");
        })(),
        katexFont: getComputedStyle(root.querySelector(".katex") as Element).fontFamily,
      };
    });
    t.diagnostic(`math: ${JSON.stringify({ ...math, inline, boxed })}`);
    assert.equal(math.formulas, 5, "$$…$$, $…$, \\(…\\), \\[…\\] and \\boxed{80}");
    assert.equal(math.displayBlocks, 1, "the $$ line is a display block");
    assert.equal(math.displayInline, 1, "\\[c=d\\] inside the paragraph is display math");
    assert.deepEqual(inline, ["x2", "a+b", "80"]);
    assert.deepEqual(boxed, ["80"]);
    assert.equal(math.rawDelimiters, false, "no delimiter is left as text");
    assert.match(math.katexFont, /KaTeX_Main/, "KaTeX's stylesheet applies");

    // code blocks: highlighted, each with its toolbar of four buttons, the code exactly as fenced
    const blocks = answer.locator(".code-block");
    assert.equal(await blocks.count(), 2);
    const expected = [
      { lang: "python", first: "def speed(distance_km: float, hours: float) -> float:", lines: 3 },
      { lang: "typescript", first: "export function speed(distanceKm: number, hours: number): number {", lines: 4 },
    ];
    for (const [i, want] of expected.entries()) {
      const block = blocks.nth(i);
      assert.equal(await block.getAttribute("data-lang"), want.lang);
      assert.equal(await block.locator(".code-toolbar > .code-lang").textContent(), want.lang);
      const buttons = block.locator('.code-toolbar > button[type="button"][data-action="codeAction"]');
      assert.deepEqual(await buttons.evaluateAll((els) => els.map((b) => [b.getAttribute("data-code-action"), b.textContent])), [
        ["copy", "Copy"],
        ["insert", "Insert"],
        ["apply", "Apply"],
        ["newFile", "New File"],
      ]);
      const code = block.locator("pre > code");
      assert.equal(await code.getAttribute("class"), `hljs language-${want.lang}`);
      const text = (await code.textContent()) ?? "";
      assert.equal(text.split("\n")[0], want.first);
      assert.equal(text.split("\n").length, want.lines, "no final newline");
      assert.ok((await code.locator(".hljs-keyword").count()) >= 2, `${want.lang}: keywords highlighted`);
      const keywordColor = await code.locator(".hljs-keyword").first().evaluate((el) => getComputedStyle(el).color);
      const plainColor = await code.evaluate((el) => getComputedStyle(el).color);
      assert.notEqual(keywordColor, plainColor, `${want.lang}: keywords are coloured`);
    }

    // the table
    const table = answer.locator("table");
    assert.deepEqual(await table.locator("th").allTextContents(), ["Quantity", "Value"]);
    assert.deepEqual(await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent))), [
      ["distance", "120 km"],
      ["time", "1.5 h"],
      ["speed", "80 km/h"],
    ]);
    assert.equal(await table.locator("td.align-right").count(), 3);

    // the thinking (plain text) typesets its formula too
    assert.equal(await turn.locator(".thinking-text .katex").count(), 1, "the formula in the thinking");

    // KaTeX's fonts: loaded from the extension, none failed
    await frame.evaluate(() => document.fonts.ready.then(() => undefined));
    const fonts = await frame.evaluate(() => [...document.fonts].filter((f) => f.family.includes("KaTeX")).map((f) => `${f.family} ${f.style} ${f.weight}: ${f.status}`));
    t.diagnostic(`KaTeX font faces loaded: ${fonts.filter((f) => f.endsWith(": loaded")).join(", ")}`);
    assert.ok(fonts.some((f) => /^"?KaTeX_Main"? normal (400|normal): loaded$/.test(f)), `KaTeX_Main loaded: ${fonts.join("; ")}`);
    assert.deepEqual(fonts.filter((f) => f.endsWith(": error")), [], "no KaTeX font failed to load");
    assert.deepEqual(failedFonts, [], "no KaTeX request failed");

    const pageViolations = await frame.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    assert.deepEqual([...cspViolations, ...pageViolations], [], "no CSP violation");
  });

  e2e("screenshots of the answer and the whole chat in the light, dark and high-contrast themes", async (s, t) => {
    const view = webviewContent(s.page, EXTENSION_ID);
    const turn = view.locator("article.turn").first();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // a wider sidebar shows more of the answer: drag the sash between the sidebar and the editor
    const sidebar = await s.page.locator(".part.sidebar").boundingBox();
    if (sidebar) {
      const x = sidebar.x + sidebar.width + 1;
      const y = sidebar.y + sidebar.height / 2;
      await s.page.mouse.move(x, y);
      await s.page.mouse.down();
      await s.page.mouse.move(x + 260, y, { steps: 8 });
      await s.page.mouse.up();
    }
    for (const [theme, bodyClass, file] of [
      ["Light Modern", "vscode-light", "answer-light.png"],
      ["Dark Modern", "vscode-dark", "answer-dark.png"],
      ["Dark High Contrast", "vscode-high-contrast", "answer-high-contrast.png"],
    ] as const) {
      await setColorTheme(s.page, theme);
      await view.locator(`body.${bodyClass}`).waitFor({ timeout: REACTION_MS });
      // no hover tooltip over the answer; the theme's variables arrive with the class, give the page a moment to restyle
      await s.page.mouse.move(900, 850);
      await s.page.waitForTimeout(500);
      const path = join(SCREENSHOTS, file);
      await turn.locator(".answer").screenshot({ path });
      // the whole chat too: model bar, brake controls, conversation menu, the turn, the composer
      const whole = join(SCREENSHOTS, file.replace(/^answer-/, "chat-"));
      await s.page.locator(".part.sidebar").screenshot({ path: whole });
      t.diagnostic(`${theme}: ${path}, ${whole}`);
    }
    assert.deepEqual(cspViolations, [], "no CSP violation while the theme changed");
  });
});
