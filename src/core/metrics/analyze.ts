/** Distribution of the SBT metrics over a set of traces, per model × dataset and overall. */

export interface AnalyzedTrace {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly ts: number;
  readonly fs: number | null;
  readonly eta: number | null;
  readonly kappa: number;
  readonly score: number | null;
  readonly markerCount: number;
  readonly thinkingTokens: number;
}

export interface AnalyzeGroup {
  readonly group: string;
  readonly traces: number;
  /** Traces whose thinking states the gold answer (the others have no FS and are left out of η and the score). */
  readonly withAnswer: number;
  readonly meanSteps: number;
  readonly meanEta: number;
  readonly meanKappa: number;
  readonly meanScore: number;
  readonly medianScore: number;
  /** Share of `withAnswer` traces with Overthink Score ≥ τ1, for each τ1. */
  readonly overthinking: readonly { readonly threshold: number; readonly share: number }[];
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function analyzeGroup(group: string, traces: readonly AnalyzedTrace[], thresholds: readonly number[]): AnalyzeGroup {
  const scores = traces.map((t) => t.score).filter((s): s is number => s !== null);
  const etas = traces.map((t) => t.eta).filter((e): e is number => e !== null);
  return {
    group,
    traces: traces.length,
    withAnswer: scores.length,
    meanSteps: mean(traces.map((t) => t.ts)),
    meanEta: mean(etas),
    meanKappa: mean(traces.map((t) => t.kappa)),
    meanScore: mean(scores),
    medianScore: median(scores),
    overthinking: thresholds.map((threshold) => ({
      threshold,
      share: scores.length === 0 ? 0 : scores.filter((s) => s >= threshold).length / scores.length,
    })),
  };
}

/** Overall, then per model × dataset. */
export function analyzeGroups(traces: readonly AnalyzedTrace[], thresholds: readonly number[] = [0.2, 0.3, 0.4]): AnalyzeGroup[] {
  const groups = new Map<string, AnalyzedTrace[]>();
  for (const t of traces) {
    const key = `${t.model} · ${t.dataset}`;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  return [analyzeGroup("ALL", traces, thresholds), ...[...groups.keys()].sort().map((k) => analyzeGroup(k, groups.get(k) ?? [], thresholds))];
}
