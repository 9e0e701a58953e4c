import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProblems } from "../../../../src/core/calibration/problems";
import type { CalibrationProblem } from "../../../../src/core/calibration/problems";
import { answerIsRight, makeRecording, parseRecordings, recordingLine } from "../../../../src/core/calibration/recording";

const math: CalibrationProblem = { id: "m1", question: "What is 12 × 3?", answer: "36", kind: "math" };
const output: CalibrationProblem = { id: "o1", question: "```python\ndef f(s):\n    return s.upper()\n```\n\nf('ab')\n\nWhat does this return?", answer: "'AB'", kind: "output" };

describe("calibration recordings", () => {
  it("scores numbers by value and outputs as Python values", () => {
    assert.equal(answerIsRight("The answer is **36**.", "36", "math"), true);
    assert.equal(answerIsRight("So \\boxed{36.0}", "36", "math"), true);
    assert.equal(answerIsRight("The answer is 37.", "36", "math"), false);
    assert.equal(answerIsRight('It returns `"AB"`.', "'AB'", "output"), true);
    assert.equal(answerIsRight("It returns `'ab'`.", "'AB'", "output"), false);
    assert.equal(answerIsRight("", "36", "math"), false);
  });

  it("round-trips through a JSONL line, signals included, and replay reads it as a trace", () => {
    const r = makeRecording(math, { model: "m", thinking: "12 × 3 = 36.\n\n", answer: "The answer is 36.", signals: [{ offset: 14, probability: 0.4, margin: 0.2 }], thinkingTokens: 9, seconds: 1.5 });
    assert.equal(r.correct, true);
    assert.equal(r.dataset, "gsm8k");
    assert.equal(r.trace, "<think>12 × 3 = 36.\n\n</think>The answer is 36.");
    const o = makeRecording(output, { model: "m", thinking: "upper", answer: "`'AB'`" });
    assert.equal(o.dataset, "cruxeval_output");
    assert.equal(o.correct, true);
    assert.equal(o.signals, undefined);
    const parsed = parseRecordings([recordingLine(r), recordingLine(o), '{"id": "half'].join("\n"));
    assert.deepEqual(parsed.recordings, [r, o]);
    assert.equal(parsed.skipped.length, 1);
  });
});

describe("calibration problems", () => {
  it("parses a user's file: kind inferred, ids defaulted, bad lines skipped", () => {
    const text = [
      JSON.stringify({ id: "a", question: "What is 2 + 2?", answer: 4 }),
      JSON.stringify({ question: "def f(x): return x\n\nWhat does f(3) return?", answer: "3" }),
      JSON.stringify({ id: "a", question: "dup", answer: "1" }),
      JSON.stringify({ id: "c", question: "q", answer: "1", kind: "code" }),
      "nope",
    ].join("\n");
    const { problems, skipped } = parseProblems(text);
    assert.deepEqual(problems, [
      { id: "a", question: "What is 2 + 2?", answer: "4", kind: "math" },
      { id: "line-2", question: "def f(x): return x\n\nWhat does f(3) return?", answer: "3", kind: "output" },
    ]);
    assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5]);
  });
});
