/**
 * The chat against a llama-server (built from node-llama-cpp's bundled llama.cpp, on 127.0.0.1)
 * with `selfBraking.engine: server`: the header names the server, a question streams its thinking
 * from the server, the brake fires here with its reason and the answer follows, Continue Thinking
 * resumes the thought, and Stop ends an answer on the server.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { OVERTHINKING, reasoningModelSpec } from "../../src/scripted-model/scripts";
import type { RunningLlamaServer } from "../integration/helpers/llamaServer";
import { ensureLlamaServer, serverModelSpec, startLlamaServer, writeServerModel } from "../integration/helpers/llamaServer";
import type { E2ESession } from "../harness/session";
import { EXTENSION_ID, startSession } from "../harness/session";
import { activityBarItem, REACTION_MS, SLOW_MS, statusBarItem, waitForText, webviewContent } from "../harness/workbench";
import { sessionTest } from "./helpers/sessionTest";
import { TWO_OPTION_LISTS } from "./helpers/questions";

describe("the chat with a model on a server (code-server + Chromium + llama-server)", () => {
  let session: E2ESession | undefined;
  let server: RunningLlamaServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), "self-braking-e2e-server-"));

  before(
    async () => {
      ensureLlamaServer();
      const model = writeServerModel(dir, "team-model.gguf", { spec: serverModelSpec(reasoningModelSpec(OVERTHINKING), 32_768) });
      server = await startLlamaServer({ model, contextSize: 16_384, name: "e2e" });
      session = await startSession({ userSettings: { "selfBraking.engine": "server", "selfBraking.server.url": server.url, "selfBraking.model.path": "" } });
    },
    { timeout: 30 * 60_000 },
  );

  after(async () => {
    await session?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const e2e = sessionTest(() => session, "server ");

  e2e("the header names the server; a question is braked here on the server's stream and answered", async ({ page }) => {
    await activityBarItem(page, "Self-Braking Reasoner").click({ timeout: SLOW_MS });
    const view = webviewContent(page, EXTENSION_ID);
    const port = new URL(server?.url ?? "http://x").port;
    await view.locator(".model-bar", { hasText: `server 127.0.0.1:${port}` }).waitFor({ timeout: SLOW_MS });
    const input = view.getByRole("textbox", { name: "Question" });
    await input.fill("What is 12 × 3?");
    await input.press("Enter");
    const turn = view.locator("article.turn").first();
    await turn.locator(".brake-banner strong", { hasText: /further thinking looked redundant/ }).waitFor({ timeout: SLOW_MS });
    assert.match((await turn.locator(".brake-banner .explanation").textContent()) ?? "", /overthink score \d\.\d+/);
    await turn.locator(".answer strong", { hasText: "36" }).waitFor({ timeout: REACTION_MS });
    await view.locator(".model-bar .engine-line", { hasText: `llama-server 127.0.0.1:${port}` }).waitFor({ timeout: REACTION_MS });
    await waitForText(turn.locator(".stats"), /thinking \d+ · answer \d+ · cue \d+/, REACTION_MS);
    await waitForText(statusBarItem(page, EXTENSION_ID, "selfBraking.status"), /\d+ think · \d+ answer/, REACTION_MS);
    // the brake closed the thinking stream, and the server stopped generating it
    assert.match(server?.log() ?? "", /stop: cancel task/);
  });

  e2e("Continue Thinking resumes the thought on the server, then it answers again", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    const turn = view.locator("article.turn").first();
    const before = ((await turn.locator(".stats").textContent()) ?? "").match(/thinking (\d+)/)?.[1];
    await turn.getByRole("button", { name: "Continue Thinking" }).click({ timeout: REACTION_MS });
    await waitForText(turn.locator(".brake-banner strong"), /budget|thinking budget/i, SLOW_MS);
    await turn.locator(".answer strong", { hasText: "36" }).waitFor({ timeout: SLOW_MS });
    const after = ((await waitForText(turn.locator(".stats"), /thinking \d+/, REACTION_MS)).match(/thinking (\d+)/)?.[1]);
    assert.ok(Number(after) > Number(before), `thinking ${before} → ${after}`);
  });

  e2e("Stop ends an answer on the server and the chat is ready for the next question", async ({ page }) => {
    const view = webviewContent(page, EXTENSION_ID);
    const input = view.getByRole("textbox", { name: "Question" });
    // the adaptive brake stands down on this question: the model thinks until the budget, time to press Stop
    await input.fill(TWO_OPTION_LISTS);
    await input.press("Enter");
    const turn = view.locator("article.turn").last();
    await waitForText(turn.locator("details summary"), /adaptive brake off for this question/, SLOW_MS);
    await view.getByRole("button", { name: "Stop" }).click({ timeout: REACTION_MS });
    await waitForText(turn.locator(".status-line"), /stopped/i, REACTION_MS);
    assert.equal(await turn.getAttribute("data-status"), "stopped");
    await input.fill("What is 12 × 3?");
    await input.press("Enter");
    await view.locator("article.turn").last().locator(".answer strong", { hasText: "36" }).waitFor({ timeout: SLOW_MS });
  });
});
