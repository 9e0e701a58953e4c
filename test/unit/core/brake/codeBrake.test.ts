import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBrakeDetector } from "../../../../src/core/brake/detector";
import type { BrakeConfigInput } from "../../../../src/core/brake/config";
import type { BrakeDecision } from "../../../../src/core/brake/types";

const QUESTION = "Write a Python function that merges two sorted lists into one sorted list.";

const DRAFT = "```python\ndef merge(a, b):\n    out = []\n    i = j = 0\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]\n```";
// the same code, restated with a comment, a docstring and other spacing
const RESTATED = 'def merge(a, b):\n    """Merge two sorted lists."""\n    out = []  # result\n    i = j = 0\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]';
// a real revision: the comparison changed
const REVISED = DRAFT.replace("a[i] <= b[j]", "a[i] < b[j]");

function steps(...parts: string[]): string {
  return parts.map((p) => `${p}\n\n`).join("");
}

function run(thinking: string, config: BrakeConfigInput = {}, chunk = thinking.length): BrakeDecision {
  const d = createBrakeDetector({ answerFormat: "code", question: QUESTION, ...config });
  let last: BrakeDecision = { kind: "continue", armed: false };
  for (let at = 0; at < thinking.length; at += chunk) {
    const piece = thinking.slice(at, at + chunk);
    last = d.push(piece, piece.length); // one token a character, whatever the chunking
    if (last.kind === "brake") return last;
  }
  return last;
}

const FILLER = ["I need to merge two sorted lists.", "Two pointers will do.", "Let me write it."];
const CHECKS = ["Wait, what about empty lists? Then the slices return the rest.", "Hmm, let me double-check the loop.", "Wait, duplicates keep their order too.", "Let me verify once more.", "Hmm, it seems fine."];

describe("the brake on code questions", () => {
  it("anchors on a complete draft, is confirmed when the same code is written out again, and explains it in code terms", () => {
    const decision = run(steps(...FILLER, DRAFT, ...CHECKS.slice(0, 2), RESTATED, ...CHECKS));
    assert.equal(decision.kind, "brake");
    assert.ok(decision.kind === "brake");
    assert.equal(decision.reason, "overthinking");
    assert.equal(decision.evidence.questionKind, "code");
    assert.equal(decision.evidence.anchoredAnswer, "`merge`");
    assert.equal(decision.evidence.anchorStep, 4);
    assert.match(decision.explanation, /the code `merge` was drafted in step 4 and confirmed 1× since \(written out again unchanged, or traced on an example\)/);
  });

  it("does not brake on talk about testing alone, and a changed body starts over", () => {
    assert.equal(run(steps(...FILLER, DRAFT, ...CHECKS, ...CHECKS)).kind, "continue", "no restatement: no confirmation");
    const revised = run(steps(...FILLER, DRAFT, ...CHECKS.slice(0, 2), REVISED, ...CHECKS.slice(0, 2), REVISED, ...CHECKS));
    assert.ok(revised.kind === "brake");
    assert.equal(revised.evidence.anchorStep, 7, "anchored on the revision");
    assert.equal(revised.evidence.revisions, 1);
  });

  it("decides the same whatever the chunking", () => {
    const thinking = steps(...FILLER, DRAFT, ...CHECKS.slice(0, 2), RESTATED, ...CHECKS);
    const whole = run(thinking);
    for (const chunk of [1, 3, 17]) assert.deepEqual(run(thinking, {}, chunk), whole, `chunks of ${chunk}`);
  });
});
