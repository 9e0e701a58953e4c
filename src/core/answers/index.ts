export type { AnswerFormat } from "./format";
export { inferAnswerFormat, parseChoice } from "./format";
export type { AnswerStatement, StatementKind } from "./extract";
export { extractFinalAnswer, extractStatements } from "./extract";
export { answersEquivalent } from "./equivalence";
export { parseNumber, canonicalNumber } from "./numbers";
export { findBoxed } from "./latex";
export { normalizeMath } from "./normalize";
