import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SegmentSplitter } from "../../../../../src/engine/process/generation/segmentSplitter";
import type { SplitterOutput } from "../../../../../src/engine/process/generation/segmentSplitter";

function run(splitter: SegmentSplitter, chunks: string[]): SplitterOutput[] {
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.flush()];
}

function text(outputs: SplitterOutput[], kind: "thought" | "answer"): string {
  return outputs.flatMap((o) => (o.kind === kind ? [o.text] : [])).join("");
}

const config = { open: "<think>", close: "</think>", startInThought: false, stopTexts: ["<|im_end|>"] };

describe("thinking / answer splitter", () => {
  it("finds markers split across chunks, and drops the whitespace around them", () => {
    const out = run(new SegmentSplitter(config), ["<th", "ink>\nLet me", " see.\n</", "think>", "\n\nThe answer", " is 4.<|im", "_end|>ignored"]);
    assert.equal(text(out, "thought"), "Let me see.\n");
    assert.equal(text(out, "answer"), "The answer is 4.");
    assert.deepEqual(
      out.filter((o) => o.kind !== "thought" && o.kind !== "answer").map((o) => o.kind),
      ["thought-opened", "thought-closed", "stop"],
    );
  });

  it("gives raw offsets that map thinking characters back to the output", () => {
    const raw = "<think>\nabc\n\ndef</think>\n\nxyz";
    const out = run(new SegmentSplitter(config), [...raw]);
    const first = out.find((o) => o.kind === "thought");
    assert.ok(first && first.kind === "thought");
    assert.equal(raw.slice(first.rawStart, first.rawStart + 3), "abc");
    const answer = out.find((o) => o.kind === "answer");
    assert.ok(answer && answer.kind === "answer");
    assert.equal(raw.slice(answer.rawStart), "xyz");
  });

  it("starts inside the thought when the prompt opened it", () => {
    const out = run(new SegmentSplitter({ ...config, startInThought: true }), ["\nhmm", "</think>ok"]);
    assert.equal(text(out, "thought"), "hmm");
    assert.equal(text(out, "answer"), "ok");
  });

  it("treats output without a think block as the answer", () => {
    const out = run(new SegmentSplitter(config), ["  <b>", "Hello</b>"]);
    assert.equal(text(out, "answer"), "<b>Hello</b>");
    assert.equal(text(out, "thought"), "");
    const none = run(new SegmentSplitter({ open: null, close: null, startInThought: false, stopTexts: [] }), ["<think>x"]);
    assert.equal(text(none, "answer"), "<think>x");
  });

  it("keeps a thought that never closes", () => {
    const out = run(new SegmentSplitter({ ...config, startInThought: true }), ["still thinking </thi"]);
    assert.equal(text(out, "thought"), "still thinking </thi");
  });
});
