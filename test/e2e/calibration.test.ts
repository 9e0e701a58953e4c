/**
 * Calibrating the brake on the user's own model in real VS Code: from the command palette, on the
 * user's own problems (a JSONL file picked in the file dialog), with a scripted model that states
 * 36, re-checks it several times and then closes its thinking. The report opens with the chart and
 * the table; "Use for …" keeps the recommendation as the model's own settings (the chat's controls
 * show them), and the next braked answer's saving rests on the calibration.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe } from "node:test";
import type { ReasoningScript } from "../../src/scripted-model/scripts";
import { CHECKS_THEN_ENDS as SCRIPTED_CHECKS, reasoningModelSpec } from "../../src/scripted-model/scripts";
import { EXTENSION_ID } from "../harness/session";
import { REPO_ROOT } from "../harness/paths";
import { activityBarItem, quickInput, REACTION_MS, runCommandFromPalette, SLOW_MS, statusBarItem, waitForText, webviewContent } from "../harness/workbench";
import { scriptedModelSession } from "./helpers/modelSession";
import { sessionTest } from "./helpers/sessionTest";

/** The extension's output channel as code-server wrote it (the newest session's log). */
function extensionLog(userDataDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.includes("Self-Braking Reasoner")) files.push(path);
    }
  };
  walk(join(userDataDir, "logs"));
  return files.flatMap((f) => readFileSync(f, "utf8").split("\n"));
}

/** The shared script with one more check, so that a brake saves more. */
const CHECKS_THEN_ENDS: ReasoningScript = {
  ...SCRIPTED_CHECKS,
  thinking: SCRIPTED_CHECKS.thinking.replace("I am confident", "Let me also check with addition: 36 = 12 + 12 + 12. Correct.\n\nI am confident"),
};

const PROBLEMS = [
  { id: "dozens", question: "What is 12 × 3?", answer: "36" },
  { id: "three-dozen", question: "How many eggs are in three dozen?", answer: "36" },
  { id: "sides", question: "A square has sides of 9 cm. What is its perimeter in cm?", answer: "36" },
  { id: "squares", question: "What is 6 squared?", answer: "36" },
  { id: "hours", question: "How many hours are in a day and a half, minus 0?", answer: "36" },
  { id: "wrong", question: "What is 5 × 7?", answer: "35" },
];

