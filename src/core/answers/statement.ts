/** An answer stated in the thinking, and how it was stated (shared by every extractor). */

/**
 * How an answer was stated. Explicit: `boxed` (`\boxed{…}`), `phrase` ("the answer is …",
 * "Answer: …"). Implicit, weaker: `result` (a computation ending in `= 42`), `conclusion`
 * ("So she makes $18 a day"), `claim` ("option C is correct").
 */
export type StatementKind = "boxed" | "phrase" | "result" | "conclusion" | "claim";

/** Explicit statements outrank implicit ones. */
export function isExplicit(kind: StatementKind): boolean {
  return kind === "boxed" || kind === "phrase";
}

export interface AnswerStatement {
  /** The answer as the detector compares and reports it (numbers canonical, letters upper-case, expressions as written). */
  readonly value: string;
  readonly kind: StatementKind;
  /** Offset in the text just past the statement. */
  readonly end: number;
  /**
   * For implied statements, when the question's target is known (see answers/target.ts): whether
   * the step names what the question asks for. Undefined otherwise.
   */
  readonly targeted?: boolean;
  /**
   * An explicit statement made tentatively — hedged ("I think the output is …", "probably"), in a
   * sentence that asks or supposes, or doubted later in its step ("… Wait, no"): still the
   * model's answer, but not one it has settled on. Program outputs only.
   */
  readonly tentative?: boolean;
}
