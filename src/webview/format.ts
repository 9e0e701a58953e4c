/** Small display helpers shared by the views (bytes and tokens are core's, as everywhere). */
import { formatTokens } from "../core/format";
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
  manual: "Braked: you asked for the answer now",
  signal: "Braked: the model was about to end its thinking",
  context: "Braked: the context window was nearly full",
};

/** The engine can only bound what the brake saved: the thinking budget left when it fired. */
export function formatSaved(tokens: number): string {
  return `up to ${formatTokens(tokens)} saved`;
}
