/**
 * How many CPU threads llama.cpp gets. Its default (here 4 on a 2-core machine) oversubscribes
 * small machines, and llama.cpp's threads spin while they wait for each other, so too many
 * threads are far slower than too few. See docs/BENCHMARKS.md ("Engine", threads) for numbers.
 */
import type { Backend } from "../../common/types";

export interface ThreadInput {
  readonly setting: "auto" | number;
  /** llama.cpp's count of cores useful for math (physical cores, no hyper-threads). */
  readonly mathCores: number;
  readonly backend: Backend;
  readonly layersOffloaded: number;
  readonly layersTotal: number;
  readonly parameters: number;
}

export interface ThreadChoice {
  readonly threads: number;
  readonly reason: string;
  readonly warning: string | null;
}

/**
 * Below this many parameters a token costs microseconds: synchronising threads costs more than it
 * saves (measured on 2 cores: a 0.1 M model runs 230 tok/s on 1 thread, 44 on 2; a 42 M model
 * already gains from the second thread, 14 → 18 tok/s).
 */
export const TINY_MODEL_PARAMETERS = 10_000_000;

export function chooseThreads(input: ThreadInput): ThreadChoice {
  const cores = Math.max(1, Math.floor(input.mathCores));
  if (input.setting !== "auto") {
    const threads = Math.max(1, Math.floor(input.setting));
    const warning =
      threads > cores
        ? `selfBraking.model.threads is ${threads} but this machine has ${cores} math core${cores === 1 ? "" : "s"}: more threads than cores usually makes generation much slower.`
        : null;
    return { threads, reason: "set by selfBraking.model.threads", warning };
  }
  if (input.parameters > 0 && input.parameters < TINY_MODEL_PARAMETERS) {
    return { threads: 1, reason: `tiny model (${input.parameters.toLocaleString("en-US")} parameters): one thread avoids synchronisation overhead`, warning: null };
  }
  if (input.backend !== "cpu" && input.layersTotal > 0 && input.layersOffloaded >= input.layersTotal) {
    const threads = Math.min(cores, 4);
    return { threads, reason: `model fully offloaded to the GPU: ${threads} CPU thread${threads === 1 ? "" : "s"} for the rest`, warning: null };
  }
  return { threads: cores, reason: `one per physical core (${cores}); hyper-threads and oversubscription slow llama.cpp down`, warning: null };
}
