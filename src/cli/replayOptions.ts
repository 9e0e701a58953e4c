/** Number options shared by replay, analyze and sbt-data. */
import { CliUsageError } from "./command";

export function parseNumberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new CliUsageError(`${name} must be a number between ${min} and ${max}`);
  return value;
}

export function parseThresholdList(raw: string): number[] {
  const list = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map((s) => parseNumberOption("--sweep", s, 0, 0, 1));
  if (list.length === 0) throw new CliUsageError("--sweep needs at least one threshold");
  return list;
}
