/**
 * Engine defaults for values that have no `selfBraking.*` setting yet (see docs/ENGINE.md,
 * "Settings"); the others come from src/core/settings/registry.ts.
 */
import type { ProbeMode } from "./types";

/** Cap on the answer after the thinking (proposed setting generation.maxAnswerTokens). */
export const DEFAULT_MAX_ANSWER_TOKENS = 2048;
/** Proposed setting brake.probe. */
export const DEFAULT_PROBE_MODE: ProbeMode = "off";
/** Proposed setting generation.thinking (Qwen3's switch; an empty think block for other models). */
export const DEFAULT_THINKING = true;
/** Budget "Continue thinking" adds when the caller gives none. */
export const DEFAULT_CONTINUE_THINKING_TOKENS = 1024;
