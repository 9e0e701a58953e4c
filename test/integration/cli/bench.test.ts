/** `self-braking bench` on a scripted generated model, run as a user would (from source, through tsx), and its native variant (node-llama-cpp's thought budget) against real llama.cpp. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { variantAsk } from "../../../src/cli/commands/bench";
import type { BenchReport, VariantSummary } from "../../../src/core/benchmark/report";
import { DEFAULT_BRAKE_CUE, SETTINGS } from "../../../src/core/settings/registry";
import { EngineClient } from "../../../src/engine/client/engineClient";
import type { AskEvent, AskRequest, GenerationResult } from "../../../src/engine/common/types";
import { CHECKS_THEN_ENDS as SCRIPTED_CHECKS, reasoningModelSpec, scriptTokens } from "../../../src/scripted-model/scripts";
import type { ReasoningScript } from "../../../src/scripted-model/scripts";
import { cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

/**
 * States 36, double-checks it several times, then closes its thinking by itself; `</think>` has
 * probability 0.3 after step 3 (a margin of ln(0.7/0.3) ≈ 0.85 nat, under the signal policy's 1):
 * greedy decoding goes on there, the signal policy may brake there.
 */
const CHECKS_THEN_ENDS: ReasoningScript = { ...SCRIPTED_CHECKS, name: "scripted-bench-checks-then-ends", endOfThinking: [{ afterStep: 3, probability: 0.3 }] };
/** The engine counts `<think>`, its line break, the line break before `</think>` and `</think>` as thinking. */
const SCRIPTED_THINKING_TOKENS = scriptTokens(CHECKS_THEN_ENDS.thinking).length + 4;

let models: ModelDir;
let model: string;
let set: string;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  models = makeModels();
  model = models.write("bench.gguf", reasoningModelSpec(CHECKS_THEN_ENDS));
  set = join(models.dir, "three.jsonl");
  writeFileSync(
    set,
    [
      { id: "right-1", question: "What is 12 × 3?", answer: "36" },
      { id: "right-2", question: "How much is three dozen?", answer: "36" },
      { id: "wrong", question: "What is 5 × 7?", answer: "35" },
    ].map((p) => JSON.stringify(p)).join("\n") + "\n",
  );
});

after(() => models.cleanup());

