/**
 * Generation with the brake in the loop, against real llama.cpp on scripted GGUF models
 * (the engine in this process; engine-process.test.ts covers the child process).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Engine } from "../../../src/engine/process/engine";
import type { DetectorFactory } from "../../../src/engine/process/generation/detector";
import { createCoreDetector } from "../../../src/engine/process/generation/detector";
import { ANSWER_CHANGES, CODE_OVERTHINKING, OUTPUT_OVERTHINKING, OUTPUT_QUESTION, OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import type { GenerationEvent, GenerationResult } from "../../../src/engine/common/types";
import { askRequest, cpuConfig, CUE, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";
import { coreWith, spy } from "../helpers/spyDetector";

let models: ModelDir;
let engine: Engine;
let factory: DetectorFactory = createCoreDetector;
let loadedPath = "";
let requestNo = 0;

async function use(path: string, contextSize = 2048): Promise<void> {
  const key = `${path}@${contextSize}`;
  if (loadedPath === key) return;
  await engine.load(cpuConfig(path, contextSize));
  loadedPath = key;
}

async function ask(
  request: Parameters<typeof askRequest>[0] = {},
  onEvent: (event: GenerationEvent, id: string) => void = () => undefined,
): Promise<{ result: GenerationResult; events: GenerationEvent[]; id: string }> {
  const id = `r${++requestNo}`;
  const events: GenerationEvent[] = [];
  const result = await engine.ask(id, askRequest(request), (event) => {
    events.push(event);
    onEvent(event, id);
  });
  return { result, events, id };
}

/** The transcript a script replays when nothing stops it. */
function transcript(script: typeof OVERTHINKING, loops = 60): string {
  return script.thinking + (script.loop ?? "").repeat(loops);
}

before(async () => {
  models = makeModels();
  engine = new Engine({ createDetector: (input) => factory(input) });
});

after(async () => {
  await engine.unload({ releaseBackend: true });
  models.cleanup();
});

