import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBrakeDetector } from "../../../../src/core/brake/detector";
import type { BrakeConfigInput } from "../../../../src/core/brake/config";
import { feed } from "./feed";
import { effectiveBudget, resolveBrakeConfig } from "../../../../src/core/brake/config";
import type { BrakeDecision } from "../../../../src/core/brake/types";
import {
  APPLES_BRAKE_AT,
  APPLES_QUESTION,
  APPLES_THINKING,
  BOOKS_BRAKE_AT,
  BOOKS_QUESTION,
  BOOKS_THINKING,
  LONELY_THINKING,
} from "../../fixtures/traces";

const NUMBER: BrakeConfigInput = { answerFormat: "number", maxThinkingTokens: Infinity };

describe("adaptive brake", () => {
  it("brakes after the answer is stated and confirmed, at a step boundary, with its evidence", () => {
    const d = feed(APPLES_THINKING, { ...NUMBER, question: APPLES_QUESTION });
    assert.equal(d.kind, "brake");
    if (d.kind !== "brake") return;
    assert.equal(d.reason, "overthinking");
    assert.equal(d.charOffset, APPLES_BRAKE_AT);
    assert.ok(APPLES_THINKING.slice(0, d.charOffset).endsWith("So the answer is 42.\n\n"));
    assert.equal(d.evidence.anchoredAnswer, "42");
    assert.equal(d.evidence.anchorStep, 2);
    assert.equal(d.evidence.currentStep, 3);
    assert.equal(d.evidence.confirmations, 1);
    assert.equal(d.evidence.explicitAnswer, true);
    assert.equal(d.evidence.anchorKind, "phrase");
    assert.equal(d.evidence.rule, "eta");
    assert.equal(d.evidence.distinctAnswers, 1);
    assert.ok(Math.abs((d.evidence.etaHat ?? 0) - 2 / 3) < 1e-12);
    assert.ok((d.evidence.score ?? 0) >= 0.25);
    assert.equal(d.evidence.thinkingChars, APPLES_BRAKE_AT);
    assert.ok(Math.abs(d.evidence.thinkingTokens - APPLES_BRAKE_AT / 4) < 1e-9);
    assert.match(d.explanation, /answer 42 was first stated in step 2/);
  });

  it("resets the anchor when the answer changes", () => {
    const d = feed(BOOKS_THINKING, { ...NUMBER, question: BOOKS_QUESTION });
    assert.equal(d.kind, "brake");
    if (d.kind !== "brake") return;
    assert.equal(d.charOffset, BOOKS_BRAKE_AT);
    assert.equal(d.evidence.anchoredAnswer, "15");
    assert.equal(d.evidence.anchorStep, 2);
    assert.equal(d.evidence.distinctAnswers, 2);
    // the first guess was never held (not restated, not explicit): no revision against the explicit 15
    assert.equal(d.evidence.revisions, 0);
    const any = feed(BOOKS_THINKING, { ...NUMBER, question: BOOKS_QUESTION, policy: { revisionsCount: "any", perRevision: 1 } });
    assert.ok(any.kind === "continue" || (any.kind === "brake" && any.charOffset > BOOKS_BRAKE_AT));
  });

  it("counts a revision when an answer that was held changes", () => {
    const thinking = ["So the answer is 7 books.", "Yes, the answer is 7 books.", "Wait, no: 3 × 5 = 15 books.", "So the answer is 15.", "Check: 5 + 5 + 5 = 15.", "Fine.", ""].join("\n\n");
    const snapshotAfter = (steps: number) => {
      const det = createBrakeDetector({ ...NUMBER, question: BOOKS_QUESTION, policy: { verifiedExplicitBrakes: false }, threshold: 1 });
      det.push(thinking.split("\n\n").slice(0, steps).join("\n\n") + "\n\n", 10);
      return det.snapshot().evidence;
    };
    const e = snapshotAfter(4);
    assert.equal(e.anchoredAnswer, "15");
    assert.equal(e.revisions, 1);
    assert.equal(e.confirmationsRequired, 1); // 1 + floor(1 × 0.5)
  });

  it("does not brake on an answer that is never restated", () => {
    assert.equal(feed(LONELY_THINKING, NUMBER).kind, "continue");
  });

  it("waits for more restatements of an answer that was only implied", () => {
    const thinking = ["He has 12 + 30 = 42 apples.", "Then 42 - 0 = 42 apples.", "Fine.", "Still fine.", ""].join("\n\n");
    assert.equal(feed(thinking, { ...NUMBER, question: APPLES_QUESTION }).kind, "continue");
    const d = feed(thinking, { ...NUMBER, question: APPLES_QUESTION, policy: { implicitExtraConfirmations: 0 } });
    assert.ok(d.kind === "brake" && d.evidence.rule === "eta" && d.evidence.anchorKind === "result");
  });

  it("ignores implied values in steps that do not name what the question asks for", () => {
    // the question asks for apples; "12 + 30 = 42" alone could be any intermediate value
    const thinking = ["12 + 30 = 42.", "Then 42 - 0 = 42.", "Fine.", "Still fine.", ""].join("\n\n");
    const eager = { ...NUMBER, question: APPLES_QUESTION, policy: { implicitExtraConfirmations: 0 } };
    assert.equal(feed(thinking, eager).kind, "continue");
    assert.equal(feed(thinking, { ...eager, policy: { ...eager.policy, untargeted: "use" } }).kind, "brake");
    // without a question there is no target: every statement counts
    assert.equal(feed(thinking, { ...NUMBER, policy: { implicitExtraConfirmations: 0 } }).kind, "brake");
    // an untargeted computation may still confirm an answer that was stated explicitly
    const explicit = ["So the answer is 42.", "Check: 30 + 12 = 42.", "Fine.", ""].join("\n\n");
    const d = feed(explicit, { ...NUMBER, question: APPLES_QUESTION });
    assert.ok(d.kind === "brake" && d.evidence.confirmations === 1 && d.evidence.anchoredAnswer === "42");
  });

  it("lets an implied answer brake with one restatement fewer while the thinking since checks it", () => {
    const question = "Tom has 12 apples, buys 30 and eats 2. How many apples does he have?";
    const steps = (checks: readonly string[]) => ["He has 12 + 30 = 42 apples.", "He eats 2, so he has 42 - 2 = 40 apples.", ...checks, ""].join("\n\n");
    // "Wait" and "check" are SBT markers: the step after the first statement of 40 is ~24 % marker words
    const busy = steps(["Wait, check: 42 - 2 = 40 apples.", "Hmm, but wait.", "Fine.", "Still fine."]);
    const d = feed(busy, { ...NUMBER, question });
    assert.equal(d.kind, "brake");
    if (d.kind !== "brake") return;
    assert.equal(d.evidence.anchoredAnswer, "40");
    assert.equal(d.evidence.explicitAnswer, false);
    assert.equal(d.evidence.checking, true);
    assert.equal(d.evidence.confirmations, 1);
    assert.equal(d.evidence.confirmationsRequired, 1);
    assert.equal(d.charOffset, busy.indexOf("Hmm"));
    assert.ok((d.evidence.checkingRate ?? 0) > 0.2, `rate ${d.evidence.checkingRate}`);
    assert.match(d.explanation, /checking it/);
    // the same restatement without checking words waits for a second one
    const calm = steps(["So 42 - 2 = 40 apples.", "Fine then.", "Okay.", "Still fine."]);
    const c = feed(calm, { ...NUMBER, question });
    assert.equal(c.kind, "continue");
    const snap = createBrakeDetector({ ...NUMBER, question });
    snap.push(calm, calm.length / 4);
    assert.equal(snap.snapshot().evidence.checking, false);
    assert.equal(snap.snapshot().evidence.confirmationsRequired, 2);
    // off, or for an answer stated explicitly (which needs one restatement anyway), nothing changes
    assert.equal(feed(busy, { ...NUMBER, question, policy: { checkingMarkerRate: null } }).kind, "continue");
    const explicit = feed(["So the answer is 40.", "Wait, check: 42 - 2 = 40.", "Hmm, but wait.", "Fine.", ""].join("\n\n"), { ...NUMBER, question });
    assert.ok(explicit.kind === "brake" && !explicit.evidence.checking && explicit.evidence.confirmationsRequired === 1);
  });

  it("counts the checking rate's words the way it counts marker words (hyphens split both)", () => {
    const question = "Tom has 12 apples, buys 30 and eats 2. How many apples does he have?";
    const d = createBrakeDetector({ ...NUMBER, question });
    const text = ["He has 12 + 30 = 42 apples.", "He eats 2, so he has 42 - 2 = 40 apples.", "Let me just double-check the count.", ""].join("\n\n");
    d.push(text, text.length / 4);
    // "Let me just double-check" is five marker words of the seven in "Let me just double check the count."
    assert.equal(d.snapshot().evidence.checkingRate, 5 / 7);
  });

  it("does not move the anchor for a value re-derived while checking", () => {
    const thinking = [
      "He has 12 + 30 = 42 apples.",
      "He eats 2, so he has 42 - 2 = 40 apples.",
      "Check the first part: 12 + 30 = 42 apples.",
      "And 42 - 2 = 40 apples.",
      "Again, 40 apples: 20 + 20 = 40 apples.",
      "Fine.",
      "",
    ].join("\n\n");
    const question = "Tom has 12 apples, buys 30 and eats 2. How many apples does he have?";
    const calm = { ...NUMBER, question, policy: { checkingMarkerRate: null } };
    const d = feed(thinking, calm);
    assert.ok(d.kind === "brake" && d.evidence.anchoredAnswer === "40" && d.evidence.anchorStep === 2 && d.evidence.confirmations === 2);
    const strict = feed(thinking, { ...calm, policy: { ...calm.policy, ignoreRederived: false } });
    assert.ok(strict.kind === "continue" || (strict.kind === "brake" && strict.evidence.anchorStep !== 2));
  });

  it("brakes on an explicit answer once it is verified and the score reaches τ1 / 2 (SBT-E)", () => {
    const work = ["Tom starts with 12 apples.", "He buys 30 apples.", "Now add them up.", "Adding gives the total.", "So the answer is 42.", "Check: 12 + 30 = 42. Yes.", "Fine.", "Hmm.", "Okay.", "Right.", ""];
    const thinking = work.join("\n\n");
    const config = { ...NUMBER, question: APPLES_QUESTION };
    const d = feed(thinking, config);
    assert.equal(d.kind, "brake");
    if (d.kind !== "brake") return;
    assert.equal(d.charOffset, thinking.indexOf("Fine."));
    assert.equal(d.evidence.rule, "verified");
    assert.ok((d.evidence.score ?? 0) >= 0.1 && (d.evidence.score ?? 1) < 0.2, `score ${d.evidence.score}`);
    assert.equal(d.evidence.brakeThreshold, 0.1);
    assert.match(d.explanation, /verified by 1 later restatement .*overthink score 0\.15 ≥ 0\.10/);
    // SBT-D alone waits for τ2 = 0.25, a step later
    const etaOnly = feed(thinking, { ...config, policy: { verifiedExplicitBrakes: false } });
    assert.ok(etaOnly.kind === "brake" && etaOnly.evidence.rule === "eta");
    assert.equal(etaOnly.charOffset, thinking.indexOf("Hmm."));
    // the threshold still rules: at τ1 = 0.6 the verified answer waits for a score of 0.3
    const high = feed(thinking, { ...config, threshold: 0.6 });
    assert.ok(high.kind === "brake" && high.evidence.rule === "verified");
    assert.equal(high.charOffset, thinking.indexOf("Okay."));
    const higher = feed(thinking, { ...config, threshold: 0.9 });
    assert.ok(higher.kind === "continue" || higher.charOffset > high.charOffset);
  });

  it("respects the threshold: a higher τ1 brakes later", () => {
    const thinking = ["Let me think.", "Tom starts with 12.", "He buys 30 more.", "He has 12 + 30 = 42 apples.", "Check: 30 + 12 = 42 apples.", "Once more: 40 + 2 = 42 apples.", "Hmm.", "Hmm.", "Hmm.", "Hmm.", ""].join("\n\n");
    const early = feed(thinking, { ...NUMBER, question: APPLES_QUESTION, threshold: 0.2 });
    const late = feed(thinking, { ...NUMBER, question: APPLES_QUESTION, threshold: 0.4 });
    assert.ok(early.kind === "brake" && late.kind === "brake");
    if (early.kind === "brake" && late.kind === "brake") {
      assert.equal(early.evidence.currentStep, 6);
      assert.ok(late.charOffset > early.charOffset);
      assert.equal(late.evidence.rule, "eta");
    }
  });

  it("holds off before the minimum amount of thinking", () => {
    assert.equal(feed(APPLES_THINKING, { ...NUMBER, minThinkingTokens: 10_000 }).kind, "continue");
  });

  it("never brakes in mode off, and only on the budget in budget mode", () => {
    assert.equal(feed(APPLES_THINKING, { ...NUMBER, mode: "off", maxThinkingTokens: 5 }).kind, "continue");
    assert.equal(feed(APPLES_THINKING, { ...NUMBER, mode: "budget" }).kind, "continue");
  });

  it("stands down on a choice question with two option lists, where a letter names two options", () => {
    const thinking = [
      "The first list says (B) Jupiter. So the answer is (B).",
      "Let me verify: Jupiter is bigger than Saturn. The answer is B.",
      "Yes, B.",
      "Nothing else to consider.",
      "",
    ].join("\n\n");
    const one = "Which planet is largest?\n(A) Mars\n(B) Jupiter\n(C) Venus";
    const two = `Which planet is largest? A) Mars B) Jupiter C) Venus The options are:\nA: Saturn\nB: Earth\nC: Jupiter`;
    const choice: BrakeConfigInput = { answerFormat: "choice", maxThinkingTokens: Infinity, probe: { enabled: true, minTokens: 0, minTokensBetween: 0 } };
    const single = feed(thinking, { ...choice, question: one });
    assert.ok(single.kind === "brake" && single.reason === "overthinking" && single.evidence.anchoredAnswer === "B");
    assert.equal(feed(thinking, { ...choice, question: two }).kind, "continue");
    const budget = feed(thinking, { ...choice, question: two, maxThinkingTokens: 20 });
    assert.ok(budget.kind === "brake" && budget.reason === "budget");
    // the evidence says why, so the UI can tell the user; nothing to say when the adaptive brake is on or not asked for
    assert.match(budget.evidence.standDown ?? "", /lists its options twice .* only the thinking budget brakes/);
    assert.ok(single.kind === "brake" && single.evidence.standDown === null);
    const budgetMode = createBrakeDetector({ ...choice, question: two, mode: "budget" });
    assert.equal(budgetMode.snapshot().evidence.standDown, null);
  });

  it("keeps its decision after braking", () => {
    const d = createBrakeDetector(NUMBER);
    const first = d.push(APPLES_THINKING, APPLES_THINKING.length / 4);
    assert.equal(first.kind, "brake");
    assert.deepEqual(d.push("more text\n\n", 3), first);
    assert.deepEqual(d.snapshot().brake, first);
  });
});

