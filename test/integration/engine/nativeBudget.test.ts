/**
 * node-llama-cpp's own thought budget (`AskRequest.nativeThoughtBudget`: `LlamaChat.generateResponse`
 * with `budgets.thoughtTokens`), against real llama.cpp on a scripted GGUF, compared with the
 * engine's own unbraked loop on the same model.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EngineError } from "../../../src/engine/common/errors";
import type { AskRequest, GenerationEvent, GenerationResult } from "../../../src/engine/common/types";
import { Engine } from "../../../src/engine/process/engine";
import { reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { ReasoningScript } from "../../../src/scripted-model/scripts";
import { askRequest, cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

/** Thinks in a few steps, re-checks once, then closes its thinking by itself. */
const STEPS_THEN_ENDS: ReasoningScript = {
  name: "scripted-native-budget",
  description: "Works 12 × 3 out in steps, re-checks it once, then closes its thinking.",
  thinking: [
    "Let me work out 12 × 3.",
    "12 × 3 is three twelves: 12 + 12 = 24, and 24 + 12 = 36.",
    "So the answer is 36.",
    "Wait, let me check it another way: 10 × 3 = 30 and 2 × 3 = 6, so 30 + 6 = 36.",
    "Both ways give 36.",
  ].join("\n\n"),
  loop: null,
  answer: "The answer is **36**.",
};
/** A budget no thought of this script reaches. */
const UNREACHED = 100_000;

let models: ModelDir;
let engine: Engine;
let requestNo = 0;

async function ask(overrides: Partial<AskRequest> & { maxAnswerTokens?: number } = {}, onEvent?: (event: GenerationEvent, id: string) => void): Promise<{ result: GenerationResult; events: GenerationEvent[] }> {
  const { maxAnswerTokens, ...rest } = overrides;
  const base = askRequest({ brake: { mode: "off" }, generation: { seed: 1, ...(maxAnswerTokens === undefined ? {} : { maxAnswerTokens }) } });
  const id = `n${++requestNo}`;
  const events: GenerationEvent[] = [];
  const result = await engine.ask(id, { ...base, ...rest }, (event) => {
    events.push(event);
    onEvent?.(event, id);
  });
  return { result, events };
}

const sum = (events: readonly GenerationEvent[], type: "thinking" | "answer"): { text: string; tokens: number } =>
  events.reduce((acc, e) => (e.type === type ? { text: acc.text + e.text, tokens: acc.tokens + e.tokens } : acc), { text: "", tokens: 0 });

/** The events of one answer are consistent with its result and come in order: started, thinking (meters), [brake], answer. */
function checkEvents(result: GenerationResult, events: readonly GenerationEvent[]): void {
  assert.equal(events[0]?.type, "started");
  const thinking = sum(events, "thinking");
  const answer = sum(events, "answer");
  assert.equal(thinking.text, result.thinking);
  assert.equal(thinking.tokens, result.tokens.thinking);
  assert.equal(answer.text, result.answer);
  assert.equal(answer.tokens, result.tokens.answer);
  const lastThinking = events.findLastIndex((e) => e.type === "thinking");
  const firstAnswer = events.findIndex((e) => e.type === "answer");
  assert.ok(lastThinking < firstAnswer, "the answer follows the thinking");
  const brakes = events.flatMap((e, i) => (e.type === "brake" ? [i] : []));
  assert.equal(brakes.length, result.braked ? 1 : 0);
  if (result.braked) assert.ok(lastThinking < (brakes[0] ?? -1) && (brakes[0] ?? Infinity) < firstAnswer, "the brake event sits between the thought and the answer");
  const meters = events.flatMap((e) => (e.type === "meter" ? [e.thinkingTokens] : []));
  assert.ok(meters.length > 0 && meters.every((m, i) => m <= result.tokens.thinking && (i === 0 || m >= (meters[i - 1] ?? 0))), JSON.stringify(meters));
  assert.equal(meters.at(-1), result.tokens.thinking, "the meter after the thought shows its whole length");
}

before(async () => {
  models = makeModels();
  engine = new Engine();
  await engine.load(cpuConfig(models.write("native-budget.gguf", reasoningModelSpec(STEPS_THEN_ENDS))));
});

after(async () => {
  await engine.unload({ releaseBackend: true });
  models.cleanup();
});

