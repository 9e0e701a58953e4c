/** Models already on this machine: `discoverModels` and the types it returns. */
export { discoverModels, DEFAULT_DISCOVERY_LIMITS } from "./discoverModels";
export { MODEL_SOURCES } from "./types";
export type { DiscoveredModel, DiscoveryLimits, DiscoveryOptions, ModelFacts, ModelSource } from "./types";
export { huggingFaceHubRoot, lmStudioDefaultRoots, nodeLlamaCppRoot, ollamaRoots } from "./roots";
export type { RootContext } from "./roots";
