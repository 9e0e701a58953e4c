/**
 * The accuracy-against-cost chart of a calibration or a benchmark, as a standalone SVG string:
 * the CLI writes it to a file, the editor's report shows it (after sanitising, like any markup).
 * Series are drawn as lines through their points in cost order; every point carries a <title>
 * with its exact numbers, so the chart never says more than the table beside it. Colours are
 * presentation attributes with a class per series, so a stylesheet can theme them.
 */

export interface ChartPoint {
  readonly label: string;
  /** Which series it belongs to (one line and one marker shape per series). */
  readonly series: string;
  readonly x: number;
  /** 0–1. */
  readonly accuracy: number;
  /** Drawn with a ring (the recommended setting). */
  readonly highlighted?: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];
const SHAPES = ["circle", "square", "triangle", "diamond"] as const;
/** Legend entries per row: two leave room for the longest series name ("brake + end-of-thinking signal") at the default width. */
const LEGEND_COLUMNS = 2;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string);
}

/** 1, 2 or 5 × 10^k steps giving about `count` ticks over [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : Number(v.toPrecision(3)).toString();
}

function marker(shape: (typeof SHAPES)[number], x: number, y: number, r: number): string {
  const p = (pts: Array<[number, number]>): string => pts.map(([a, b]) => `${(x + a).toFixed(1)},${(y + b).toFixed(1)}`).join(" ");
  switch (shape) {
    case "circle":
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}"/>`;
    case "square":
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}"/>`;
    case "triangle":
      return `<polygon points="${p([[0, -r * 1.2], [r * 1.1, r * 0.8], [-r * 1.1, r * 0.8]])}"/>`;
    case "diamond":
      return `<polygon points="${p([[0, -r * 1.3], [r * 1.3, 0], [0, r * 1.3], [-r * 1.3, 0]])}"/>`;
  }
}

export function frontierSvg(points: readonly ChartPoint[], options: ChartOptions): string {
  const width = options.width ?? 640;
  const legendRows = Math.max(1, Math.ceil(new Set(points.map((p) => p.series)).size / LEGEND_COLUMNS));
  const m = { left: 56, right: 16, top: 36, bottom: 58 + 16 * legendRows };
  const height = (options.height ?? 360) + 16 * (legendRows - 1);
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => 100 * p.accuracy);
  const xMin = 0;
  const xMax = xs.length === 0 ? 1 : Math.max(...xs) * 1.05 || 1;
  const yLow = ys.length === 0 ? 0 : Math.min(...ys);
  const yHigh = ys.length === 0 ? 100 : Math.max(...ys);
  const yMin = Math.max(0, Math.floor((yLow - 5) / 10) * 10);
  const yMax = Math.min(100, Math.ceil((yHigh + 5) / 10) * 10);
  const sx = (v: number): number => m.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const sy = (v: number): number => m.top + plotH - ((v - yMin) / Math.max(1e-9, yMax - yMin)) * plotH;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="frontier-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect class="chart-background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="chart-title" x="${m.left}" y="20" font-size="14" font-family="sans-serif" fill="#222222">${escapeXml(options.title)}</text>`,
  ];
  // grid and axes
  for (const t of niceTicks(yMin, yMax, 5)) {
    out.push(`<line class="chart-grid" x1="${m.left}" x2="${m.left + plotW}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#dddddd"/>`);
    out.push(`<text class="chart-tick" x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" font-family="sans-serif" fill="#444444">${fmt(t)} %</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 6)) {
    out.push(`<line class="chart-grid" x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${m.top}" y2="${m.top + plotH}" stroke="#eeeeee"/>`);
    out.push(`<text class="chart-tick" x="${sx(t).toFixed(1)}" y="${m.top + plotH + 16}" text-anchor="middle" font-size="11" font-family="sans-serif" fill="#444444">${fmt(t)}</text>`);
  }
  out.push(`<line class="chart-axis" x1="${m.left}" x2="${m.left + plotW}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#666666"/>`);
  out.push(`<line class="chart-axis" x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#666666"/>`);
  out.push(`<text class="chart-label" x="${m.left + plotW / 2}" y="${m.top + plotH + 34}" text-anchor="middle" font-size="12" font-family="sans-serif" fill="#222222">${escapeXml(options.xLabel)}</text>`);
  out.push(`<text class="chart-label" transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" font-family="sans-serif" fill="#222222">accuracy</text>`);

  // series: a line through the points in cost order, then the markers
  const series = [...new Set(points.map((p) => p.series))];
  series.forEach((name, i) => {
    const colour = PALETTE[i % PALETTE.length] as string;
    const shape = SHAPES[i % SHAPES.length] as (typeof SHAPES)[number];
    const cls = `series series-${i}`;
    const own = points.filter((p) => p.series === name).sort((a, b) => a.x - b.x);
    if (own.length > 1) {
      out.push(`<polyline class="${cls} series-line" fill="none" stroke="${colour}" stroke-width="1.5" points="${own.map((p) => `${sx(p.x).toFixed(1)},${sy(100 * p.accuracy).toFixed(1)}`).join(" ")}"/>`);
    }
    for (const p of own) {
      const x = sx(p.x);
      const y = sy(100 * p.accuracy);
      const tip = `${p.label}: ${(100 * p.accuracy).toFixed(1)} % at ${fmt(p.x)} ${options.xLabel}`;
      out.push(`<g class="${cls} point${p.highlighted ? " highlighted" : ""}" fill="${colour}" stroke="${colour}"><title>${escapeXml(tip)}</title>${marker(shape, x, y, 4)}`);
      if (p.highlighted) out.push(`<circle class="highlight-ring" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="9" fill="none" stroke-width="2"/>`);
      out.push("</g>");
    }
    // legend entry
    const lx = m.left + (i % LEGEND_COLUMNS) * (plotW / LEGEND_COLUMNS);
    const ly = m.top + plotH + 56 + Math.floor(i / LEGEND_COLUMNS) * 16;
    out.push(`<g class="${cls} legend" fill="${colour}" stroke="${colour}">${marker(shape, lx + 5, ly - 4, 4)}</g>`);
    out.push(`<text class="chart-legend" x="${lx + 14}" y="${ly}" font-size="11" font-family="sans-serif" fill="#222222">${escapeXml(name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
