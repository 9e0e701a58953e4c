/** Code drafts in a model's thinking: finding them, telling a restatement from a revision. */
export type { CodeDraft, DraftDefinition, DraftForm, DraftLanguage, DraftRelation } from "./types";
export { CodeDraftScanner, type DraftScannerOptions } from "./scanner";
export { findCodeDrafts, findCodeDraftsIn } from "./find";
export { confirms, containsCode, coversDefinitions, relateDrafts, revises, sameDraft } from "./relation";
export { readDraft } from "./draft";
