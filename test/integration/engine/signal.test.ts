/**
 * The model's own end-of-thinking signal, read by the engine at step boundaries at no extra
 * evaluation, against real llama.cpp on scripted models whose `</think>` probability is set at
 * chosen steps (src/scripted-model: `endOfThinking` points).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import { EngineClient } from "../../../src/engine/client/engineClient";
import type { EngineClientOptions } from "../../../src/engine/client/engineClient";
import type { AskEvent, AskRequest, GenerationEvent, GenerationResult } from "../../../src/engine/common/types";
import { renderPrompt } from "../../../src/engine/process/chat/prompt";
import { resolveChatSetup } from "../../../src/engine/process/chat/wrapper";
import type { NodeLlamaCpp } from "../../../src/engine/process/chat/wrapper";
import { Engine } from "../../../src/engine/process/engine";
import { BrakingGeneration } from "../../../src/engine/process/generation/brakingGeneration";
import { createCoreDetector } from "../../../src/engine/process/generation/detector";
import type { DetectorFactory } from "../../../src/engine/process/generation/detector";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import type { AlternativeInfo } from "../../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { ReasoningScript } from "../../../src/scripted-model/scripts";
import { askRequest, cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";
import { spy } from "../helpers/spyDetector";
import type { DetectorLog } from "../helpers/spyDetector";

/** Four steps with nothing to anchor an answer on (the adaptive brake cannot fire), then it closes its thinking by itself. */
const STEPS: ReasoningScript = {
  name: "scripted-signal-steps",
  description: "Four steps of thinking with the end-of-thinking probability set after some of them.",
  thinking: "Let me read the question again.\n\nThe loop adds each item once.\n\nThat covers every case I can think of.\n\nI am ready to answer.",
  loop: null,
  answer: "It adds each item once.",
  // Step 1: ln(0.95/0.05) ≈ 2.94 nats, over the default 1; step 3: ln(0.7/0.3) ≈ 0.85, under it.
  endOfThinking: [
    { afterStep: 1, probability: 0.05 },
    { afterStep: 3, probability: 0.3 },
  ],
};
/** The overthinking script with the signal set after step 2 and after the loop's step (every pass). */
const OVERTHINKING_SIGNAL: ReasoningScript = {
  ...OVERTHINKING,
  name: "scripted-overthinking-signal",
  endOfThinking: [
    { afterStep: 2, probability: 0.01 },
    { afterStep: 5, probability: 0.2 },
  ],
};
/** `</think>` is the most likely token after step 2: the model ends its thinking there by itself. */
const ENDS_AT_STEP_2: ReasoningScript = { ...STEPS, name: "scripted-signal-ends", endOfThinking: [{ afterStep: 2, probability: 0.9 }] };

/** Relative tolerance on a probability: float32 weights and llama.cpp's float softmax. */
const TOLERANCE = 1e-4;
/** What `</think>` gets where no point is set: logit 0 against the script's ~50, e^-50 ≈ 2·10⁻²². */
const UNSET_BELOW = 1e-15;

const FROM_SOURCE: EngineClientOptions = { enginePath: "src/engine/process/main.ts", execArgv: ["--import", "tsx"], startTimeoutMs: 120_000 };

let models: ModelDir;
let engine: Engine;
let factory: DetectorFactory = createCoreDetector;
const paths = { steps: "", overthinking: "", ends: "" };
const set: Record<keyof typeof paths, readonly AlternativeInfo[]> = { steps: [], overthinking: [], ends: [] };
let loaded = "";
let requestNo = 0;

function write(key: keyof typeof paths, script: ReasoningScript): void {
  const spec = reasoningModelSpec(script);
  set[key] = buildScriptedModel(spec).info.alternatives;
  paths[key] = models.write(`signal-${key}.gguf`, spec);
}

/** Asks on the scripted model at `path`; `record` adds the engine-only recording option. */
async function ask(path: string, request: Parameters<typeof askRequest>[0] = {}, record: Pick<AskRequest, "recordSignal"> = {}): Promise<{ result: GenerationResult; events: GenerationEvent[]; log: DetectorLog }> {
  if (loaded !== path) {
    await engine.load(cpuConfig(path));
    loaded = path;
  }
  const s = spy();
  factory = s.factory;
  const events: GenerationEvent[] = [];
  try {
    const result = await engine.ask(`s${++requestNo}`, { ...askRequest(request), ...record }, (e) => events.push(e));
    const log = s.logs[0];
    assert.ok(log, "a detector ran");
    return { result, events, log };
  } finally {
    factory = createCoreDetector;
  }
}