describe("brake on an overthinking model", () => {
  it("brakes where the detector says, answers after the cue, and evaluates no thought token again", async () => {
    await use(models.overthinking);
    const s = spy();
    factory = s.factory;
    const { result, events } = await ask();
    factory = createCoreDetector;

    assert.equal(result.braked, true);
    assert.equal(result.brake?.reason, "overthinking");
    const log = s.logs[0];
    assert.ok(log);
    const brakeAt = log.pushes.findIndex((p) => p.decision.kind === "brake");
    assert.ok(brakeAt >= 0, "the detector decided to brake");
    assert.equal(brakeAt, log.pushes.length - 1, "nothing is pushed after the brake decision");
    const decision = log.pushes[brakeAt]?.decision;
    assert.ok(decision?.kind === "brake");
    const fed = log.pushes.map((p) => p.text).join("");
    assert.equal(result.brake?.charOffset, decision.charOffset);
    assert.equal(result.thinking, fed.slice(0, decision.charOffset));
    assert.equal(result.brake?.explanation, decision.explanation);
    assert.equal(result.tokens.thinking, log.pushes.reduce((n, p) => n + p.tokens, 0));
    assert.ok(transcript(OVERTHINKING).startsWith(result.thinking), "the thinking is the scripted transcript");
    assert.ok(result.thinking.includes("Wait, let me double-check."), "it braked inside the double-check loop");

    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.stopReason, "eos");
    assert.equal(result.tokens.reEvaluated, 0);
    assert.ok(result.brake?.injectedText.startsWith(CUE));
    assert.ok(result.brake?.injectedText.endsWith("</think>\n\n"));
    assert.equal(result.tokens.cue, result.brake?.injectedTokens);
    assert.ok(result.tokens.cue > 0);
    assert.equal(result.tokens.discarded, result.brake?.discardedTokens);
    assert.ok(result.timings.ttftMs > 0 && result.timings.brakeToAnswerMs !== null && result.timings.brakeToAnswerMs >= 0);
    // the saving is an estimate, scaled from the thinking kept (never the budget left)
    const estimate = result.tokens.savedEstimate;
    assert.ok(estimate !== null && estimate.basis === "recorded-traces" && estimate.ratio > 0, "an overthinking brake gets an estimate from the recorded traces");
    assert.equal(estimate.tokens, Math.round((result.brake?.thinkingTokens ?? Number.NaN) * estimate.ratio));
    assert.ok(estimate.low <= estimate.tokens && estimate.tokens <= estimate.high);

    const types = events.map((e) => e.type);
    assert.equal(types[0], "started");
    assert.ok(types.indexOf("brake") > types.indexOf("thinking") && types.lastIndexOf("thinking") < types.indexOf("brake"));
    assert.ok(types.indexOf("answer") > types.indexOf("brake"));
    const streamed = events.flatMap((e) => (e.type === "answer" ? [e.text] : [])).join("");
    assert.equal(streamed, OVERTHINKING.answer);
    const streamedThinking = events.flatMap((e) => (e.type === "thinking" ? [e.text] : [])).join("");
    assert.ok(streamedThinking.startsWith(result.thinking));
  });

  it("rests the saving estimate on the ratio calibration measured on this model when the request carries it", async () => {
    await use(models.overthinking);
    const savingRatio = { traces: 9, median: 1.5, q1: 0.5, q3: 2.5, model: "overthinking.gguf" };
    const { result } = await ask({ savingRatio });
    const kept = result.brake?.thinkingTokens ?? Number.NaN;
    assert.deepEqual(result.tokens.savedEstimate, {
      tokens: Math.round(kept * 1.5),
      basis: "calibration",
      ratio: 1.5,
      low: Math.round(kept * 0.5),
      high: Math.round(kept * 2.5),
      source: "9 calibration questions on overthinking.gguf",
    });
  });

  it("reuses the KV cache for the next turn of the conversation", async () => {
    await use(models.overthinking);
    const first = await ask();
    const second = await ask({ question: "And 12 × 4?", history: [{ question: "What is 12 × 3?", answer: first.result.answer }] });
    assert.ok(second.result.tokens.promptEvaluated < second.result.tokens.prompt, `${second.result.tokens.promptEvaluated} of ${second.result.tokens.prompt} prompt tokens evaluated`);
    assert.equal(second.result.answer, OVERTHINKING.answer);
  });

  it("closes the thinking at the hard budget and still answers", async () => {
    await use(models.overthinking);
    const { result } = await ask({ brake: { mode: "budget", maxThinkingTokens: 30 } });
    assert.equal(result.brake?.reason, "budget");
    assert.ok(result.tokens.thinking <= 30, `${result.tokens.thinking} thinking tokens`);
    assert.ok(result.tokens.thinking >= 25, `${result.tokens.thinking} thinking tokens`);
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
  });

  it("with the brake off, closes the thinking only when the context runs out, leaving room for the answer", async () => {
    await use(models.overthinking, 512);
    const { result } = await ask({ brake: { mode: "off" }, generation: { maxAnswerTokens: 64 } });
    assert.equal(result.brake?.reason, "context");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.ok(result.tokens.prompt + result.tokens.thinking + result.tokens.cue + result.tokens.answer <= 512);
    assert.ok(result.tokens.thinking > 200, `${result.tokens.thinking} thinking tokens`);
  });

  it("caps the answer", async () => {
    await use(models.overthinking);
    const { result } = await ask({ generation: { maxAnswerTokens: 2 } });
    assert.equal(result.stopReason, "answer-cap");
    assert.equal(result.tokens.answer, 2);
    assert.ok(OVERTHINKING.answer.startsWith(result.answer));
  });

  it("waits for a changed answer to be confirmed before braking", async () => {
    await use(models.answerChanges);
    const { result } = await ask({ question: "What is 12 × 4?" });
    assert.equal(result.brake?.reason, "overthinking");
    assert.equal(result.brake?.anchoredAnswer, "48");
    assert.ok(result.thinking.includes("So the answer is 48."));
    assert.ok(transcript(ANSWER_CHANGES).startsWith(result.thinking));
    assert.equal(result.answer, ANSWER_CHANGES.answer);
  });
});

