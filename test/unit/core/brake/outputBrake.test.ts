import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BrakeConfigInput } from "../../../../src/core/brake/config";
import { createBrakeDetector } from "../../../../src/core/brake/detector";
import { feed as feedChunks } from "./feed";
import type { BrakeDecision } from "../../../../src/core/brake/types";

/** A CRUXEval-style question the tests' thinking traces (written for these tests). */
const QUESTION = [
  "def f(words):",
  "    out = []",
  "    for w in words:",
  "        if len(w) > 2:",
  "            out.append(w.upper())",
  "    return out",
  "assert f(['ab', 'cde', 'fghi']) == ??",
  "What does the function return? Complete the assert with the output.",
].join("\n");

const OUTPUT: BrakeConfigInput = { answerFormat: "output", maxThinkingTokens: Infinity, question: QUESTION };

const TRACED = [
  "Let me trace f with ['ab', 'cde', 'fghi'].",
  "'ab' has length 2, which is not more than 2, so it is skipped.",
  "'cde' has length 3, so 'CDE' is appended; out is ['CDE'].",
  "'fghi' has length 4, so 'FGHI' is appended.",
  "So the output is ['CDE', 'FGHI'].",
  "Wait, let me double-check the first word. 'ab' is skipped, yes.",
  "So f returns ['CDE', 'FGHI'].",
  "Let me verify once more with each length. 2, 3, 4. Yes.",
  "",
].join("\n\n");

/** The tests' default chunking: 7 characters at a time. */
const feed = (text: string, config: BrakeConfigInput, size = 7): BrakeDecision => feedChunks(text, config, [size]);

/** The offset just after the blank line that ends the step containing `phrase`. */
function endOfStepWith(text: string, phrase: string): number {
  return text.indexOf("\n\n", text.indexOf(phrase)) + 2;
}