/** Ends of the step boundaries in a thinking text (blank lines matched left to right, as the detector splits steps). */
function boundaries(thinking: string): number[] {
  const out: number[] = [];
  for (let at = thinking.indexOf("\n\n"); at >= 0; at = thinking.indexOf("\n\n", at + 2)) out.push(at + 2);
  return out;
}

/** The end of step n (1-based) of a script's thinking, then its loop repeated. */
function stepEnd(script: ReasoningScript, n: number): number {
  const at = boundaries(script.thinking + (script.loop ?? "").repeat(4))[n - 1];
  assert.ok(at !== undefined);
  return at;
}

/** The readings the meter events carried, each once (a later meter repeats the last reading). */
function meterReadings(events: readonly (GenerationEvent | AskEvent)[]): Array<{ probability: number; margin: number }> {
  const out: Array<{ probability: number; margin: number }> = [];
  for (const e of events) {
    if (e.type !== "meter" || !e.endOfThinking) continue;
    const last = out.at(-1);
    if (last?.probability !== e.endOfThinking.probability || last.margin !== e.endOfThinking.margin) out.push(e.endOfThinking);
  }
  return out;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE * expected, `${what}: read ${actual}, set ${expected}`);
}

before(() => {
  models = makeModels();
  write("steps", STEPS);
  write("overthinking", OVERTHINKING_SIGNAL);
  write("ends", ENDS_AT_STEP_2);
  engine = new Engine({ createDetector: (input) => factory(input) });
});

after(async () => {
  await engine.unload({ releaseBackend: true });
  models.cleanup();
});

