/**
 * Driving VS Code's workbench in the browser: waits on real conditions (an element, a text),
 * never on fixed sleeps. Timeouts are generous: a loaded 2-core machine is slow to start VS Code.
 */
import type { FrameLocator, Locator, Page } from "playwright-core";

/** Long enough for a cold workbench and extension host on a busy 2-core machine. */
export const SLOW_MS = 180_000;
/** For a reaction to an action in a running workbench. */
export const REACTION_MS = 60_000;

/** Loads the workbench and resolves when it has rendered. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { timeout: SLOW_MS });
  await page.locator(".monaco-workbench").waitFor({ timeout: SLOW_MS });
}

/** An activity-bar entry: its `aria-label` is the view container's title. */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar a.action-label[aria-label="${title}"]`);
}

/** A status-bar item contributed by an extension: its element id is `<extension id>.<item id>`. */
export function statusBarItem(page: Page, extensionId: string, itemId: string): Locator {
  return page.locator(`.statusbar-item[id="${extensionId}.${itemId}"]`);
}

/**
 * The document inside an extension's webview: VS Code nests it in two iframes, the outer one
 * carrying the extension id in its URL. `index` picks among several open webviews of that extension.
 */
export function webviewContent(page: Page, extensionId: string, index = 0): FrameLocator {
  return page.frameLocator(`iframe.webview[src*="extensionId=${extensionId}"]`).nth(index).frameLocator("#active-frame");
}

/** The quick-input widget (command palette, pickers, the simple file dialog). */
export function quickInput(page: Page): Locator {
  return page.locator(".quick-input-widget");
}

/** Runs a command by its palette title ("Category: Title"), exactly as a user would. */
export async function runCommandFromPalette(page: Page, title: string): Promise<void> {
  const widget = quickInput(page);
  // Webviews forward keybindings to the workbench, so this works wherever the focus is.
  await page.keyboard.press("Control+Shift+P");
  const input = widget.locator("input.input");
  await input.waitFor({ timeout: REACTION_MS });
  await input.fill(`>${title}`);
  // Enter only once the first row is exactly our command (filtering is asynchronous).
  const firstLabel = widget.locator(".quick-input-list .monaco-list-row").first().locator(".label-name");
  await waitForText(firstLabel, title, REACTION_MS);
  await input.press("Enter");
}

/** Waits until a locator's text content equals (string) or matches (RegExp) `expected`. */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    last = ((await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null)) ?? "").trim();
    if (typeof expected === "string" ? last === expected : expected.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${String(locator)} to read ${String(expected)}; last read ${JSON.stringify(last)}`);
    await locator.page().waitForTimeout(200);
  }
}
