/**
 * What a brake did, in words, one spelling for the chat, the status bar and the CLI: the thinking
 * kept (measured), the estimated saving where the detector braked (labelled as an estimate, with
 * its basis), "You asked for the answer" for Answer now, and no saving for the budget or a full
 * context.
 */
import { formatTokens } from "../format";
import type { BrakeReasonKind } from "../vocabulary";
import type { SavingEstimate } from "./savingEstimate";
import { savingCredit } from "./savingEstimate";

/** "(median of recorded traces)" / "(calibrated on this model)": what the estimate rests on, briefly. */
export function estimateBasisWords(estimate: SavingEstimate): string {
  return estimate.basis === "calibration" ? "calibrated on this model" : "median of recorded traces";
}

/** "est. ~650 avoided" ("est. ~650 avoided (calibrated)" on this model's calibration): the short form for the stats line and the status bar. */
export function estimateShort(estimate: SavingEstimate): string {
  return `est. ~${formatTokens(estimate.tokens)} avoided${estimate.basis === "calibration" ? " (calibrated)" : ""}`;
}

/** "kept 812 thinking tokens · est. ~650 more avoided (median of recorded traces)", or only what was kept without an estimate. */
export function keptAndSaved(keptTokens: number, estimate: SavingEstimate | null | undefined): string {
  const kept = `kept ${formatTokens(keptTokens)} thinking tokens`;
  return estimate ? `${kept} · est. ~${formatTokens(estimate.tokens)} more avoided (${estimateBasisWords(estimate)})` : kept;
}

/**
 * What a brake did, standing alone (the status bar, the CLI): "kept 812 thinking tokens · est. ~650 more avoided (median of
 * recorded traces)"; "You asked for the answer after 812 thinking tokens"; "kept 812 thinking
 * tokens · thinking budget reached".
 */
export function brakeOutcomeLine(reason: BrakeReasonKind, keptTokens: number, estimate: SavingEstimate | null | undefined): string {
  switch (savingCredit(reason)) {
    case "user":
      return `You asked for the answer after ${formatTokens(keptTokens)} thinking tokens`;
    case "limit":
      return `${keptAndSaved(keptTokens, null)} · ${reason === "budget" ? "thinking budget reached" : "context window nearly full"}`;
    case "brake":
      return keptAndSaved(keptTokens, estimate);
  }
}

/** The tooltip: what the figures are, and what the estimate is based on. */
export function brakeOutcomeTooltip(reason: BrakeReasonKind, keptTokens: number, estimate: SavingEstimate | null | undefined): string {
  switch (savingCredit(reason)) {
    case "user":
      return `You asked for the answer after ${keptTokens} thinking tokens (Answer now). That was your call, so no saving is credited to the brake.`;
    case "limit":
      return reason === "budget"
        ? `The thinking budget you set (selfBraking.brake.maxThinkingTokens, lowered to fit the context) was reached after ${keptTokens} thinking tokens. No saving is claimed: the budget did what it was set to do.`
        : `The context window was nearly full after ${keptTokens} thinking tokens; the model was left room to answer. No saving is claimed.`;
    case "brake": {
      const measured = `The brake kept ${keptTokens} thinking tokens (measured).`;
      if (!estimate) return `${measured} What the model would have written after it is unknown.`;
      const ratio = `${estimate.ratio.toFixed(2)}×`;
      const range = `${estimate.low}–${estimate.high}`;
      return estimate.basis === "calibration"
        ? `${measured} Estimate, not a measurement: on ${estimate.source}, the unbraked model went on to think a median ${ratio} what it had kept, so about ${estimate.tokens} more tokens here (middle half ${range}).`
        : `${measured} Estimate, not a measurement: on ${estimate.source} (other models and questions), the unbraked model went on to think a median ${ratio} what it had kept, so about ${estimate.tokens} more tokens here (middle half ${range}). Your model may differ.`;
    }
  }
}