describe("the signal read at every step boundary, the policy off (the token loop with reading forced on)", () => {
  let lib: NodeLlamaCpp;
  let llama: Llama;
  const loadedModels = new Map<string, { model: LlamaModel; context: LlamaContext }>();

  before(async () => {
    lib = await import("node-llama-cpp");
    llama = await lib.getLlama({ gpu: false, build: "never" });
    for (const path of [paths.steps, paths.overthinking]) {
      const model = await llama.loadModel({ modelPath: path });
      loadedModels.set(path, { model, context: await model.createContext({ contextSize: 2048, threads: 1 }) });
    }
  });

  after(async () => {
    for (const { model, context } of loadedModels.values()) {
      await context.dispose();
      await model.dispose();
    }
    await llama.dispose();
  });

  /** One answer through the engine's token loop on a fresh sequence, the signal read or not; llama.cpp's token meter before and after. */
  async function generate(path: string, readSignal: boolean, request: AskRequest): Promise<{ result: GenerationResult; events: GenerationEvent[]; log: DetectorLog; decoded: number }> {
    const m = loadedModels.get(path);
    assert.ok(m);
    const { model, context } = m;
    const sequence = context.getSequence();
    const s = spy();
    try {
      const setup = resolveChatSetup(lib, model);
      const prompt = renderPrompt(lib, setup, model, request);
      const generation = new BrakingGeneration({ lib, model, sequence, setup, createDetector: s.factory, readSignal }, request, prompt);
      const meter = sequence.tokenMeter;
      const before = meter.usedInputTokens + meter.usedOutputTokens;
      const events: GenerationEvent[] = [];
      const result = await generation.run(prompt.tokens, (e) => events.push(e));
      const log = s.logs[0];
      assert.ok(log);
      return { result, events, log, decoded: meter.usedInputTokens + meter.usedOutputTokens - before };
    } finally {
      sequence.dispose();
    }
  }

  it("equals the probability the script set, exactly at the step boundaries, and changes nothing in the output", async () => {
    const request = askRequest();
    const without = await generate(paths.steps, false, request);
    const { result, events, log } = await generate(paths.steps, true, request);
    assert.equal(without.log.signals.length, 0);
    assert.deepEqual(result.tokens, without.result.tokens);
    assert.equal(result.thinking, without.result.thinking);
    assert.equal(result.answer, without.result.answer);
    assert.equal(result.braked, false);
    assert.equal(result.thinking.trim(), STEPS.thinking);
    assert.equal(result.answer, STEPS.answer);

    assert.deepEqual(
      log.signals.map((s) => s.signal.charOffset),
      boundaries(STEPS.thinking),
      "one reading per step boundary, at its end",
    );
    const [one, two, three] = log.signals.map((s) => s.signal);
    assert.ok(one && two && three);
    close(one.probability, 0.05, "after step 1");
    close(one.probability, set.steps[0]?.probability ?? NaN, "after step 1 (the model's arithmetic)");
    close(one.topProbability, 0.95, "the script's token after step 1");
    assert.ok(two.probability < UNSET_BELOW, `after step 2 (not set): ${two.probability}`);
    assert.ok(two.topProbability > 1 - 1e-9);
    close(three.probability, 0.3, "after step 3");
    close(three.topProbability, 0.7, "the script's token after step 3");
    for (const s of log.signals) assert.equal(s.decision.kind, "continue", "the policy is off");

    // The meter carries each reading as the detector's evidence has it (margin in nats).
    const readings = meterReadings(events);
    assert.equal(readings.length, 3, "a meter after each reading");
    close(readings[0]?.probability ?? NaN, 0.05, "meter after step 1");
    close(readings[0]?.margin ?? NaN, Math.log(0.95 / 0.05), "margin after step 1");
    close(readings[2]?.margin ?? NaN, Math.log(0.7 / 0.3), "margin after step 3");
    const first = events.find((e) => e.type === "meter");
    assert.ok(first?.type === "meter" && first.endOfThinking !== undefined, "the meter says the signal is read");
    assert.ok(without.events.every((e) => e.type !== "meter" || e.endOfThinking === undefined), "not read: no such field");
  });

  it("repeats a loop step's signal on every pass", async () => {
    const { result, log } = await generate(paths.overthinking, true, askRequest({ brake: { mode: "budget", maxThinkingTokens: 160 } }));
    assert.equal(result.brake?.reason, "budget");
    const ends = boundaries(result.thinking);
    const loopStart = stepEnd(OVERTHINKING_SIGNAL, 4);
    const loopStep = stepEnd(OVERTHINKING_SIGNAL, 5) - loopStart;
    const read = log.signals.map((s) => s.signal);
    assert.deepEqual(read.map((s) => s.charOffset), ends, "one reading per step boundary");
    read.forEach((s, i) => {
      const end = ends[i] ?? -1;
      if (end === stepEnd(OVERTHINKING_SIGNAL, 2)) close(s.probability, 0.01, `boundary ${i + 1} (step 2)`);
      else if (end > loopStart && (end - loopStart) % loopStep === 0) close(s.probability, 0.2, `boundary ${i + 1} (the loop's step)`);
      else assert.ok(s.probability < UNSET_BELOW, `boundary ${i + 1} (not set): ${s.probability}`);
    });
    assert.ok(read.filter((s) => s.probability > 0.1).length >= 3, "the loop's signal was read on every pass");
  });

  for (const [what, brake] of [
    ["the overthinking brake", {}],
    ["a budget brake", { mode: "budget", maxThinkingTokens: 70 }],
  ] as const) {
    it(`decodes as many tokens as without reading it (llama.cpp's token meter), with ${what}`, async () => {
      const request = askRequest({ brake });
      const without = await generate(paths.overthinking, false, request);
      const withSignal = await generate(paths.overthinking, true, request);
      assert.equal(without.log.signals.length, 0);
      assert.ok(withSignal.log.signals.length >= 4, `${withSignal.log.signals.length} readings`);
      assert.equal(withSignal.result.thinking, without.result.thinking);
      assert.equal(withSignal.result.answer, without.result.answer);
      assert.deepEqual(withSignal.result.brake, without.result.brake);
      assert.deepEqual(withSignal.result.tokens, without.result.tokens);
      assert.equal(withSignal.decoded, without.decoded, "the same tokens decoded");
      const t = without.result.tokens;
      assert.equal(without.decoded, t.prompt + t.thinking + t.discarded + t.cue + t.answer, "every token decoded once (the last answer token too: it gave the end of generation)");
    });
  }
});

