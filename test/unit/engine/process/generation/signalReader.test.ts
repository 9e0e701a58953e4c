import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import { StepSegmenter } from "../../../../../src/core/brake/steps";
import { endOfThinkingToken, StepBoundaries } from "../../../../../src/engine/process/generation/signalReader";

/** Where the core detector's step segmenter says a step boundary ends, after each piece. */
function coreBoundaries(pieces: readonly string[]): boolean[] {
  const seg = new StepSegmenter();
  return pieces.map((p) => {
    seg.push(p);
    return p.length > 0 && seg.currentStepStart === seg.offset && seg.offset > 0;
  });
}

describe("step boundaries for the end-of-thinking signal", () => {
  it("end where the text ends with a blank line, matched left to right as the detector splits steps", () => {
    const b = new StepBoundaries();
    assert.deepEqual(
      ["Let me", " think.", "\n", "\n", "Next", ".\n\n", "\n", "\n", "x\n\n\n"].map((p) => b.push(p)),
      [false, false, false, true, false, true, false, true, false],
    );
  });

  it("agrees with the core step segmenter on random texts cut into random tokens", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ["\n", "\n", "\n", "a", " ", "b."];
    for (let trial = 0; trial < 300; trial++) {
      const pieces: string[] = [];
      for (let i = 0; i < 40; i++) {
        let piece = "";
        const len = 1 + rand(4);
        for (let j = 0; j < len; j++) piece += alphabet[rand(alphabet.length)] ?? "";
        pieces.push(piece);
      }
      const b = new StepBoundaries();
      assert.deepEqual(pieces.map((p) => b.push(p)), coreBoundaries(pieces), JSON.stringify(pieces));
    }
  });

  it("starts over on the kept thinking after a cut", () => {
    const b = new StepBoundaries();
    b.push("One.\n\nTwo.\n");
    b.reset("One.\n");
    assert.equal(b.push("\n"), true, "the kept text ends with a newline: the next one completes a blank line");
    b.reset("One.\n\n");
    assert.equal(b.push("\n"), false, "a third newline is not a new boundary");
    assert.equal(b.push(""), false, "no text, no boundary");
  });
});

describe("the end-of-thinking token", () => {
  it("is the closing marker when it is one token, else none", () => {
    const single = { tokenize: (text: string, special: boolean): Token[] => (special && text === "</think>" ? [7 as Token] : [1 as Token, 2 as Token]) };
    assert.equal(endOfThinkingToken(single, "</think>"), 7);
    assert.equal(endOfThinkingToken(single, "</reasoning>"), null);
  });
});