describe("budget", () => {
  it("brakes where the budget runs out, with room for the answer", () => {
    const d = feed(LONELY_THINKING, { ...NUMBER, mode: "budget", maxThinkingTokens: 10 });
    assert.equal(d.kind, "brake");
    if (d.kind === "brake") {
      assert.equal(d.reason, "budget");
      assert.equal(d.charOffset, 40);
    }
    const config = resolveBrakeConfig({ maxThinkingTokens: 1000, contextTokens: 100, answerReserveTokens: 60 });
    assert.equal(effectiveBudget(config), 40);
  });
  it("applies in adaptive mode too", () => {
    const d = feed(LONELY_THINKING, { ...NUMBER, maxThinkingTokens: 3 }, [5]);
    assert.ok(d.kind === "brake" && d.reason === "budget" && d.charOffset === 12);
  });
});

describe("chunking and causality", () => {
  const texts = [APPLES_THINKING, BOOKS_THINKING, LONELY_THINKING, APPLES_THINKING.repeat(3), `Work.\n\n${APPLES_THINKING}`];
  it("gives the same decisions for any chunk sizes", () => {
    for (const text of texts) {
      const reference = feed(text, NUMBER, [1]);
      for (const sizes of [[2], [3], [7], [64], [100_000], [1, 9, 4, 13]]) {
        const got = feed(text, NUMBER, sizes);
        assert.equal(got.kind, reference.kind);
        if (got.kind === "brake" && reference.kind === "brake") {
          assert.equal(got.charOffset, reference.charOffset, `sizes ${sizes.join(",")}`);
          assert.deepEqual({ ...got.evidence, thinkingTokens: 0, kappa: 0 }, { ...reference.evidence, thinkingTokens: 0, kappa: 0 });
          assert.ok(Math.abs(got.evidence.thinkingTokens - reference.evidence.thinkingTokens) < 1e-9);
        }
      }
    }
  });
  it("gives the same decisions when whole tokens are pushed in groups of any size", () => {
    // as replay pushes a tokenized trace: a step boundary falls inside a group, whose tokens are spread over its characters
    const busy = ["He has 12 + 30 = 42 apples.", "He eats 2, so he has 42 - 2 = 40 apples.", "Wait, check: 42 - 2 = 40 apples.", "Hmm, but wait.", "Fine.", ""].join("\n\n");
    const tokens = busy.match(/\s*\S+/g) ?? [];
    const decide = (group: number): BrakeDecision => {
      const d = createBrakeDetector({ ...NUMBER, question: "Tom has 12 apples, buys 30 and eats 2. How many apples does he have?" });
      let last: BrakeDecision = { kind: "continue", armed: false };
      for (let i = 0; i < tokens.length && last.kind !== "brake"; i += group) last = d.push(tokens.slice(i, i + group).join(""), Math.min(group, tokens.length - i));
      return last;
    };
    const reference = decide(1);
    assert.ok(reference.kind === "brake" && reference.evidence.checking);
    for (const group of [2, 3, 5, 8, 64]) {
      const got = decide(group);
      assert.ok(got.kind === "brake" && reference.kind === "brake");
      assert.equal(got.charOffset, reference.charOffset, `group ${group}`);
      assert.equal(got.evidence.checkingRate, reference.evidence.checkingRate);
    }
  });
  it("places a budget and the minimum thinking exactly inside a group when told where its tokens end", () => {
    // tokens of very different lengths: spreading a group's tokens evenly over its characters would move both decisions
    const text = ["Let me think about this carefully and slowly.", "The answer is 42.", "Yes, the answer is 42.", "Hmm, 42.", "Done.", ""].join("\n\n");
    const tokens = text.match(/\s*\S+/g) ?? [];
    const decide = (config: BrakeConfigInput, group: number): BrakeDecision => {
      const d = createBrakeDetector({ ...NUMBER, ...config });
      let last: BrakeDecision = { kind: "continue", armed: false };
      for (let i = 0; i < tokens.length && last.kind !== "brake"; i += group) {
        const pieces = tokens.slice(i, i + group);
        let end = 0;
        const ends = pieces.map((p) => (end += p.length));
        last = d.push(pieces.join(""), pieces.length, ends);
      }
      return last;
    };
    for (const config of [{ mode: "budget", maxThinkingTokens: 7 }, { minThinkingTokens: 17 }] satisfies BrakeConfigInput[]) {
      const reference = decide(config, 1);
      assert.equal(reference.kind, "brake");
      for (const group of [2, 5, 64]) {
        const got = decide(config, group);
        assert.ok(got.kind === "brake" && reference.kind === "brake");
        assert.equal(got.charOffset, reference.charOffset, `${JSON.stringify(config)}, group ${group}`);
        assert.equal(got.evidence.thinkingTokens, reference.evidence.thinkingTokens);
      }
    }
  });
  it("never looks ahead: what follows the brake point does not change it", () => {
    const d = feed(APPLES_THINKING, NUMBER);
    assert.equal(d.kind, "brake");
    if (d.kind !== "brake") return;
    const cut = APPLES_THINKING.slice(0, d.charOffset + 50);
    const decoy = APPLES_THINKING.slice(0, d.charOffset) + "Actually the answer is 99.\n\nThe answer is 99.\n\n";
    for (const text of [cut, decoy, APPLES_THINKING.slice(0, d.charOffset)]) {
      const again = feed(text, NUMBER, [3]);
      assert.ok(again.kind === "brake" && again.charOffset === d.charOffset);
    }
    const before = feed(APPLES_THINKING.slice(0, d.charOffset - 1), NUMBER);
    assert.equal(before.kind, "continue");
  });
});

