/** The accuracy–tokens frontier of a threshold sweep as a small standalone SVG. */
import type { SweepRow } from "./table";

export interface FrontierPoint {
  readonly label: string;
  readonly meanTokens: number;
  readonly accuracy: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Brake (one point per threshold), the fixed budget at the same tokens, the baseline and the oracle. */
export function frontierSvg(rows: readonly SweepRow[], title: string): string {
  const first = rows[0]?.overall;
  const n = Math.max(1, first?.traces ?? 1);
  const brake: FrontierPoint[] = rows.map((r) => ({ label: `τ1=${r.threshold}`, meanTokens: r.overall.thinkingTokensAfter / n, accuracy: r.overall.brakedAccuracy }));
  const budget: FrontierPoint[] = rows.map((r) => ({ label: `budget ${r.overall.budget.budgetTokens}`, meanTokens: r.overall.thinkingTokensAfter / n, accuracy: r.overall.budget.accuracy }));
  const extra: FrontierPoint[] = first
    ? [
        { label: "no brake", meanTokens: first.thinkingTokensBefore / n, accuracy: first.baselineAccuracy },
        { label: "oracle", meanTokens: (first.thinkingTokensBefore * (1 - first.oracle.tokensSaved)) / n, accuracy: first.oracle.accuracy },
      ]
    : [];
  const all = [...brake, ...budget, ...extra];
  const W = 640;
  const H = 420;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const maxX = Math.max(1, ...all.map((p) => p.meanTokens)) * 1.05;
  const minY = Math.max(0, Math.min(...all.map((p) => p.accuracy)) - 0.05);
  const maxY = Math.min(1, Math.max(...all.map((p) => p.accuracy)) + 0.05);
  const x = (v: number): number => m.l + (v / maxX) * (W - m.l - m.r);
  const y = (v: number): number => H - m.b - ((v - minY) / Math.max(1e-9, maxY - minY)) * (H - m.t - m.b);
  const path = (pts: FrontierPoint[]): string =>
    [...pts].sort((a, b) => a.meanTokens - b.meanTokens).map((p, i) => `${i === 0 ? "M" : "L"}${x(p.meanTokens).toFixed(1)},${y(p.accuracy).toFixed(1)}`).join(" ");
  const dots = (pts: FrontierPoint[], color: string): string =>
    pts
      .map((p) => `<circle cx="${x(p.meanTokens).toFixed(1)}" cy="${y(p.accuracy).toFixed(1)}" r="4" fill="${color}"><title>${escapeXml(`${p.label}: ${p.meanTokens.toFixed(0)} tokens, accuracy ${p.accuracy.toFixed(3)}`)}</title></circle>`)
      .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const tx = x(maxX * f);
    const ty = y(minY + (maxY - minY) * f);
    return (
      `<text x="${tx.toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${(maxX * f).toFixed(0)}</text>` +
      `<text x="${m.l - 8}" y="${(ty + 4).toFixed(1)}" text-anchor="end">${(minY + (maxY - minY) * f).toFixed(2)}</text>`
    );
  });
  const labels = extra.map((p) => `<text x="${(x(p.meanTokens) + 6).toFixed(1)}" y="${(y(p.accuracy) - 6).toFixed(1)}">${escapeXml(p.label)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    ...ticks,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">mean thinking tokens per trace</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">accuracy</text>`,
    `<path d="${path(brake)}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    dots(brake, "#1f77b4"),
    `<path d="${path(budget)}" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="5,4"/>`,
    dots(budget, "#d62728"),
    dots(extra, "#2ca02c"),
    ...labels,
    `<text x="${W - m.r - 200}" y="${m.t + 10}" fill="#1f77b4">● adaptive brake (τ1 sweep)</text>`,
    `<text x="${W - m.r - 200}" y="${m.t + 26}" fill="#d62728">● fixed budget, same tokens</text>`,
    `</svg>`,
  ].join("\n");
}
