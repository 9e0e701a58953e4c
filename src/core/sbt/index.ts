export type { SbtMode, Segment, SbtExample, SbtSource, SbtOptions } from "./build";
export { buildSbtExample, checkSbtExample, DEFAULT_BRAKING_SENTENCE } from "./build";
