/** Plain-text tables for replay summaries and sweeps. */
import type { GroupSummary } from "./summary";

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function acc(x: number): string {
  return x.toFixed(3);
}

/** Left-aligns the first column, right-aligns the others. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function formatSummaryTable(groups: readonly GroupSummary[]): string {
  const header = ["group", "n", "base", "braked", "Δpts", "tok before", "tok after", "saved", "chars", "brake%", "harm", "benef", "prem", "oracle", "captured", "budget@same", "budget acc"];
  const rows = groups.map((g) => [
    g.group,
    String(g.traces),
    acc(g.baselineAccuracy),
    acc(g.brakedAccuracy),
    (g.deltaPoints >= 0 ? "+" : "") + g.deltaPoints.toFixed(1),
    String(Math.round(g.thinkingTokensBefore)),
    String(Math.round(g.thinkingTokensAfter)),
    pct(g.tokensSaved),
    pct(g.charsSaved),
    pct(g.brakeRate),
    String(g.harmfulFlips),
    String(g.beneficialFlips),
    String(g.prematureBrakes),
    pct(g.oracle.tokensSaved),
    pct(g.oracleCaptured),
    String(g.budget.budgetTokens),
    acc(g.budget.accuracy),
  ]);
  return renderTable(header, rows);
}

export interface SweepRow {
  readonly threshold: number;
  readonly overall: GroupSummary;
}

export function formatSweepTable(rows: readonly SweepRow[]): string {
  const header = ["τ1", "accuracy", "Δpts", "mean tokens", "saved", "captured", "harm", "benef", "budget acc (same tokens)"];
  return renderTable(
    header,
    rows.map((r) => [
      r.threshold.toFixed(2),
      acc(r.overall.brakedAccuracy),
      (r.overall.deltaPoints >= 0 ? "+" : "") + r.overall.deltaPoints.toFixed(1),
      (r.overall.thinkingTokensAfter / Math.max(1, r.overall.traces)).toFixed(0),
      pct(r.overall.tokensSaved),
      pct(r.overall.oracleCaptured),
      String(r.overall.harmfulFlips),
      String(r.overall.beneficialFlips),
      acc(r.overall.budget.accuracy),
    ]),
  );
}