describe("the signal through the engine, policy endOfThinking", () => {
  it("is read only when the policy is on: off, the answer is as before and the meter has no reading", async () => {
    const off = await ask(paths.steps);
    assert.equal(off.log.signals.length, 0);
    assert.ok(off.events.some((e) => e.type === "meter"));
    assert.ok(off.events.every((e) => e.type !== "meter" || e.endOfThinking === undefined));
    assert.equal(off.result.thinking.trim(), STEPS.thinking);
    const budget = await ask(paths.steps, { brake: { signal: "endOfThinking", mode: "budget" } });
    assert.equal(budget.log.signals.length, 0, "the budget mode cannot brake on it: not read");
  });

  it("brakes at exactly the step boundary where the margin is small enough, and answers", async () => {
    const { result, events, log } = await ask(paths.steps, { brake: { signal: "endOfThinking" } });
    assert.equal(result.braked, true);
    assert.equal(result.brake?.reason, "signal");
    const at = stepEnd(STEPS, 3);
    assert.equal(result.brake?.charOffset, at);
    assert.equal(result.thinking, STEPS.thinking.slice(0, at));
    assert.match(result.brake?.explanation ?? "", /about to end its thinking after step 3 .*probability 0\.300, 0\.85 nats below/);
    assert.deepEqual(log.signals.map((s) => s.signal.charOffset), boundaries(STEPS.thinking), "read at steps 1, 2 and 3");
    close(log.signals[2]?.signal.probability ?? NaN, 0.3, "after step 3");
    assert.deepEqual(log.signals.map((s) => s.decision.kind), ["continue", "continue", "brake"], "step 1's margin (2.9 nats) was too large");
    assert.ok(result.brake?.injectedText.includes("Wait, I've verified my answer"), "the cue follows");
    assert.ok(result.brake?.injectedText.endsWith("</think>\n\n"));
    assert.equal(result.answer, STEPS.answer, "the answer follows");
    assert.equal(result.tokens.reEvaluated, 0);
    assert.equal(result.tokens.discarded, 0, "nothing was generated past the boundary");
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf("brake") < types.indexOf("answer"));
    close(meterReadings(events).at(-1)?.probability ?? NaN, 0.3, "the meter has the reading that braked");
  });

  it("margins over the default 1 nat never brake: the overthinking model brakes as it does without the signal", async () => {
    const plain = await ask(models.overthinking);
    // After step 2: ln(0.99/0.01) ≈ 4.6 nats; after each loop step: ln(0.8/0.2) ≈ 1.39 nats.
    const { result, log } = await ask(paths.overthinking, { brake: { signal: "endOfThinking" } });
    assert.ok(log.signals.length >= 3, `${log.signals.length} readings`);
    for (const s of log.signals) assert.equal(s.decision.kind, "continue");
    close(log.signals[1]?.signal.probability ?? NaN, 0.01, "after step 2");
    assert.equal(result.brake?.reason, "overthinking");
    assert.deepEqual(result.brake, plain.result.brake, "same brake, same place");
    assert.equal(result.thinking, plain.result.thinking);
    assert.equal(result.answer, plain.result.answer);
    assert.deepEqual(result.tokens, plain.result.tokens);
  });

  it("continues the thinking after a signal brake without evaluating anything again", async () => {
    await ask(paths.steps, { brake: { signal: "endOfThinking" } });
    const more = await engine.continueThinking(`c${requestNo}`, `s${requestNo}`, 200, () => undefined);
    assert.ok(more);
    assert.equal(more.thinking.trim(), STEPS.thinking, "the thought resumes after step 3 and ends by itself");
    assert.equal(more.answer, STEPS.answer);
    assert.equal(more.tokens.reEvaluated, 0);
  });

  it("where the script makes `</think>` the top token the model ends its thinking there; with the policy on the brake is first", async () => {
    const off = await ask(paths.ends);
    assert.equal(off.result.braked, false);
    assert.equal(off.result.thinking.trim(), ENDS_AT_STEP_2.thinking.slice(0, stepEnd(ENDS_AT_STEP_2, 2)).trim(), "greedy decoding took `</think>` after step 2");
    assert.equal(off.result.answer, STEPS.answer);

    const on = await ask(paths.ends, { brake: { signal: "endOfThinking" } });
    const read = on.log.signals.at(-1);
    close(read?.signal.probability ?? NaN, 0.9, "after step 2");
    close(read?.signal.topProbability ?? NaN, 0.9, "it is the top token");
    assert.equal(on.result.brake?.reason, "signal", "margin 0: the detector brakes before the model closes its thinking itself");
    assert.equal(on.result.brake?.charOffset, stepEnd(ENDS_AT_STEP_2, 2));
    assert.equal(on.result.answer, STEPS.answer);
    assert.equal(on.result.tokens.reEvaluated, 0);
  });

  it("at temperature 0.6 reads the distribution the sampler draws from (top-k/top-p cut, then logits / T)", async () => {
    const { result, log } = await ask(paths.steps, { brake: { signal: "endOfThinking" }, generation: { temperature: 0.6, seed: 7 } });
    // After step 3: 0.3 against 0.7 at T = 1, both in the top-p 0.95 cut; at T = 0.6: 1 / (1 + (0.7/0.3)^(1/0.6)) ≈ 0.196, margin ≈ 1.41 nats > 1.
    const third = log.signals[2]?.signal;
    assert.ok(third);
    close(third.probability, 1 / (1 + (0.7 / 0.3) ** (1 / 0.6)), "after step 3 at T = 0.6");
    assert.equal(result.braked, false, "no margin was small enough at T = 0.6");
    assert.equal(result.thinking.trim(), STEPS.thinking, "the script is followed");
  });
});

