/** Engine defaults for values that have no `selfBraking.*` setting (the others live in src/core/settings/registry.ts). */

/** Budget "Continue thinking" adds when the caller gives none. */
export const DEFAULT_CONTINUE_THINKING_TOKENS = 1024;