describe("self-braking bench (scripted model)", () => {
  it("runs every variant on the same problems and reports numbers that agree with each other", () => {
    const out = join(models.dir, "out");
    const r = cli("bench", "--model", model, "--dataset", set, "--gpu", "cpu", "--context", "2048", "--json", "--out", out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Loaded scripted-bench-checks-then-ends \(a scripted demo model/);
    const report = JSON.parse(r.stdout) as BenchReport;
    assert.equal(report.complete, true);
    assert.equal(report.problems, 3);
    assert.match(report.runsOn ?? "", /^CPU · context 2048/);
    const by = Object.fromEntries(report.variants.map((v) => [v.variant, v])) as Record<string, VariantSummary>;
    assert.deepEqual(Object.keys(by), ["off", "brake", "signal", "probes", "budget", "native"]);
    const [off, brake, signal, budget, native] = [by.off, by.brake, by.signal, by.budget, by.native].map((v) => {
      assert.ok(v);
      return v;
    }) as [VariantSummary, VariantSummary, VariantSummary, VariantSummary, VariantSummary];

    for (const v of report.variants) {
      // the scripted model answers 36 whatever it is asked: right, right, wrong under every variant
      assert.deepEqual(v.runs.map((x) => [x.problemId, x.right]), [["right-1", true], ["right-2", true], ["wrong", false]], v.variant);
      assert.equal(v.accuracy, 2 / 3);
      if (v.variant !== "off") assert.deepEqual([v.vsOff?.points, v.vsOff?.low, v.vsOff?.high, v.vsOff?.pairs], [0, 0, 0, 3], v.variant);
      // the totals add up
      assert.equal(v.thinkingTokens.total, v.runs.reduce((s, x) => s + x.thinkingTokens, 0));
      assert.equal(v.answerTokens.total, v.runs.reduce((s, x) => s + x.answerTokens, 0));
      assert.ok(Math.abs(v.wallSeconds.total - v.runs.reduce((s, x) => s + x.wallSeconds, 0)) < 1e-9);
      assert.ok(Math.abs(v.tokensPerSecond - v.generatedTokens / v.generationSeconds) < 1e-9 && v.tokensPerSecond > 0, v.variant);
      assert.ok(v.runs.every((x) => x.generatedTokens >= x.thinkingTokens + x.answerTokens && x.wallSeconds >= x.generationSeconds), v.variant);
      assert.equal(Object.values(v.endedBy).reduce((s, n) => s + (n ?? 0), 0), 3);
      assert.ok(v.runs.every((x) => x.stopReason === "eos" && x.answerTokens > 0), v.variant);
    }
    // no brake: the whole scripted thinking, ended by the model
    assert.ok(off.runs.every((x) => x.thinkingTokens === SCRIPTED_THINKING_TOKENS), JSON.stringify(off.runs));
    assert.deepEqual(off.endedBy, { none: 3 });
    // the brake stops the double-checking; the signal brakes at the step-3 reading where the text rule has not yet
    assert.deepEqual(brake.endedBy, { overthinking: 3 });
    assert.ok(brake.runs.every((x) => x.thinkingTokens < SCRIPTED_THINKING_TOKENS));
    assert.ok((signal.endedBy.signal ?? 0) >= 1, JSON.stringify(signal.endedBy));
    signal.runs.forEach((x, i) => assert.ok(x.thinkingTokens <= (brake.runs[i]?.thinkingTokens ?? 0), x.problemId));
    // the fixed budget is the brake's mean thinking; both budget variants cut there (node-llama-cpp
    // at the first token it releases at or past B: B, or B + 1 after a two-token chunk)
    const b = Math.round(brake.thinkingTokens.mean);
    assert.deepEqual(report.budget, { tokens: b, source: "brake-mean" });
    assert.ok(budget.runs.every((x) => x.thinkingTokens <= b && x.endedBy === "budget"), JSON.stringify(budget.runs));
    assert.ok(native.runs.every((x) => x.thinkingTokens >= b && x.thinkingTokens <= b + 1 && x.endedBy === "budget"), JSON.stringify(native.runs));
    assert.equal(native.setting, `node-llama-cpp budgets.thoughtTokens = ${b}`);

    // the files: the same JSON, and the markdown's off row with its numbers
    assert.deepEqual(JSON.parse(readFileSync(join(out, "bench.json"), "utf8")), report);
    const markdown = readFileSync(join(out, "bench.md"), "utf8");
    const t = SCRIPTED_THINKING_TOKENS.toFixed(1);
    assert.ok(markdown.includes(`| off | no brake | 66.7 % (2/3) | — | ${t} | ${t} | ${t} |`), markdown);
    assert.match(readFileSync(join(out, "bench.svg"), "utf8"), new RegExp(`native \\(node-llama-cpp budgets\\.thoughtTokens = ${b}\\): 66\\.7 % at [\\d.]+ mean thinking tokens`));
  });

  it("native: node-llama-cpp's thought budget, through the engine process, cuts the thought at the budget and closes it with the wrapper's suffix, no cue", async () => {
    const client = new EngineClient(cpuConfig(model), { enginePath: "src/engine/process/main.ts", execArgv: ["--import", "tsx"], startTimeoutMs: 120_000 });
    const ask = async (variant: "off" | "budget" | "native", budget: number | null): Promise<{ result: GenerationResult; events: AskEvent[] }> => {
      const request: AskRequest = {
        question: "What is 12 × 3?",
        history: [],
        ...variantAsk(variant, { brake: { threshold: 0.2, signal: "off" }, maxThinking: SETTINGS["brake.maxThinkingTokens"].default }, budget),
        generation: { temperature: 0, maxAnswerTokens: 256, thinking: true, seed: 1 },
      };
      const events: AskEvent[] = [];
      const handle = client.ask(request);
      handle.onEvent((event) => events.push(event));
      return { result: await handle.result, events };
    };
    try {
      const full = (await ask("off", null)).result;
      for (const budget of [20, 37, 60]) {
        const { result: native, events } = await ask("native", budget);
        assert.equal(native.brake?.reason, "budget");
        assert.ok(native.tokens.thinking === budget || native.tokens.thinking === budget + 1, `cut at ${native.tokens.thinking} for a budget of ${budget}`);
        assert.equal(native.brake?.thinkingTokens, native.tokens.thinking);
        assert.ok(full.thinking.startsWith(native.thinking) && native.thinking.length < full.thinking.length, "the first tokens of the unbraked thinking");
        assert.equal(native.brake?.injectedText, "\n</think>", "only the wrapper's thought suffix is written");
        assert.equal(native.tokens.cue, native.brake?.injectedTokens);
        assert.equal(native.answer.trim(), CHECKS_THEN_ENDS.answer);
        assert.equal(native.stopReason, "eos");
        // streamed through the process wall: thinking, the brake, then the answer
        const types = events.map((e) => e.type);
        assert.ok(types.includes("thinking") && types.includes("meter"), types.join(" "));
        assert.ok(types.lastIndexOf("thinking") < types.indexOf("brake") && types.indexOf("brake") < types.indexOf("answer"), types.join(" "));
        // The engine's own cut at the same B counts `<think>` and its line break as thinking:
        // node-llama-cpp counts only the text after them, so it keeps more of the thought.
        const withCue = (await ask("budget", budget)).result;
        assert.equal(withCue.tokens.thinking, budget);
        assert.ok(withCue.brake?.injectedText.includes(DEFAULT_BRAKE_CUE), "the budget variant writes the cue");
        assert.ok(native.thinking.startsWith(withCue.thinking) && native.thinking.length > withCue.thinking.length);
      }
    } finally {
      await client.dispose();
    }
  });
});