describe("program outputs: a stated result settles the answer (the concluded rule)", () => {
  it("brakes at the step that states the traced output, before the re-trace, and says why", () => {
    const d = feed(TRACED, OUTPUT);
    assert.ok(d.kind === "brake", "braked");
    assert.equal(d.reason, "overthinking");
    assert.equal(d.evidence.rule, "concluded");
    assert.equal(d.charOffset, endOfStepWith(TRACED, "So the output is"));
    assert.equal(d.evidence.anchoredAnswer, "['CDE', 'FGHI']");
    assert.equal(d.evidence.currentStep, 5);
    assert.equal(d.evidence.explicitAnswer, true);
    assert.equal(d.evidence.brakeThreshold, 0);
    assert.match(d.explanation, /program's output \['CDE', 'FGHI'\] was stated as its result/);
  });

  it("is the same decision however the text is chunked", () => {
    const at = (size: number): number | null => {
      const d = feed(TRACED, OUTPUT, size);
      return d.kind === "brake" ? d.charOffset : null;
    };
    const one = at(1);
    assert.notEqual(one, null);
    for (const size of [3, 64, 100_000]) assert.equal(at(size), one, `chunks of ${size}`);
  });

  it("waits for the score above the default threshold: a higher τ1 brakes later, a lower one no earlier", () => {
    const later = feed(TRACED, { ...OUTPUT, threshold: 0.45 });
    assert.ok(later.kind === "brake");
    assert.equal(later.evidence.rule, "concluded");
    assert.equal(later.charOffset, endOfStepWith(TRACED, "So f returns"));
    assert.equal(later.evidence.brakeThreshold.toFixed(2), "0.25");
    const lower = feed(TRACED, { ...OUTPUT, threshold: 0.1 });
    assert.ok(lower.kind === "brake");
    assert.equal(lower.charOffset, endOfStepWith(TRACED, "So the output is"));
  });

  it("takes a result stated in the first two steps for a guess: it settles nothing", () => {
    const steps = TRACED.split("\n\n");
    const guessed = ["I think the output is ['AB'].", ...steps.slice(1)].join("\n\n");
    const d = feed(guessed, OUTPUT);
    assert.ok(d.kind === "brake");
    assert.equal(d.evidence.rule, "concluded");
    assert.equal(d.evidence.anchoredAnswer, "['CDE', 'FGHI']", "the traced result replaced the guess");
    assert.equal(d.charOffset, endOfStepWith(guessed, "So the output is"));

    const unchecked = (at: number): string[] => {
      const s = ["Let me look at the loop.", "It keeps words longer than 2.", "It upper-cases them.", "Then it returns the list.", "Hmm, the loop again.", ""];
      s.splice(at, 0, "The output is ['Q'].");
      return s;
    };
    const second = feed(unchecked(1).join("\n\n"), OUTPUT);
    assert.equal(second.kind, "continue", "stated in step 2 and never again: no brake");
    const third = unchecked(2).join("\n\n");
    const d3 = feed(third, OUTPUT);
    assert.ok(d3.kind === "brake");
    assert.equal(d3.evidence.rule, "concluded");
    assert.equal(d3.charOffset, endOfStepWith(third, "The output is ['Q']."));
  });

  it("a result stated tentatively settles nothing: it waits for a restatement like any explicit answer", () => {
    const unsure = TRACED.replace("So the output is ['CDE', 'FGHI'].", "So I think the output is ['CDE', 'FGHI']?");
    const d = feed(unsure, OUTPUT);
    assert.ok(d.kind === "brake");
    assert.notEqual(d.evidence.rule, "concluded");
    assert.equal(d.charOffset, endOfStepWith(unsure, "So f returns"), "braked after the restatement, not at the question");
  });

  it("a result the model doubts in the same step settles nothing", () => {
    const doubted = TRACED.replace("So the output is ['CDE', 'FGHI'].", "So the output is ['CDE', 'FGHI']? Wait, no, let me look at 'ab' again.");
    const d = feed(doubted, OUTPUT);
    assert.ok(d.kind === "brake");
    assert.notEqual(d.evidence.rule, "concluded");
    assert.ok(d.charOffset > endOfStepWith(doubted, "So the output is"));
  });

  it("implied results still wait for restatements (the rule is for stated ones)", () => {
    const implied = TRACED.replace("So the output is ['CDE', 'FGHI'].", "The function returns ['CDE', 'FGHI'].").replace("So f returns", "Again, the function returns");
    const d = feed(implied, OUTPUT);
    assert.equal(d.kind, "continue");
    const snapshot = createBrakeDetector(OUTPUT);
    snapshot.push(implied, implied.length / 4);
    const e = snapshot.snapshot().evidence;
    assert.equal(e.anchoredAnswer, "['CDE', 'FGHI']");
    assert.equal(e.explicitAnswer, false);
    assert.equal(e.confirmations, 1);
    assert.equal(e.confirmationsRequired, 2, "an implied output needs more restatements");
  });

  it("is the output format's policy only: a number answer stated once still waits for its check", () => {
    const number = ["Let me add 19 and 23.", "19 + 20 is 39.", "39 + 3 is 42.", "So the answer is 42.", "Wait, let me check again.", ""].join("\n\n");
    const d = feed(number, { answerFormat: "number", maxThinkingTokens: Infinity, question: "What is 19 + 23?" });
    assert.equal(d.kind, "continue");
    const checked = number.replace("Wait, let me check again.", "Wait, let me check again. 23 + 19 = 42.");
    const c = feed(checked, { answerFormat: "number", maxThinkingTokens: Infinity, question: "What is 19 + 23?" });
    assert.ok(c.kind === "brake");
    assert.notEqual(c.evidence.rule, "concluded");
    assert.equal(c.charOffset, checked.length);
  });

  it("turns off with the policy (formatPolicy.output.explicitSettles: false): the restatement is awaited", () => {
    const d = feed(TRACED, { ...OUTPUT, formatPolicy: { output: { implicitExtraConfirmations: 2, explicitSettles: false } } });
    assert.ok(d.kind === "brake");
    assert.equal(d.evidence.rule, "eta");
    assert.equal(d.charOffset, endOfStepWith(TRACED, "So f returns"));
  });
});
