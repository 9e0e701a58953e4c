/** Small display helpers shared by the views. */
import type { BrakeReasonKind } from "../core/vocabulary";

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} byte${bytes === 1 ? "" : "s"}`;
}

export function formatTokens(tokens: number): string {
  return tokens >= 10_000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** One headline per brake reason (a Record over the vocabulary: every reason has one). */
export const BRAKE_REASON_LABELS: Record<BrakeReasonKind, string> = {
  overthinking: "Braked: further thinking looked redundant",
  budget: "Braked: thinking budget reached",
  probe: "Braked: a trial answer was already confident",
  manual: "Braked: you asked for the answer now",
  context: "Braked: the context window was nearly full",
};

/** "saved ~N" for an estimate, "up to N saved" when the engine could only bound it. */
export function formatSaved(tokens: number, method: string): string {
  return method.startsWith("upper bound") ? `up to ${formatTokens(tokens)} saved` : `saved ~${formatTokens(tokens)}`;
}
