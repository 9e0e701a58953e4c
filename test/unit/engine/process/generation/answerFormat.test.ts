import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerFormatOf } from "../../../../../src/engine/process/generation/detector";

describe("the question's kind with code attached", () => {
  it("reads the kind from the user's words; attached code makes a question of no recognisable kind a code question", () => {
    assert.equal(answerFormatOf({ question: "Does this keep duplicates?", attachedCode: false }), "auto");
    assert.equal(answerFormatOf({ question: "Does this keep duplicates?", attachedCode: true }), "code");
    assert.equal(answerFormatOf({ question: "What does f([1, 2]) return?", attachedCode: true }), "output");
    assert.equal(answerFormatOf({ question: "Explain the trade-offs of this design", attachedCode: true }), "auto", "an open question stays open: budget only");
  });
});