describe("node-llama-cpp's thought budget (nativeThoughtBudget)", () => {
  /** The engine's own loop, no brake: the whole thought. */
  let unbraked: GenerationResult;
  /** node-llama-cpp with a budget the thought never reaches. */
  let unbudgeted: { result: GenerationResult; events: GenerationEvent[] };

  it("with a budget the thought does not reach: the same thinking and answer as the engine's unbraked loop, nothing braked", async () => {
    unbraked = (await ask()).result;
    assert.equal(unbraked.braked, false);
    unbudgeted = await ask({ nativeThoughtBudget: UNREACHED });
    const r = unbudgeted.result;
    assert.equal(r.braked, false);
    assert.equal(r.brake, null);
    assert.equal(r.stopReason, "eos");
    assert.equal(r.thinkingMode, "on");
    // node-llama-cpp's thought segment is the engine's thinking without the line break before
    // `</think>` (the engine keeps it; it is part of the wrapper's thought suffix `\n</think>`).
    assert.ok(unbraked.thinking.endsWith("36.\n"));
    assert.equal(r.thinking, unbraked.thinking.slice(0, -1));
    // The engine counts `<think>`, its line break, the line break before `</think>` and `</think>`
    // as thinking tokens; node-llama-cpp takes them as the segment's prefix and suffix and counts none.
    assert.equal(r.tokens.thinking, unbraked.tokens.thinking - 4);
    assert.equal(r.answer.trim(), STEPS_THEN_ENDS.answer);
    assert.equal(unbraked.answer.trim(), STEPS_THEN_ENDS.answer);
    assert.deepEqual([r.tokens.cue, r.tokens.discarded, r.tokens.probe, r.tokens.reEvaluated], [0, 0, 0, 0]);
    assert.equal(r.tokens.prompt, unbraked.tokens.prompt, "the same chat wrapper renders the same prompt");
    assert.ok(r.timings.tokensPerSecond > 0 && r.timings.totalMs >= r.timings.ttftMs && r.timings.thinkingMs > 0);
    checkEvents(r, unbudgeted.events);
  });

  it("cuts the thought at every budget up to its length: a prefix of the unbraked thinking, B or B + 1 tokens long, then the answer", async () => {
    // node-llama-cpp releases thought tokens in chunks (a token that may begin `\n</think>` waits
    // for the next one) and checks the budget after each: the thought is cut at the first chunk
    // boundary at or past B, so it keeps B tokens, or B + 1 where a two-token chunk crosses B.
    const chunks = unbudgeted.events.flatMap((e) => (e.type === "thinking" ? [e.tokens] : []));
    const longest = Math.max(...chunks);
    const full = unbudgeted.result.tokens.thinking;
    const cutAt = (budget: number): number => {
      let count = 0;
      for (const n of chunks) {
        count += n;
        if (count >= budget) return count;
      }
      return count;
    };
    const over: number[] = [];
    // B = the thought's own length cuts too: node-llama-cpp checks the budget after the thought's
    // last token, before the model writes `\n</think>` (same text, but closed by the budget).
    for (let budget = 1; budget <= full; budget++) {
      const { result: r, events } = await ask({ nativeThoughtBudget: budget });
      const at = `budget ${budget}`;
      assert.equal(r.tokens.thinking, cutAt(budget), at);
      assert.ok(r.tokens.thinking >= budget && r.tokens.thinking <= budget + longest - 1, at);
      if (r.tokens.thinking > budget) over.push(budget);
      assert.ok(unbraked.thinking.startsWith(r.thinking), `${at}: a prefix of the unbraked thinking`);
      if (budget < full) assert.ok(r.thinking.length < unbudgeted.result.thinking.length, at);
      assert.equal(r.braked, true, at);
      assert.equal(r.brake?.reason, "budget", at);
      assert.equal(r.brake?.thinkingTokens, r.tokens.thinking, at);
      assert.equal(r.brake?.charOffset, r.thinking.length, at);
      assert.equal(r.brake?.injectedText, "\n</think>", `${at}: the wrapper's thought suffix closes it, no cue`);
      assert.equal(r.tokens.cue, r.brake?.injectedTokens, at);
      assert.equal(r.tokens.discarded, 0, at);
      assert.equal(r.answer.trim(), STEPS_THEN_ENDS.answer, at);
      assert.equal(r.stopReason, "eos", at);
      assert.ok(r.timings.brakeToAnswerMs !== null && r.timings.brakeToAnswerMs >= 0, at);
      // The scripted model's spellings do not survive detokenizing and tokenizing again, so the
      // re-render differs from the cache right after `<think>`: everything the cache held of the
      // thought at the cut (its line break and the thought tokens already fed) is evaluated again.
      assert.equal(r.tokens.reEvaluated, r.tokens.thinking, at);
      checkEvents(r, events);
    }
    assert.equal(longest, 2, "this script's thought comes in chunks of one or two tokens");
    assert.ok(over.length > 0 && over.length < full, `budgets cut one token late: ${over.join(", ")}`);
    // Above the thought's own length the model closes it first.
    for (const budget of [full + 1, full + 10]) {
      const { result: r } = await ask({ nativeThoughtBudget: budget });
      assert.equal(r.braked, false, `budget ${budget}`);
      assert.equal(r.thinking, unbudgeted.result.thinking);
    }
    // The engine's own loop reuses the cache node-llama-cpp left and answers as before.
    const again = (await ask()).result;
    assert.equal(again.thinking, unbraked.thinking);
    assert.equal(again.answer, unbraked.answer);
  });

  it("stops on cancel and at the answer cap", async () => {
    let seen = 0;
    const cancelled = await ask({ nativeThoughtBudget: UNREACHED }, (event, id) => {
      if (event.type === "thinking" && ++seen === 5) engine.cancel(id);
    });
    assert.equal(cancelled.result.stopReason, "cancelled");
    assert.ok(cancelled.result.tokens.thinking >= 5 && cancelled.result.tokens.thinking < unbudgeted.result.tokens.thinking, String(cancelled.result.tokens.thinking));
    assert.equal(cancelled.result.answer, "");

    const capped = await ask({ nativeThoughtBudget: 10, maxAnswerTokens: 2 });
    assert.equal(capped.result.stopReason, "answer-cap");
    assert.equal(capped.result.tokens.answer, 2);
    assert.equal(capped.result.brake?.reason, "budget");
  });

  it("refuses a model whose chat format has no thought segment, instead of running without a budget", async () => {
    const noThinking = new Engine();
    try {
      await noThinking.load(cpuConfig(models.noThinking));
      await assert.rejects(noThinking.ask("x", { ...askRequest(), nativeThoughtBudget: 20 }, () => undefined), (error: unknown) => {
        assert.ok(error instanceof EngineError);
        assert.equal(error.code, "no-thought-segment");
        assert.match(error.message, /chat template has no thought segment node-llama-cpp recognises \(chat format: ChatML\)/);
        return true;
      });
      const plain = await noThinking.ask("y", askRequest(), () => undefined);
      assert.equal(plain.thinkingMode, "not-applicable");
    } finally {
      await noThinking.unload({ releaseBackend: true });
    }
  });
});

