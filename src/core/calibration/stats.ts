/** Statistics for calibration: mean, median, and a paired bootstrap interval for an accuracy difference. */
import { seededRandom } from "./random";

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The q-quantile (0–1) by linear interpolation between order statistics; 0 for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

export interface PairedDifference {
  /** Accuracy of `test` − accuracy of `base`, in percentage points. */
  readonly points: number;
  /** The 95 % interval of `points` (percentile paired bootstrap). */
  readonly low: number;
  readonly high: number;
  /** Problems right without the brake and wrong with it, and the other way round. */
  readonly lost: number;
  readonly gained: number;
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: number;
}

/**
 * Paired comparison of two settings on the same problems: the problems are resampled with
 * replacement (the same draw for both settings, so each problem's pair stays together) and the
 * 2.5th and 97.5th percentiles of the resampled differences bound the interval. Only discordant
 * pairs move the difference; with none the interval is [0, 0]. Seeded: the same inputs give the
 * same interval.
 */
export function pairedDifference(base: readonly boolean[], test: readonly boolean[], options: BootstrapOptions = {}): PairedDifference {
  if (base.length !== test.length) throw new Error("paired samples must have the same length");
  const n = base.length;
  const diffs = base.map((b, i) => (test[i] ? 1 : 0) - (b ? 1 : 0));
  const lost = diffs.filter((d) => d < 0).length;
  const gained = diffs.filter((d) => d > 0).length;
  const points = n === 0 ? 0 : (100 * (gained - lost)) / n;
  if (n === 0 || (lost === 0 && gained === 0)) return { points, low: points, high: points, lost, gained };
  const resamples = Math.max(100, Math.floor(options.resamples ?? 4000));
  const random = seededRandom(options.seed ?? 1);
  const samples: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)] as number;
    samples.push((100 * sum) / n);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))] as number;
  return { points, low: at(0.025), high: at(0.975), lost, gained };
}
