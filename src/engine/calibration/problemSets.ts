/** The problems a calibration runs: the built-in samples (assets/calibration) or the user's own JSONL. */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { CalibrationProblem } from "../../core/calibration/problems";
import { parseProblems } from "../../core/calibration/problems";

export const BUILT_IN_SETS = { gsm8k: "gsm8k-40.jsonl", cruxeval: "cruxeval-40.jsonl" } as const;
export type SetChoice = keyof typeof BUILT_IN_SETS | "both";

/** A set the user named that cannot be used (missing file, nothing usable in it): the message says which and why. */
export class ProblemSetError extends Error {}

export interface ProblemSet {
  /** File name of its recordings in the model's cache folder. */
  readonly key: string;
  readonly problems: readonly CalibrationProblem[];
}

/** assets/calibration, found upwards from this file (dist/ when bundled, src/engine/calibration from source). */
export function calibrationAssetsDir(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "assets", "calibration");
    if (existsSync(join(candidate, BUILT_IN_SETS.gsm8k))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the built-in calibration sets (assets/calibration) were not found");
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** `gsm8k`, `cruxeval`, `both`, or a path to a JSONL file of problems; the first `n` of each. */
export function loadProblemSets(set: string, n: number, assets: () => string): ProblemSet[] {
  const builtIn = (name: keyof typeof BUILT_IN_SETS): ProblemSet => {
    const parsed = parseProblems(readFileSync(join(assets(), BUILT_IN_SETS[name]), "utf8"));
    return { key: name, problems: parsed.problems.slice(0, n) };
  };
  if (set === "gsm8k" || set === "cruxeval") return [builtIn(set)];
  if (set === "both") return [builtIn("gsm8k"), builtIn("cruxeval")];
  if (!existsSync(set)) throw new ProblemSetError(`the set must be gsm8k, cruxeval, both or a JSONL file; ${set} does not exist`);
  const text = readFileSync(set, "utf8");
  const parsed = parseProblems(text);
  if (parsed.problems.length === 0) {
    const why = parsed.skipped[0];
    throw new ProblemSetError(`${set} has no usable problems${why ? ` (line ${why.line}: ${why.error})` : ""}`);
  }
  const name = basename(set).replace(/\.jsonl?$/i, "").replace(/[^\w.-]+/g, "_");
  return [{ key: `file-${name}-${sha256(text).slice(0, 10)}`, problems: parsed.problems.slice(0, n) }];
}
