/** The CLI's commands with `--server URL` against a real llama-server: ask, calibrate and bench. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { RunningLlamaServer } from "../helpers/llamaServer";
import { ensureLlamaServer, serverModelSpec, startLlamaServer } from "../helpers/llamaServer";
import { makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

let models: ModelDir;
let server: RunningLlamaServer;
let problems = "";

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 240_000, env: { ...process.env, SELF_BRAKING_API_KEY: "cli-key-9" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  ensureLlamaServer();
  models = makeModels();
  const model = models.write("cli-server.gguf", serverModelSpec(reasoningModelSpec(OVERTHINKING), 8192));
  server = await startLlamaServer({ model, contextSize: 4096, apiKey: "cli-key-9", name: "cli" });
  problems = join(models.dir, "two.jsonl");
  writeFileSync(problems, [{ id: "a", question: "What is 12 × 3?", answer: "36" }, { id: "b", question: "Three dozen?", answer: "36" }].map((p) => JSON.stringify(p)).join("\n") + "\n");
});

after(async () => {
  await server?.stop();
  models?.cleanup();
});

describe("the CLI with --server (llama-server, key from SELF_BRAKING_API_KEY)", () => {
  it("ask: braked here, answered by the server", () => {
    const r = cli("ask", "--server", server.url, "--json", "What is 12 × 3?");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { brakeReason: string | null; answer: string; reEvaluatedTokens: number };
    assert.equal(out.brakeReason, "overthinking");
    assert.equal(out.answer, OVERTHINKING.answer);
    assert.ok(out.reEvaluatedTokens <= 1);
    assert.doesNotMatch(r.stdout + r.stderr, /cli-key-9/);
  });

  it("calibrate: records through the server, recommends, and confirms live", () => {
    const r = cli("calibrate", "--server", server.url, "--set", problems, "--recordings", join(models.dir, "rec"), "--confirm", "2", "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { model: string; report: { problems: number; noBrake: { correct: number }; recommended: unknown }; confirmation: { problems: number; liveCorrect: number } | null };
    assert.equal(out.report.problems, 2);
    assert.equal(out.report.noBrake.correct, 2);
    assert.ok(out.report.recommended);
    assert.equal(out.confirmation?.liveCorrect, 2);
    assert.match(out.model, /^http:\/\/127\.0\.0\.1:\d+/);
  });

  it("bench: the variants a server can run", () => {
    const r = cli("bench", "--server", server.url, "--dataset", problems, "--variants", "off,brake,budget", "--json");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { variants: Array<{ variant: string; accuracy: number; thinkingTokens: { mean: number } }> };
    const byName = Object.fromEntries(out.variants.map((v) => [v.variant, v]));
    assert.ok(byName.brake && byName.off && byName.budget, JSON.stringify(Object.keys(byName)));
    assert.ok(byName.brake.thinkingTokens.mean < byName.off.thinkingTokens.mean, "the brake thinks less than no brake");
  });
});
