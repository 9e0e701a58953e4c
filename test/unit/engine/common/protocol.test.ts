import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Engine } from "../../../../src/engine/process/engine";
import { EngineError } from "../../../../src/engine/common/errors";
import { EventBatcher } from "../../../../src/engine/process/eventBatcher";
import { RequestHandler } from "../../../../src/engine/process/requestHandler";
import { parseEngineMessage, parseEngineRequest } from "../../../../src/engine/common/protocol";
import type { EngineMessage } from "../../../../src/engine/common/protocol";
import type { GenerationEvent } from "../../../../src/engine/common/types";
import { separatorAfter } from "../../../../src/engine/process/generation/injection";

const request = {
  question: "q",
  history: [],
  brake: { mode: "adaptive", threshold: 0.2, maxThinkingTokens: 100, cue: "stop", probe: "off" },
  generation: { temperature: 0.6, maxAnswerTokens: 64, thinking: true },
};

describe("engine protocol", () => {
  it("accepts well-formed requests and rejects malformed ones with the place of the problem", () => {
    assert.equal(parseEngineRequest({ kind: "ask", id: "a", request }).ok, true);
    const bad = parseEngineRequest({ kind: "ask", id: "a", request: { ...request, brake: { ...request.brake, threshold: 3 } } });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? "" : bad.problem, /request\.brake\.threshold/);
    assert.equal(parseEngineRequest({ kind: "explode", id: "a" }).ok, false);
    assert.equal(parseEngineRequest({ kind: "load", id: "a", config: { modelPath: "/m.gguf", gpu: "tpu", gpuLayers: "auto", contextSize: "auto", threads: "auto" } }).ok, false);
    assert.equal(parseEngineMessage({ kind: "event", id: "a", event: { type: "thinking", text: "x", tokens: 1 } }).ok, true);
    assert.equal(parseEngineMessage({ kind: "event", id: "a", event: { type: "thinking", text: "x", tokens: -1 } }).ok, false);
  });

  it("takes node-llama-cpp's thought budget as a positive whole number of tokens, or not at all", () => {
    const ask = (nativeThoughtBudget: unknown) => parseEngineRequest({ kind: "ask", id: "a", request: { ...request, nativeThoughtBudget } });
    for (const ok of [1, 37, 100_000]) {
      const parsed = ask(ok);
      assert.ok(parsed.ok && parsed.value.kind === "ask", String(ok));
      assert.equal(parsed.value.request.nativeThoughtBudget, ok);
    }
    const without = parseEngineRequest({ kind: "ask", id: "a", request });
    assert.ok(without.ok && without.value.kind === "ask" && without.value.request.nativeThoughtBudget === undefined);
    for (const bad of [0, -5, 2.5, "37", null, Number.NaN, Number.POSITIVE_INFINITY, true]) {
      const parsed = ask(bad);
      assert.equal(parsed.ok, false, String(bad));
      assert.match(parsed.ok ? "" : parsed.problem, /request\.nativeThoughtBudget/, String(bad));
    }
  });

  it("answers a malformed message with a protocol error instead of acting on it", () => {
    const sent: EngineMessage[] = [];
    const server = new RequestHandler({} as Engine, (m) => sent.push(m), () => undefined); // the engine is never reached
    server.handle({ kind: "ask", id: "x1", request: { question: 42 } });
    assert.equal(sent.length, 1);
    const reply = sent[0];
    assert.ok(reply?.kind === "error");
    assert.equal(reply.id, "x1");
    assert.equal(reply.error.code, "protocol");
  });

  it("sends engine errors back with their code", async () => {
    const sent: EngineMessage[] = [];
    const engine = {
      ask: async () => {
        throw new EngineError("not-loaded", "No model is loaded.");
      },
    } as unknown as Engine; // only ask() is used
    new RequestHandler(engine, (m) => sent.push(m), () => undefined).handle({ kind: "ask", id: "x2", request });
    await new Promise((r) => setTimeout(r, 20));
    const reply = sent.find((m) => m.kind === "error");
    assert.ok(reply?.kind === "error");
    assert.deepEqual(reply.error, { code: "not-loaded", message: "No model is loaded." });
  });
});

describe("event batching", () => {
  it("merges deltas of one kind and keeps the order of everything else", async () => {
    const out: GenerationEvent[] = [];
    const batcher = new EventBatcher((e) => out.push(e), 5);
    batcher.push({ type: "thinking", text: "a", tokens: 1 });
    batcher.push({ type: "thinking", text: "b", tokens: 2 });
    batcher.push({ type: "brake", brake: { reason: "manual", explanation: "", thinkingTokens: 3, charOffset: 2, discardedTokens: 0, injectedText: "", injectedTokens: 0, score: null, anchoredAnswer: null } });
    batcher.push({ type: "answer", text: "c", tokens: 1 });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      out.map((e) => (e.type === "thinking" || e.type === "answer" ? `${e.type}:${e.text}:${e.tokens}` : e.type)),
      ["thinking:ab:3", "brake", "answer:c:1"],
    );
  });
});

describe("cue placement", () => {
  it("starts the cue on a new paragraph", () => {
    assert.equal(separatorAfter("So it is 4.\n\n"), "");
    assert.equal(separatorAfter("So it is 4.\n"), "\n");
    assert.equal(separatorAfter("So it is"), "\n\n");
    assert.equal(separatorAfter(""), "");
  });
});
