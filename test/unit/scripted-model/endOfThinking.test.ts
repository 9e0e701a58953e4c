/**
 * Scripted models with a chosen end-of-thinking probability: the logit arithmetic, and the
 * weights actually written (the softmax of every state computed back from the GGUF's tensors).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alternativeLogit, alternativeProbabilities, buildScriptedModel, ScriptedModelError } from "../../../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { unescapeRwkv } from "../../../src/scripted-model/rwkvSpelling";
import { OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import { readGguf, type Gguf } from "./readGguf";

/** The softmax llama.cpp computes in a state: RMS norm of the one-hot embedding, then output.weight. */
function distributionOf(g: Gguf, state: number): Float64Array {
  const out = g.tensors.get("output.weight");
  assert.ok(out);
  const [d, vocab] = out.dims as [number, number];
  const eps = g.meta.get("llama.attention.layer_norm_rms_epsilon") as number;
  const scale = 1 / Math.sqrt(1 / d + eps);
  const logits = new Float64Array(vocab);
  for (let j = 0; j < vocab; j++) logits[j] = (out.data[j * d + state] as number) * scale;
  const max = Math.max(...logits);
  let sum = 0;
  for (let j = 0; j < vocab; j++) sum += Math.exp((logits[j] as number) - max);
  return logits.map((l) => Math.exp(l - max) / sum);
}

/** The embedding state of a token (its one-hot direction). */
function stateOf(g: Gguf, tokenId: number): number {
  const embd = g.tensors.get("token_embd.weight");
  assert.ok(embd);
  const d = embd.dims[0] as number;
  const row = embd.data.subarray(tokenId * d, (tokenId + 1) * d);
  return row.indexOf(1);
}

function argmax(xs: Float64Array): number {
  let best = 0;
  xs.forEach((x, i) => {
    if (x > (xs[best] as number)) best = i;
  });
  return best;
}

const WITH_SIGNAL = { ...OVERTHINKING, endOfThinking: [{ afterStep: 2, probability: 0.05 }, { afterStep: 5, probability: 0.3 }, { afterStep: 3, probability: 0.9 }] };

describe("the end-of-thinking logit arithmetic", () => {
  it("gives the asked probability under the softmax over the whole vocabulary", () => {
    for (const vocab of [300, 151_936]) {
      for (const L of [16, 50]) {
        for (const p of [1e-6, 0.05, 0.3, 0.49, 0.6, 0.999]) {
          const x = alternativeLogit(p, L, vocab);
          // Direct softmax: successor L, alternative x, vocab − 2 tokens at 0.
          const top = Math.max(x, L);
          const sum = Math.exp(x - top) + Math.exp(L - top) + (vocab - 2) * Math.exp(-top);
          assert.ok(Math.abs(Math.exp(x - top) / sum - p) < 1e-12 * Math.max(1, p * 1e3), `V ${vocab}, L ${L}, p ${p}`);
          const both = alternativeProbabilities(x, L, vocab);
          assert.ok(Math.abs(both.alternative - p) < 1e-12);
          assert.ok(x < L === both.script > both.alternative, "below ½ the script keeps the top logit");
        }
      }
    }
  });

  it("leaves the script's token 1 − p and a margin of L − x nats", () => {
    const L = 50;
    const x = alternativeLogit(0.3, L, 323);
    const { script } = alternativeProbabilities(x, L, 323);
    assert.ok(Math.abs(script - 0.7) < 1e-12, "e^50 dwarfs the vocabulary");
    assert.ok(Math.abs(Math.log(script / 0.3) - (L - x)) < 1e-9);
  });
});