describe("probes", () => {
  const config: BrakeConfigInput = { ...NUMBER, probe: { enabled: true, minTokens: 0, minTokensBetween: 0 } };
  const text = "Compute 2 + 2 = 4.\n\nWait, is that right?";
  it("asks for a probe at a transition word and brakes when confident", () => {
    const d = createBrakeDetector(config);
    const first = d.push(text.slice(0, 25), 6);
    assert.equal(first.kind, "probe");
    if (first.kind !== "probe") return;
    assert.equal(first.trigger, "Wait");
    assert.equal(first.charOffset, 20);
    const result = d.reportProbe(first.id, { confidence: 0.97, answer: "4" });
    assert.ok(result.kind === "brake" && result.reason === "probe" && result.charOffset === 20 && result.evidence.anchoredAnswer === "4");
  });
  it("continues when the probe is not confident, and ignores stale ids", () => {
    const d = createBrakeDetector(config);
    const first = d.push(text, 10);
    assert.equal(first.kind, "probe");
    if (first.kind !== "probe") return;
    assert.equal(d.reportProbe(first.id + 1, { confidence: 1 }).kind, "continue");
    const d2 = createBrakeDetector(config);
    const p = d2.push(text, 10);
    if (p.kind === "probe") assert.equal(d2.reportProbe(p.id, { confidence: 0.5 }).kind, "continue");
  });
  it("does not probe when disabled", () => {
    assert.equal(createBrakeDetector(NUMBER).push(text, 10).kind, "continue");
  });
});
