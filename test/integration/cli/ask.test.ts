/** `self-braking ask` and `self-braking demo-model`, run as a user would (from source, through tsx). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

let dir: string;
let demo: string;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "self-braking-cli-"));
  demo = join(dir, "demo.gguf");
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe("self-braking CLI", () => {
  it("writes the scripted demo model, labelled as such", () => {
    const r = cli("demo-model", demo);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(demo) && statSync(demo).size > 100_000);
    assert.match(r.stdout, /scripted demo model.*not a language model/);
  });

  it("answers with --json: braked, accounted, nothing re-evaluated", () => {
    const r = cli("ask", "--model", demo, "--json", "--gpu", "cpu", "--temperature", "0", "How fast is the train?");
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1, "one JSON object and nothing else on stdout");
    const out = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    assert.equal(out.braked, true);
    assert.equal(out.brakeReason, "overthinking");
    assert.equal(out.reEvaluatedTokens, 0);
    assert.ok(Number(out.thinkingTokens) > 0 && Number(out.answerTokens) > 0 && Number(out.cueTokens) > 0);
    assert.match(String(out.answer), /80 km\/h/);
  });

  it("streams thinking, the brake line and the answer, then the accounting", () => {
    const r = cli("ask", "--model", demo, "--mode", "budget", "--max-thinking", "20", "--gpu", "cpu", "How fast?");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Thinking:\n/);
    assert.match(r.stdout, /── brake \(budget\) ── Thinking budget reached/);
    assert.match(r.stdout, /Answer:\nThe train's speed is \*\*80 km\/h\*\*/);
    assert.match(r.stdout, /tokens: .*0 re-evaluated/);
    assert.match(r.stderr, /scripted demo model, not a language model/);
    assert.ok(!r.stdout.includes("\u001b["), "no colours when not on a terminal");
  });

  it("says once when the adaptive brake stands down for a question, and the budget still brakes", () => {
    const question = "Which speed is right?\nA) 60 km/h\nB) 80 km/h\nC) 90 km/h\nThe options are:\nA: 45 km/h\nB: 80 km/h";
    const r = cli("ask", "--model", demo, "--max-thinking", "200", "--gpu", "cpu", "--temperature", "0", question);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/\[adaptive brake off: The question lists its options twice/g)?.length, 1, r.stdout);
    assert.match(r.stdout, /── brake \(budget\) ──/);
    const plain = cli("ask", "--model", demo, "--max-thinking", "200", "--gpu", "cpu", "--temperature", "0", "How fast is the train?");
    assert.doesNotMatch(plain.stdout, /adaptive brake off/);
  });

  it("explains usage and file mistakes", () => {
    const usage = cli("ask", "question without a model");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--model PATH is required/);
    const missing = cli("ask", "--model", join(dir, "nope.gguf"), "hi");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
  });
});
