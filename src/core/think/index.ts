export type { ThinkEvent, ThinkParser, ThinkParserOptions } from "./parser";
export { createThinkParser, splitThinking } from "./parser";
