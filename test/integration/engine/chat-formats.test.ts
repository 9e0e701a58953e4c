/** Thinking markers and end-of-thinking text of node-llama-cpp's reasoning chat wrappers (no model needed). */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { NodeLlamaCpp } from "../../../src/engine/process/chat/wrapper";
import { thoughtFormatOf } from "../../../src/engine/process/chat/wrapper";

let lib: NodeLlamaCpp;

before(async () => {
  lib = await import("node-llama-cpp");
});

describe("reasoning chat formats", () => {
  it("Qwen (Qwen3, QwQ): <think> markers, the model opens its own thought in Qwen3 style", () => {
    const format = thoughtFormatOf(lib, new lib.QwenChatWrapper(), null);
    assert.ok(format);
    assert.equal(format.open, "<think>");
    assert.equal(format.close, "</think>");
    assert.equal(format.openOnResponseStart, false);
    assert.ok(format.closeText.toString().includes("</think>"));
    assert.equal(thoughtFormatOf(lib, new lib.QwenChatWrapper({ variation: "3.5" }), null)?.openOnResponseStart, true);
  });

  it("DeepSeek-R1 distills: <think> markers", () => {
    const format = thoughtFormatOf(lib, new lib.DeepSeekChatWrapper(), null);
    assert.equal(format?.open, "<think>");
    assert.equal(format?.close, "</think>");
    assert.ok(format?.closeText.toString().includes("</think>"));
  });

  it("marks the closing tag as special tokens, so it tokenizes to the model's own token", () => {
    const format = thoughtFormatOf(lib, new lib.QwenChatWrapper(), null);
    const special = format?.closeText.values.filter((v) => v instanceof lib.SpecialTokensText) ?? [];
    assert.ok(special.some((v) => v instanceof lib.SpecialTokensText && v.value.includes("</think>")));
  });

  it("plain ChatML has no thinking segment", () => {
    assert.equal(thoughtFormatOf(lib, new lib.ChatMLChatWrapper(), null), null);
  });
});
