/** Builds the text the brake writes into the thinking: the cue, then the model's own end of thinking. */
import type { LlamaText } from "node-llama-cpp";
import type { NodeLlamaCpp } from "../chat/wrapper";

/** Line breaks that separate the kept thinking from the cue (a new paragraph, as a step would start). */
export function separatorAfter(kept: string): string {
  if (kept.length === 0 || kept.endsWith("\n\n")) return "";
  if (kept.endsWith("\n")) return "\n";
  return "\n\n";
}

/**
 * `straddle` is the part of a cut token that belongs to the kept thinking (re-added as text);
 * `cue` may be empty (a probe closes the thinking without a cue).
 */
export function buildInjection(lib: NodeLlamaCpp, keptThinking: string, straddle: string, cue: string, closeText: LlamaText): { text: LlamaText; plain: string } {
  const kept = keptThinking + straddle;
  const body = cue.length > 0 ? straddle + separatorAfter(kept) + cue : straddle;
  const text = lib.LlamaText([body, closeText]);
  return { text, plain: text.toString() };
}