describe("the signal recorded with braking off (AskRequest.recordSignal, for calibration)", () => {
  /** The readings each in its own meter event, with the thinking characters streamed before it. */
  function recorded(events: readonly GenerationEvent[]): Array<{ offset: number; probability: number; margin: number }> {
    let chars = 0;
    const out: Array<{ offset: number; probability: number; margin: number }> = [];
    for (const e of events) {
      if (e.type === "thinking") chars += e.text.length;
      else if (e.type === "meter" && e.endOfThinking) out.push({ offset: chars, ...e.endOfThinking });
    }
    return out;
  }

  function askRecording(path: string, record: boolean): ReturnType<typeof ask> {
    return ask(path, { brake: { mode: "off" } }, record ? { recordSignal: true } : {});
  }

  it("carries each step boundary's probability and margin in a meter event of its own, gives the detector nothing, and changes nothing in the output", async () => {
    const without = await askRecording(paths.steps, false);
    const { result, events, log } = await askRecording(paths.steps, true);
    assert.equal(result.thinking, without.result.thinking);
    assert.equal(result.answer, without.result.answer);
    assert.deepEqual({ ...result.tokens, promptEvaluated: 0 }, { ...without.result.tokens, promptEvaluated: 0 });
    assert.equal(result.braked, false);
    assert.equal(result.thinking.trim(), STEPS.thinking);
    assert.equal(log.signals.length, 0, "the detector was not given the readings");
    assert.ok(without.events.every((e) => e.type !== "meter" || e.endOfThinking === undefined), "without the option nothing is read");

    const readings = recorded(events);
    assert.deepEqual(readings.map((r) => r.offset), boundaries(result.thinking), "one reading per step boundary, at its end, each once");
    const [one, two, three] = readings;
    assert.ok(one && two && three);
    close(one.probability, 0.05, "after step 1");
    close(one.margin, Math.log(0.95 / 0.05), "margin after step 1");
    assert.ok(two.probability < UNSET_BELOW, `after step 2 (not set): ${two.probability}`);
    close(three.probability, 0.3, "after step 3");
    close(three.margin, Math.log(0.7 / 0.3), "margin after step 3");
  });

  it("records a loop step's signal on every pass while the overthinking model runs unbraked", async () => {
    const without = await askRecording(paths.overthinking, false);
    const { result, events, log } = await askRecording(paths.overthinking, true);
    assert.equal(result.thinking, without.result.thinking);
    assert.equal(result.answer, without.result.answer);
    // the same tokens, the prompt aside (the second answer finds it in the cache)
    assert.deepEqual({ ...result.tokens, promptEvaluated: 0 }, { ...without.result.tokens, promptEvaluated: 0 });
    assert.equal(log.signals.length, 0);
    const readings = recorded(events);
    assert.deepEqual(readings.map((r) => r.offset), boundaries(result.thinking));
    close(readings[1]?.probability ?? NaN, 0.01, "after step 2");
    assert.ok(readings.filter((r) => Math.abs(r.probability - 0.2) <= TOLERANCE * 0.2).length >= 3, "the loop's signal on every pass");
  });
});

describe("the signal through the engine process", () => {
  let client: EngineClient;

  before(() => {
    client = new EngineClient(cpuConfig(paths.steps), FROM_SOURCE);
  });

  after(async () => {
    await client.dispose();
  });

  it("carries the end-of-thinking probability and margin in the meter events", async () => {
    const events: AskEvent[] = [];
    const handle = client.ask(askRequest({ brake: { signal: "endOfThinking" } }));
    handle.onEvent((e) => events.push(e));
    const result = await handle.result;
    assert.equal(result.brake?.reason, "signal");
    const readings = meterReadings(events);
    assert.equal(readings.length, 3, "meter events with each reading");
    const last = readings.at(-1);
    assert.ok(last);
    close(last.probability, 0.3, "the last reading before the brake");
    close(last.margin, Math.log(0.7 / 0.3), "its margin");
  });
  it("accepts the recording option across the process boundary", async () => {
    const events: AskEvent[] = [];
    const handle = client.ask({ ...askRequest({ brake: { mode: "off" } }), recordSignal: true });
    handle.onEvent((e) => events.push(e));
    const result = await handle.result;
    assert.equal(result.braked, false);
    const readings = events.flatMap((e) => (e.type === "meter" && e.endOfThinking ? [e.endOfThinking] : []));
    assert.equal(readings.length, 3, "one meter event per step boundary");
    close(readings[2]?.probability ?? NaN, 0.3, "after step 3");
  });
});
