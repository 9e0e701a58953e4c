import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildScriptedModel, ScriptedModelError } from "../../../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { unescapeRwkv } from "../../../src/scripted-model/rwkvSpelling";
import { DEMO, noThinkingModelSpec, OVERTHINKING, reasoningModelSpec, scriptTokens } from "../../../src/scripted-model/scripts";
import { readGguf } from "./readGguf";

const base = (): ScriptedModelSpec => reasoningModelSpec(OVERTHINKING);

describe("scripted model generator", () => {
  it("writes a small llama GGUF v3 with distinct stored token texts, in milliseconds", () => {
    const started = performance.now();
    const { gguf, info } = buildScriptedModel(base());
    const ms = performance.now() - started;
    const { version, tensors, meta } = readGguf(gguf);
    assert.equal(version, 3);
    assert.equal(tensors.size, 12);
    assert.equal(meta.get("general.architecture"), "llama");
    assert.equal(meta.get("tokenizer.ggml.model"), "rwkv");
    assert.match(String(meta.get("general.description")), /not a language model/);
    const tokens = meta.get("tokenizer.ggml.tokens") as string[];
    assert.equal(new Set(tokens).size, tokens.length, "llama.cpp aborts on duplicate token texts");
    assert.equal(tokens.length, info.tokenCount);
    assert.equal(meta.get("llama.embedding_length"), info.embeddingLength);
    assert.ok(info.byteLength < 600_000, `${info.byteLength} bytes`);
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
    // Every script token is spelled so that it decodes to its text.
    const decoded = tokens.map((t) => unescapeRwkv(t).toString("utf8"));
    for (const word of scriptTokens(OVERTHINKING.loop ?? "")) assert.ok(decoded.includes(word), JSON.stringify(word));
  });

  it("is deterministic", () => {
    assert.ok(buildScriptedModel(base()).gguf.equals(buildScriptedModel(base()).gguf));
  });

  it("grows the embedding for longer scripts and the demo is labelled", () => {
    const { gguf, info } = buildScriptedModel(reasoningModelSpec(DEMO));
    assert.ok(info.embeddingLength >= info.stateCount);
    assert.match(String(readGguf(gguf).meta.get("general.name")), /scripted demo \(not a language model\)/);
    const plain = readGguf(buildScriptedModel(noThinkingModelSpec()).gguf).meta.get("tokenizer.ggml.tokens") as string[];
    assert.ok(!plain.includes("<think>"), "a model without thinking has no think tokens");
  });

  it("refuses scripts llama.cpp would crash on, before writing anything", () => {
    const spec = base();
    const tooMany: ScriptedModelSpec = { ...spec, chains: { ...spec.chains, thought: { tokens: ["\n", "\n", "\n"], next: "close" } } };
    assert.throws(() => buildScriptedModel(tooMany), (e: unknown) => e instanceof ScriptedModelError && /distinct rwkv spellings/.test(e.message));
    const specialTwice: ScriptedModelSpec = { ...spec, chains: { ...spec.chains, thought: { tokens: ["</think>", "x"], next: "close" } } };
    assert.throws(() => buildScriptedModel(specialTwice), /used twice/);
    const unknownChain: ScriptedModelSpec = { ...spec, chains: { ...spec.chains, thought: { tokens: ["x"], next: "nowhere" } } };
    assert.throws(() => buildScriptedModel(unknownChain), /unknown chain "nowhere"/);
    const embedded: ScriptedModelSpec = { ...spec, chains: { ...spec.chains, thought: { tokens: ["a</think>"], next: "close" } } };
    assert.throws(() => buildScriptedModel(embedded), /contains the special token/);
  });

  it("splits script text into word tokens", () => {
    assert.deepEqual(scriptTokens("So the answer is 36.\n\nWait,"), ["So", " the", " answer", " is", " 36.", "\n\n", "Wait,"]);
  });
});
