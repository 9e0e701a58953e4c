export type { SbtMetrics, SbtStep, SbtInput } from "./sbt";
export { sbtMetrics, sbtSteps, scoreAtStep } from "./sbt";
export type { AnalyzedTrace, AnalyzeGroup } from "./analyze";
export { analyzeGroups, analyzeGroup } from "./analyze";
