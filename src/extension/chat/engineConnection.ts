import type { AskEvent, AskRequest, GenerationResult, LoadConfig, LoadReport } from "../../engine/common/types";

/** One request running in the engine. */
export interface RunningAsk {
  /** Settles with the finished answer; rejects with an error whose message a user can act on. */
  readonly result: Promise<GenerationResult>;
  /** Brake now and let the model answer ("Answer now"). */
  answerNow(): void;
  /** Stop generating; the result then settles with stopReason "cancelled". */
  cancel(): void;
}

/**
 * What the chat needs from the engine (implemented over the engine process client). Kept
 * small so the chat session can be tested with a scripted stand-in.
 */
export interface EngineConnection {
  ask(load: LoadConfig, request: AskRequest, onEvent: (event: AskEvent) => void): RunningAsk;
  /** Resume the thinking of the last braked answer (drops the cue and the answer). */
  continueThinking(load: LoadConfig, previous: RunningAsk, onEvent: (event: AskEvent) => void): RunningAsk;
}

/** One line for the model bar: backend, device, layers, context, threads. */
export function summarizeLoad(report: LoadReport): string {
  const parts: string[] = [report.backend === "cpu" ? "CPU" : report.backend === "cuda" ? "CUDA" : report.backend === "vulkan" ? "Vulkan" : "Metal"];
  if (report.gpuDevices.length > 0 && report.backend !== "cpu") parts.push(report.gpuDevices.join(", "));
  if (report.backend !== "cpu") parts.push(`${report.layersOffloaded}/${report.layersTotal} layers on GPU`);
  parts.push(`context ${report.contextSize}`);
  parts.push(`${report.threads} thread${report.threads === 1 ? "" : "s"}`);
  parts.push(`loaded in ${(report.timings.totalMs / 1000).toFixed(1)} s`);
  return parts.join(" · ");
}
