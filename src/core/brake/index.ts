export type * from "./types";
export { createBrakeDetector } from "./detector";
export type { BrakeConfigInput } from "./config";
export { DEFAULT_BRAKE_CONFIG, DEFAULT_PROBE_CONFIG, resolveBrakeConfig, effectiveBudget } from "./config";
export { SBT_MARKERS, TRANSITION_WORDS, createMarkerCounter } from "./markers";
export { inferAnswerFormat } from "../answers/format";