describe("scripted models with an end-of-thinking probability", () => {
  it("write the logit that gives each chosen probability after the chosen step, and nothing else changes", () => {
    const plain = buildScriptedModel(reasoningModelSpec(OVERTHINKING));
    const { gguf, info } = buildScriptedModel(reasoningModelSpec(WITH_SIGNAL));
    assert.equal(info.tokenCount, plain.info.tokenCount, "same vocabulary");
    const g = readGguf(gguf);
    const p = readGguf(plain.gguf);
    const tokens = g.meta.get("tokenizer.ggml.tokens") as string[];
    const endId = tokens.indexOf("</think>");
    assert.deepEqual(
      info.alternatives.map((a) => [a.chain, a.token, a.tokenId, Number(a.probability.toFixed(6))]),
      [
        ["thought", "</think>", endId, 0.05],
        ["thought", "</think>", endId, 0.9],
        ["loop", "</think>", endId, 0.3],
      ],
    );
    // rms_norm(one-hot) = one-hot / sqrt(1/d + ε): a shade under 50.
    assert.ok(Math.abs(info.successorLogit - 50 / Math.sqrt(1 + info.embeddingLength * Math.fround(1e-5))) < 1e-5, `${info.successorLogit}`);
    const outA = g.tensors.get("output.weight")?.data;
    const outB = p.tensors.get("output.weight")?.data;
    assert.ok(outA && outB);
    let changed = 0;
    for (let i = 0; i < outA.length; i++) if (outA[i] !== outB[i]) changed++;
    assert.equal(changed, 3, "one weight per point");

    // Every state's distribution, computed back from the weights the way llama.cpp does.
    const d = (g.tensors.get("output.weight")?.dims[0] ?? 0) as number;
    const successors = new Map<number, number>(); // state → the script's next token
    for (let j = 0; j < tokens.length; j++) for (let s = 0; s < d; s++) if ((outB[j * d + s] ?? 0) !== 0) successors.set(s, j);
    // The states whose </think> weight changed: one per point, each after a blank line.
    const states: number[] = [];
    for (let s = 0; s < d; s++) if (outA[endId * d + s] !== outB[endId * d + s]) states.push(s);
    assert.equal(states.length, 3);
    const asked = [0.05, 0.9, 0.3];
    for (const state of states) {
      const dist = distributionOf(g, state);
      const a = info.alternatives.find((x) => Math.abs(x.probability - (dist[endId] as number)) < 1e-6 * x.probability);
      assert.ok(a, `</think> has ${dist[endId]} in state ${state}, one of the asked probabilities`);
      // The float32 weight moves the logit by up to ~50 × 6·10⁻⁸: a few 10⁻⁶ of the probability.
      assert.ok(asked.some((q) => Math.abs(q - (dist[endId] as number)) < 1e-5 * q), "as asked, computed back from the weights");
      const next = successors.get(state);
      assert.ok(next !== undefined);
      assert.ok(Math.abs((dist[next] as number) - a.scriptProbability) < 1e-6);
      assert.equal(argmax(dist), a.probability < 0.5 ? next : endId, "greedy follows the script below ½, takes </think> above");
      const stateToken = tokens.findIndex((_, id) => stateOf(g, id) === state);
      assert.equal(unescapeRwkv(tokens[stateToken] ?? "").toString("utf8"), "\n\n", "after a blank line");
    }
  });

  it("gives every other state's </think> a logit of 0 (≈ e⁻⁵⁰)", () => {
    const g = readGguf(buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
    const tokens = g.meta.get("tokenizer.ggml.tokens") as string[];
    const endId = tokens.indexOf("</think>");
    const blank = tokens.findIndex((t) => unescapeRwkv(t).toString("utf8") === "\n\n");
    assert.ok(blank >= 0);
    assert.ok((distributionOf(g, stateOf(g, blank))[endId] as number) < 1e-20);
  });

  it("pads the vocabulary with unused tokens that change no distribution", () => {
    const { gguf, info } = buildScriptedModel({ ...reasoningModelSpec(WITH_SIGNAL), padVocabularyTo: 5000 });
    assert.equal(info.tokenCount, 5000);
    const g = readGguf(gguf);
    const tokens = g.meta.get("tokenizer.ggml.tokens") as string[];
    const types = g.meta.get("tokenizer.ggml.token_type") as number[];
    assert.equal(new Set(tokens).size, tokens.length);
    assert.equal(types.at(-1), 5, "unused");
    assert.match(tokens.at(-1) ?? "", /^\\xff#/);
    // The probabilities were worked out for the larger vocabulary: still the asked ones.
    for (const a of info.alternatives) assert.ok(Math.abs(a.probability - [0.05, 0.9, 0.3][info.alternatives.indexOf(a)]!) < 1e-6);
  });

  it("refuses points it cannot honour, before writing anything", () => {
    const spec = reasoningModelSpec(OVERTHINKING);
    const withAlt = (alternatives: NonNullable<ScriptedModelSpec["chains"][string]["alternatives"]>, chain = "thought"): ScriptedModelSpec => {
      const c = spec.chains[chain];
      assert.ok(c);
      return { ...spec, chains: { ...spec.chains, [chain]: { ...c, alternatives } } };
    };
    const fails = (s: ScriptedModelSpec, pattern: RegExp): void => {
      assert.throws(() => buildScriptedModel(s), (e: unknown) => e instanceof ScriptedModelError && pattern.test(e.message));
    };
    fails(withAlt([{ after: 999, token: "</think>", probability: 0.1 }]), /has tokens 0 to/);
    fails(withAlt([{ after: 1, token: "nope", probability: 0.1 }]), /not a special token/);
    fails(withAlt([{ after: 1, token: "</think>", probability: 0 }]), /not between 0 and 1/);
    fails(withAlt([{ after: 1, token: "</think>", probability: 1 }]), /not between 0 and 1/);
    fails(withAlt([{ after: 1, token: "</think>", probability: 0.1 }, { after: 1, token: "<think>", probability: 0.1 }]), /one alternative per token/);
    fails(withAlt([{ after: 1, token: "</think>", probability: 0.5 }]), /ties with the script's own token/);
    fails(withAlt([{ after: 0, token: "</think>", probability: 0.1 }], "close"), /already the script's next token/);
    assert.throws(() => reasoningModelSpec({ ...OVERTHINKING, endOfThinking: [{ afterStep: 6, probability: 0.1 }] }), /steps 1 to 5/);
    assert.throws(() => reasoningModelSpec({ ...SELF_ENDING, endOfThinking: [{ afterStep: 2, probability: 0.1 }] }), /steps 1 to 1/);
    fails({ ...spec, padVocabularyTo: -1 }, /padVocabularyTo/);
  });
});
