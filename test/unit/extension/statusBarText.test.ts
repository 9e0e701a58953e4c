import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateSaving } from "../../../src/core/brake/savingEstimate";
import { engineText, lastAnswerText, serverText } from "../../../src/extension/statusBarText";
import type { BrakeView, EngineInfo, TurnStats } from "../../../src/protocol";
import { must } from "../../harness/must";

const STATS: TurnStats = { promptTokens: 40, thinkingTokens: 812, answerTokens: 40, cueTokens: 14, probeTokens: 0, reEvaluatedTokens: 0, ttftMs: 30, tokensPerSecond: 50, totalMs: 900 };

function brake(reason: BrakeView["reason"]): BrakeView {
  return { reason, explanation: "why", charOffset: 10, thinkingTokens: 812, score: null, anchoredAnswer: null, cue: "cue" };
}

describe("the status bar after an answer", () => {
  it("shows the thinking kept and the estimate, labelled, for a detector brake", () => {
    const estimate = must(estimateSaving({ reason: "overthinking", keptTokens: 812 }), "estimate");
    const t = lastAnswerText({ ...STATS, savedEstimate: estimate }, brake("overthinking"), "demo.gguf");
    assert.equal(t.text, `$(debug-pause) 812 think · 40 answer · est. ~${estimate.tokens} avoided`);
    assert.match(t.tooltip, /^Last answer \(demo\.gguf\): 812 thinking tokens, 40 answer tokens, 50\.0 tokens\/s\. The brake kept 812 thinking tokens \(measured\)\. Estimate, not a measurement: on \d+ recorded traces/);
    assert.match(t.tooltip, /Your model may differ\. Click to open the chat\.$/);
  });

  it("switches to this model's calibrated estimate once calibration measured one, and says so", () => {
    const calibration = { traces: 12, median: 0.5, q1: 0.25, q3: 1, model: "demo.gguf" };
    const estimate = must(estimateSaving({ reason: "overthinking", keptTokens: 812, calibration }), "estimate");
    const t = lastAnswerText({ ...STATS, savedEstimate: estimate }, brake("overthinking"), "demo.gguf");
    assert.equal(t.text, "$(debug-pause) 812 think · 40 answer · est. ~406 avoided (calibrated)");
    assert.match(t.tooltip, /Estimate, not a measurement: on 12 calibration questions on demo\.gguf, the unbraked model went on to think a median 0\.50× what it had kept, so about 406 more tokens here \(middle half 203–812\)\./);
    assert.doesNotMatch(t.tooltip, /Your model may differ/);
  });

  it("claims no saving for Answer now (the user's call), the budget or no brake", () => {
    const manual = lastAnswerText(STATS, brake("manual"), "demo.gguf");
    assert.equal(manual.text, "$(debug-pause) 812 think · 40 answer");
    assert.match(manual.tooltip, /You asked for the answer after 812 thinking tokens \(Answer now\)\. That was your call, so no saving is credited to the brake\./);
    const budget = lastAnswerText(STATS, brake("budget"), "demo.gguf");
    assert.equal(budget.text, "$(debug-pause) 812 think · 40 answer");
    assert.match(budget.tooltip, /thinking budget you set .*No saving is claimed/);
    const plain = lastAnswerText(STATS, null, "demo.gguf");
    assert.equal(plain.tooltip, "Last answer (demo.gguf): 812 thinking tokens, 40 answer tokens, 50.0 tokens/s. Click to open the chat.");
    for (const t of [manual, budget, plain]) assert.doesNotMatch(t.text + t.tooltip, /saved|avoided|up to|≤/);
  });
});

describe("the status bar about the engine", () => {
  const idle = { state: "stopped" as const, summary: "", notes: [], scripted: false };

  it("shows a model loading, with its progress, until the thinking starts", () => {
    const loading = engineText({ ...idle, state: "loading", loadProgress: 0.456 }, undefined, true);
    assert.equal(loading?.text, "$(loading~spin) Self-Braking: loading model 46 %");
    assert.equal(loading?.failed, false);
    assert.equal(engineText({ ...idle, state: "loading" }, undefined, true)?.text, "$(loading~spin) Self-Braking: loading model");
  });

  it("shows a failed load, with llama.cpp's reason in the tooltip, until a model loads", () => {
    const failed = engineText({ ...idle, loadError: "llama.cpp could not load m.gguf: tensor data is not within the file bounds." }, undefined, true);
    assert.equal(failed?.text, "$(error) Self-Braking: model failed to load");
    assert.match(failed?.tooltip ?? "", /not within the file bounds\. Click to open the log\./);
    assert.equal(failed?.failed, true);
    assert.equal(engineText({ ...idle, state: "crashed", summary: "The engine process exited (signal SIGKILL)." }, undefined, true)?.text, "$(error) Self-Braking: engine stopped");
    assert.equal(engineText({ ...idle, state: "loaded" }, undefined, true), undefined, "a loaded model leaves the item to the meter");
    assert.equal(engineText({ ...idle, loadError: "x" }, undefined, false), undefined, "no model chosen: the item says that instead");
  });
});

describe("the status bar with a server", () => {
  const server = { kind: "server", url: "http://gpu-box:8080", host: "gpu-box:8080", model: "Qwen3-32B" } as const;
  const stopped: EngineInfo = { state: "stopped", summary: "", notes: [], scripted: false };

  it("says which server once connected, and which model in the tooltip", () => {
    const loaded = serverText(server, { ...stopped, state: "loaded", summary: "llama-server gpu-box:8080 · Qwen3-32B · context 32768 · loaded in 0.2 s" });
    assert.equal(loaded.text, "$(debug-pause) Self-Braking · Server gpu-box:8080");
    assert.match(loaded.tooltip, /^Model: Qwen3-32B on gpu-box:8080, connected: llama-server gpu-box:8080 · Qwen3-32B/);
    assert.equal(loaded.warning, false);
    const idle = serverText({ ...server, model: "" }, stopped);
    assert.equal(idle.text, "$(debug-pause) Self-Braking");
    assert.match(idle.tooltip, /^Model: the model of gpu-box:8080 \(http:\/\/gpu-box:8080\); connects on the first question/);
  });

  it("warns when server mode has no address", () => {
    const none = serverText({ kind: "serverNotConfigured" }, undefined);
    assert.equal(none.text, "$(warning) Self-Braking: no server address");
    assert.equal(none.warning, true);
  });

  it("says connecting, and that the server could not be used, rather than loading a model", () => {
    assert.equal(engineText({ ...stopped, state: "loading" }, undefined, true, true)?.text, "$(loading~spin) Self-Braking: connecting to the server");
    const failed = engineText({ ...stopped, loadError: "Nothing answers at http://gpu-box:8080." }, undefined, true, true);
    assert.equal(failed?.text, "$(error) Self-Braking: could not use the server");
    assert.equal(failed?.failed, true);
  });
});