describe("a code question", () => {
  it("brakes once the drafted function is written out again, and says so in code terms", async () => {
    await use(models.write("code-overthinking.gguf", reasoningModelSpec(CODE_OVERTHINKING)));
    const { result, events } = await ask({ question: "Write a Python function that merges two sorted lists into one sorted list." });
    assert.equal(result.brake?.reason, "overthinking");
    assert.match(result.brake?.explanation ?? "", /the code `merge` was drafted in step 3 and confirmed \d× since/);
    assert.ok(result.thinking.includes("Let me write it out once more"), "braked after a restatement");
    assert.equal(result.answer, CODE_OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
    assert.ok(events.some((e) => e.type === "brake"));
  });
});

describe("a question about a program's output", () => {
  it("brakes at the step that states the traced output, before the re-trace, and says so", async () => {
    await use(models.write("output-overthinking.gguf", reasoningModelSpec(OUTPUT_OVERTHINKING)));
    const { result } = await ask({ question: OUTPUT_QUESTION });
    assert.equal(result.brake?.reason, "overthinking");
    assert.equal(result.brake?.anchoredAnswer, "['CDE', 'FGHI']");
    assert.match(result.brake?.explanation ?? "", /program's output \['CDE', 'FGHI'\] was stated as its result/);
    assert.equal(result.thinking, OUTPUT_OVERTHINKING.thinking, "nothing of the re-trace kept");
    assert.equal(result.answer, OUTPUT_OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
  });
});

describe("models that stop thinking by themselves, or do not think", () => {
  it("does not brake a thought that ends by itself", async () => {
    await use(models.selfEnding);
    const { result } = await ask();
    assert.equal(result.braked, false);
    assert.equal(result.thinking.trim(), SELF_ENDING.thinking);
    assert.equal(result.answer, SELF_ENDING.answer);
    assert.equal(result.tokens.cue, 0);
    assert.equal(result.thinkingMode, "on");
  });

  it("honours the thinking switch: an empty think block, then the answer", async () => {
    await use(models.selfEnding);
    const { result, events } = await ask({ generation: { thinking: false } });
    assert.equal(result.thinkingMode, "off");
    assert.equal(result.thinking, "");
    assert.equal(result.tokens.thinking, 0);
    assert.equal(result.answer, SELF_ENDING.answer);
    assert.ok(!events.some((e) => e.type === "thinking"));
  });

  it("streams the answer of a model without thinking, braking not applicable", async () => {
    await use(models.noThinking);
    const { result } = await ask();
    assert.equal(result.thinkingMode, "not-applicable");
    assert.equal(result.braked, false);
    assert.equal(result.thinking, "");
    assert.equal(result.answer, "12 × 3 = 36, so the answer is **36**.");
    assert.equal(engine.report?.thinkingSupported, false);
  });
});

describe("controls: answer now, continue thinking, cancel", () => {
  it("answers now when asked, mid-thought", async () => {
    await use(models.overthinking);
    let thinkingTokens = 0;
    const { result } = await ask({ brake: { mode: "off" } }, (event, id) => {
      if (event.type === "thinking") {
        thinkingTokens += event.tokens;
        if (thinkingTokens === 12) engine.answerNow(id);
      }
    });
    assert.equal(result.brake?.reason, "manual");
    assert.ok(result.tokens.thinking >= 12 && result.tokens.thinking <= 14, `${result.tokens.thinking}`);
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
  });

  it("continues the thinking after the answer, where the brake cut it", async () => {
    await use(models.overthinking);
    const first = await ask();
    assert.equal(first.result.braked, true);
    const events: GenerationEvent[] = [];
    const resumed = await engine.continueThinking("c1", first.id, 40, (e) => events.push(e));
    assert.ok(resumed);
    assert.equal(resumed.continued, 1);
    assert.equal(events[0]?.type, "resumed");
    assert.equal(resumed.brake?.reason, "budget");
    assert.ok(resumed.thinking.startsWith(first.result.thinking));
    assert.ok(resumed.thinking.length > first.result.thinking.length);
    assert.ok(transcript(OVERTHINKING).startsWith(resumed.thinking), "the thought resumes exactly where it was cut");
    assert.ok(resumed.tokens.thinking > first.result.tokens.thinking);
    assert.ok(resumed.tokens.thinking <= first.result.tokens.thinking + 40);
    assert.equal(resumed.answer, OVERTHINKING.answer);
    assert.equal(resumed.tokens.reEvaluated, 0);
    await assert.rejects(engine.continueThinking("c2", "no-such-answer", 10, () => undefined), { code: "continue-unavailable" });
  });

  it("continues the thinking while the answer is still streaming", async () => {
    await use(models.overthinking);
    let requested: Promise<unknown> | null = null;
    const { result, events } = await ask({}, (event, id) => {
      if (event.type === "brake" && requested === null) {
        requested = engine.continueThinking(`${id}-continue`, id, 30, () => undefined);
      }
    });
    assert.equal(await requested, null, "applied to the running answer");
    assert.equal(result.continued, 1);
    assert.equal(result.tokens.reEvaluated, 0);
    assert.ok(events.some((e) => e.type === "resumed"));
    assert.equal(result.brake?.reason, "budget");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.ok(transcript(OVERTHINKING).startsWith(result.thinking));
  });

  it("keeps a continue it accepted even when the answer ends right after", async () => {
    await use(models.overthinking);
    let answer = "";
    let requested: Promise<unknown> | null = null;
    const { result, events } = await ask({}, (event, id) => {
      if (event.type !== "answer") return;
      answer += event.text;
      // The whole answer is out: the next thing the model does is end it.
      if (answer.trim() === OVERTHINKING.answer && requested === null) requested = engine.continueThinking(`${id}-continue`, id, 30, () => undefined);
    });
    assert.equal(await requested, null, "accepted in place");
    assert.equal(result.continued, 1, "and honoured");
    assert.ok(events.some((e) => e.type === "resumed"));
    assert.equal(result.answer, OVERTHINKING.answer);
  });

  it("cancels promptly and stays usable", async () => {
    await use(models.overthinking);
    let thinkingTokens = 0;
    let cancelledAt = 0;
    const { result } = await ask({ brake: { mode: "off" } }, (event, id) => {
      if (event.type === "thinking") {
        thinkingTokens += event.tokens;
        if (thinkingTokens >= 20 && cancelledAt === 0) {
          cancelledAt = thinkingTokens;
          engine.cancel(id);
        }
      }
    });
    assert.equal(result.stopReason, "cancelled");
    assert.ok(result.tokens.thinking <= cancelledAt + 1, `${result.tokens.thinking} thinking tokens after cancelling at ${cancelledAt}`);
    assert.equal(engine.status().generating, false);
    const next = await ask();
    assert.equal(next.result.brake?.reason, "overthinking");
    assert.equal(next.result.answer, OVERTHINKING.answer);
  });

  it("stops while a long prompt is read, between two slices, and keeps what was read for the next question", async () => {
    await use(models.overthinking, 8192);
    const question = "Please read all of this before you answer. ".repeat(120);
    const reads: Array<{ evaluated: number; total: number }> = [];
    const { result, events } = await ask({ question }, (event, id) => {
      if (event.type !== "prompt") return;
      reads.push(event);
      engine.cancel(id);
    });
    assert.equal(result.stopReason, "cancelled");
    assert.equal(result.tokens.thinking, 0);
    assert.equal(events.some((e) => e.type === "thinking"), false, "no thinking began");
    assert.equal(reads.length, 1, "the reading stopped at the first slice boundary after Stop");
    const first = reads[0];
    assert.ok(first !== undefined && first.evaluated > 0 && first.evaluated < first.total, `read ${String(first?.evaluated)} of ${String(first?.total)} tokens`);
    assert.equal(engine.status().generating, false);

    const again = await ask({ question });
    assert.equal(again.result.answer, OVERTHINKING.answer);
    assert.equal(again.result.tokens.promptEvaluated, again.result.tokens.prompt - first.evaluated, "the slice read before Stop came from the cache");
  });
});

describe("probe mode (DEER-style trial answers)", () => {
  it("probes at transition words, rolls each trial answer back, and the thought goes on unchanged", async () => {
    await use(models.overthinking);
    // τ1 = 1 and no SBT-E rule: only the probes (never confident enough here) and the budget can brake
    const s = spy(coreWith({ threshold: 1, policy: { verifiedExplicitBrakes: false }, probe: { enabled: true, minConfidence: 2, minTokens: 20, minTokensBetween: 20 } }));
    factory = s.factory;
    const { result } = await ask({ brake: { probe: "onTransition", maxThinkingTokens: 150 } });
    factory = createCoreDetector;
    assert.ok(result.probes.length >= 3, `${result.probes.length} probes`);
    for (const probe of result.probes) {
      assert.equal(probe.braked, false);
      assert.equal(probe.trigger.toLowerCase(), "wait");
      assert.ok(probe.confidence > 0.95, `confidence ${probe.confidence}`);
      assert.equal(probe.answer, OVERTHINKING.answer);
      assert.ok(probe.tokens > 0);
    }
    assert.equal(result.tokens.probe, result.probes.reduce((n, p) => n + p.tokens, 0));
    assert.equal(result.brake?.reason, "budget");
    assert.ok(transcript(OVERTHINKING).startsWith(result.thinking), "trial answers left no trace in the thought");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
  });

  it("brakes when the trial answer is confident", async () => {
    await use(models.overthinking);
    factory = coreWith({ threshold: 1, policy: { verifiedExplicitBrakes: false } });
    const { result } = await ask({ brake: { probe: "onTransition", threshold: 1, maxThinkingTokens: 1000 } });
    factory = createCoreDetector;
    assert.equal(result.brake?.reason, "probe");
    assert.equal(result.probes.at(-1)?.braked, true);
    assert.ok(result.tokens.thinking >= 256, "the default probe starts after 256 thinking tokens");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
  });
});
