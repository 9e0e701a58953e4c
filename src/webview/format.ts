/** Small display helpers shared by the views (bytes and tokens are core's, as everywhere). */
import type { SavingEstimate } from "../core/brake/savingEstimate";
import { savingCredit } from "../core/brake/savingEstimate";
import { brakeOutcomeLine, brakeOutcomeTooltip, keptAndSaved } from "../core/brake/savingText";
import type { BrakeReasonKind } from "../core/vocabulary";

export { formatBytes, formatTokens } from "../core/format";

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** One headline per brake reason (a Record over the vocabulary: every reason has one). */
export const BRAKE_REASON_LABELS: Record<BrakeReasonKind, string> = {
  overthinking: "Braked: further thinking looked redundant",
  budget: "Braked: thinking budget reached",
  probe: "Braked: a trial answer was already confident",
  manual: "You asked for the answer now",
  signal: "Braked: the model was about to end its thinking",
  context: "Braked: the context window was nearly full",
};

/** A brake banner's words: the headline, the line beside it (kept, estimated saving) and the tooltip saying what they rest on. */
export interface BrakeBannerText {
  readonly headline: string;
  /** "" when the headline says it all (Answer now). */
  readonly detail: string;
  readonly tooltip: string;
}

/**
 * "Braked: further thinking looked redundant · kept 812 thinking tokens · est. ~211 more avoided
 * (median of recorded traces)"; "You asked for the answer after 812 thinking tokens" (credited to
 * the user, no saving); "Braked: thinking budget reached · kept 812 thinking tokens" (no saving).
 */
export function brakeBannerText(reason: BrakeReasonKind, keptTokens: number, estimate: SavingEstimate | null | undefined): BrakeBannerText {
  const tooltip = brakeOutcomeTooltip(reason, keptTokens, estimate);
  const credit = savingCredit(reason);
  if (credit === "user") return { headline: brakeOutcomeLine(reason, keptTokens, null), detail: "", tooltip };
  return { headline: BRAKE_REASON_LABELS[reason], detail: keptAndSaved(keptTokens, credit === "brake" ? estimate : null), tooltip };
}
