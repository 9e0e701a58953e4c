/** One sentence that tells a person why the thinking was braked. */
import type { BrakeEvidence, BrakeReason } from "./types";

function fixed(value: number | null, digits = 2): string {
  return value === null ? "–" : value.toFixed(digits);
}

/** Why a choice question with two option lists gets no adaptive brake (docs/BRAKE.md, "How braking works" 7). */
export const TWO_OPTION_LISTS_STAND_DOWN =
  "The question lists its options twice (A and B each appear in two lists), so a letter the model settles on could name either option: only the thinking budget brakes.";

/** Why an open-ended question gets no adaptive brake. */
export function openQuestionStandDown(signalOn: boolean): string {
  return (
    "The question is open-ended (explain, compare, design…): there is no answer to anchor on, and a wrong brake would cut the explanation short, so only the thinking budget brakes" +
    (signalOn ? " — and the model's own end-of-thinking signal." : ".")
  );
}

export function explainBrake(reason: BrakeReason, e: BrakeEvidence): string {
  const tokens = `${Math.round(e.thinkingTokens)} thinking tokens`;
  if (reason === "budget") return `Thinking budget reached after ${tokens}; the model answers now.`;
  if (reason === "signal") {
    const s = e.endOfThinking;
    return (
      `The model was about to end its thinking after step ${e.currentStep} (${tokens}): the end of thinking had probability ` +
      `${fixed(s?.probability ?? null, 3)}, ${fixed(s?.margin ?? null)} nats below the most likely next token.`
    );
  }
  if (reason === "probe") {
    const answer = e.anchoredAnswer === null ? "" : ` (answer ${e.anchoredAnswer})`;
    return `A trial answer${answer} was confident enough after ${tokens}; further thinking looked redundant.`;
  }
  if (e.questionKind === "code") {
    const what = e.anchoredAnswer === null ? "the code" : `the code ${e.anchoredAnswer}`;
    return (
      `Braked after step ${e.currentStep} (${tokens}): ${what} was drafted in step ${e.anchorStep ?? "?"} and confirmed ` +
      `${e.confirmations}× since (written out again unchanged, or traced on an example); η̂ = ${fixed(e.etaHat)}, ` +
      `overthink score ${fixed(e.score)} ≥ ${fixed(e.brakeThreshold)}.`
    );
  }
  if (e.rule === "concluded") {
    const first = e.anchorStep !== null && e.anchorStep < e.currentStep ? ` (first reached in step ${e.anchorStep})` : "";
    return (
      `Braked after step ${e.currentStep} (${tokens}): the program's output ${e.anchoredAnswer ?? "?"} was stated as its result${first} ` +
      `once the code had been traced; what follows would trace it again (overthink score ${fixed(e.score)} ≥ ${fixed(e.brakeThreshold)}).`
    );
  }
  if (e.rule === "verified") {
    return (
      `Braked after step ${e.currentStep} (${tokens}): the answer ${e.anchoredAnswer ?? "?"} was stated explicitly in step ` +
      `${e.anchorStep ?? "?"} and verified by ${e.confirmations} later restatement${e.confirmations === 1 ? "" : "s"} ` +
      `(η̂ = ${fixed(e.etaHat)}, overthink score ${fixed(e.score)} ≥ ${fixed(e.brakeThreshold)}, half the threshold for a verified answer).`
    );
  }
  const checking = e.checking ? ` while the thinking since kept checking it (${fixed((e.checkingRate ?? 0) * 100, 1)} % marker words)` : "";
  return (
    `Braked after step ${e.currentStep} (${tokens}): the answer ${e.anchoredAnswer ?? "?"} was first stated in step ` +
    `${e.anchorStep ?? "?"} and restated ${e.confirmations}×${checking}; η̂ = ${fixed(e.etaHat)}, κ = ${fixed(e.kappa, 3)}, ` +
    `overthink score ${fixed(e.score)} ≥ ${fixed(e.brakeThreshold)}.`
  );
}
