/** Drives a detector over a whole thinking text, as a host that streams it would. */
import type { BrakeConfigInput } from "../../../../src/core/brake/config";
import { createBrakeDetector } from "../../../../src/core/brake/detector";
import type { BrakeDecision } from "../../../../src/core/brake/types";

/**
 * Pushes `text` in chunks whose sizes cycle through `sizes` (characters), 1 token per 4
 * characters; returns the first brake, or the last decision.
 */
export function feed(text: string, config: BrakeConfigInput, sizes: readonly number[] = [1]): BrakeDecision {
  const d = createBrakeDetector(config);
  let i = 0;
  let k = 0;
  let last: BrakeDecision = { kind: "continue", armed: false };
  while (i < text.length) {
    const n = sizes[k++ % sizes.length] ?? 1;
    const chunk = text.slice(i, i + n);
    last = d.push(chunk, chunk.length / 4);
    if (last.kind === "brake") return last;
    i += n;
  }
  return last;
}