describe("calibrating the brake on the user's model (code-server + Chromium + llama.cpp)", () => {
  const session = scriptedModelSession("checks-then-ends.gguf", reasoningModelSpec(CHECKS_THEN_ENDS));
  const e2e = sessionTest(session, "calibration ");

  e2e("calibrate from the palette on my own problems: progress, then the report with the chart and the table", async ({ page, workspace, codeServer }, t) => {
    const problems = join(workspace, "calibration-problems.jsonl");
    writeFileSync(problems, `${PROBLEMS.map((p) => JSON.stringify(p)).join("\n")}\n`);
    // the chat view first, so that the report is the second webview of the extension
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const chat = webviewContent(page, EXTENSION_ID, 0);
    await chat.getByText("checks-then-ends.gguf").first().waitFor({ timeout: SLOW_MS });
    assert.equal(await chat.locator("input[data-control=threshold]").inputValue(), "0.2");

    const started = Date.now();
    await runCommandFromPalette(page, "Self-Braking: Calibrate the Brake for This Model…");
    const widget = quickInput(page);
    const input = widget.locator("input.input");
    await widget.locator(".quick-input-list .monaco-list-row", { hasText: "My own problems…" }).click({ timeout: REACTION_MS });
    // the simple file dialog (it starts with a folder's path in the box): type the path
    for (let i = 0; i < 100 && !(await input.inputValue()).startsWith("/"); i++) await page.waitForTimeout(100);
    await input.fill(problems);
    await input.press("Enter");
    await widget.locator(".quick-input-list .monaco-list-row", { hasText: "Quick: 10 problems per set" }).click({ timeout: REACTION_MS });

    // progress in a notification, then the recommendation
    await page.locator(".notifications-toasts", { hasText: /Calibrating the brake for checks-then-ends\.gguf/ }).waitFor({ timeout: SLOW_MS });
    const done = page.locator(".notifications-toasts .notification-list-item", { hasText: /Calibration recommends threshold 0\.\d\d/ });
    await done.waitFor({ timeout: 4 * 60_000 });
    t.diagnostic(`calibration (6 problems recorded, 6 confirmed live): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const line of extensionLog(codeServer.userDataDir).filter((l) => /Calibrat/.test(l))) t.diagnostic(line);
    assert.match((await done.textContent()) ?? "", /Confirmed: live with threshold 0\.\d\d, 5 of 6 right \(5 without the brake\)/);

    const report = webviewContent(page, EXTENSION_ID, 1);
    await report.locator("h1", { hasText: "Brake calibration: checks-then-ends.gguf" }).waitFor({ timeout: SLOW_MS });
    const heading = (await report.locator(".recommendation h2").textContent()) ?? "";
    const label = /Recommended: (threshold 0\.\d\d)/.exec(heading)?.[1];
    assert.ok(label, heading);
    // the chart draws the table: one point per row, the recommended one ringed, same numbers
    const rows = report.locator("table").first().locator("tbody tr");
    const points = report.locator("svg.frontier-chart g.point");
    assert.equal(await points.count(), await rows.count());
    assert.ok((await rows.count()) >= 4, "no brake, thresholds and a fixed budget");
    const recommendedRow = report.locator("tbody tr.recommended");
    assert.equal(await recommendedRow.locator("th").textContent(), label);
    const accuracy = ((await recommendedRow.locator("td").first().textContent()) ?? "").split(" %")[0];
    assert.match((await report.locator("svg.frontier-chart g.point.highlighted title").textContent()) ?? "", new RegExp(`^${label.replace(".", "\\.")}: ${accuracy?.replace(".", "\\.")} %`));
    await report.locator(".confirmation", { hasText: /Confirmed: live/ }).waitFor({ timeout: REACTION_MS });
    // the time axis
    await report.getByRole("button", { name: "Time (estimated)" }).click({ timeout: REACTION_MS });
    await waitForText(report.locator("svg.frontier-chart text.chart-label").first(), "estimated mean seconds", REACTION_MS);

    const shots = join(REPO_ROOT, "test-results", "screenshots");
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "calibration-report.png") });

    // keep it for this model: the page says so and the chat's controls show the model's own values
    await report.getByRole("button", { name: "Use for checks-then-ends.gguf" }).click({ timeout: REACTION_MS });
    await report.locator(".applied", { hasText: "In use for checks-then-ends.gguf." }).waitFor({ timeout: REACTION_MS });
    const threshold = label.replace("threshold ", "");
    // (clicking the activity bar item of a shown sidebar would hide it)
    if (!(await page.locator(".part.sidebar").isVisible())) await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const slider = chat.locator("input[data-control=threshold]");
    for (let i = 0; i < 50 && (await slider.inputValue()) !== String(Number(threshold)); i++) await page.waitForTimeout(100);
    assert.equal(await slider.inputValue(), String(Number(threshold)));
    await chat.locator(".model-settings", { hasText: /threshold/ }).waitFor({ timeout: REACTION_MS });
  });

  e2e("the next braked answer's saving rests on the calibration, in the banner and the status bar", async ({ page }) => {
    const chat = webviewContent(page, EXTENSION_ID, 0);
    const input = chat.getByRole("textbox", { name: "Question" });
    await input.fill("What is 12 × 3?");
    await input.press("Enter");
    const turn = chat.locator("article.turn").last();
    const saving = turn.locator(".brake-banner .saving");
    await waitForText(saving, /^kept \d+ thinking tokens · est\. ~\d+ more avoided \(calibrated on this model\)$/, SLOW_MS);
    assert.match((await saving.getAttribute("title")) ?? "", /on \d+ calibration questions on checks-then-ends\.gguf/);
    await waitForText(statusBarItem(page, EXTENSION_ID, "selfBraking.status"), /\d+ think · \d+ answer · est\. ~\d+ avoided \(calibrated\)$/, SLOW_MS);
  });

  e2e("Show Calibration Report reopens the last report for this model", async ({ page }) => {
    await page.locator(".tabs-container .tab", { hasText: "Brake Calibration" }).locator(".codicon-close").click({ timeout: REACTION_MS });
    assert.equal(await page.locator("iframe.webview").count(), 1, "the report is closed");
    // the palette, typed as a user would (its first row is matched by text: the label is split by highlights)
    await page.keyboard.press("Control+Shift+P");
    const input = quickInput(page).locator("input.input");
    await input.fill(">Self-Braking: Show Calibration Report");
    await quickInput(page).locator(".quick-input-list .monaco-list-row", { hasText: "Self-Braking: Show Calibration Report" }).first().waitFor({ timeout: REACTION_MS });
    await input.press("Enter");
    const report = webviewContent(page, EXTENSION_ID, 1);
    await report.locator("h1", { hasText: "Brake calibration: checks-then-ends.gguf" }).waitFor({ timeout: SLOW_MS });
    await report.locator(".applied", { hasText: "In use for checks-then-ends.gguf." }).waitFor({ timeout: REACTION_MS });
  });
});
