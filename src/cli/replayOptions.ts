/** Number options shared by replay, analyze and sbt-data. */
import { CliUsageError } from "./command";

/** A decimal number as people write it (`Number` alone would read "" as 0 and accept "0x10"). */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** The number a decimal option spells, or NaN. */
export function readDecimal(raw: string): number {
  return DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
}

export function parseNumberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = readDecimal(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new CliUsageError(`${name} must be a number between ${min} and ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

/** A comma-separated list of thresholds, for the option called `name`. */
export function parseThresholdList(raw: string, name = "--sweep"): number[] {
  const list = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map((s) => parseNumberOption(name, s, 0, 0, 1));
  if (list.length === 0) throw new CliUsageError(`${name} needs at least one threshold`);
  return list;
}
