/**
 * The online anchor: the step where the answer the model currently holds was first stated,
 * confirmed each time a later step states an equivalent answer, reset when a step states a
 * different one. Without a gold answer this stands in for SBT's foundation solution.
 */
import type { AnswerFormat } from "../answers/format";
import { answersEquivalent } from "../answers/equivalence";
import type { AnswerStatement } from "../answers/extract";

export interface AnchorState {
  readonly answer: string | null;
  /** 1-based step of the first statement of `answer` in the current run (null: none yet). */
  readonly step: number | null;
  /** Later steps that restated it. */
  readonly confirmations: number;
}

export class AnchorTracker {
  private answer: string | null = null;
  private step: number | null = null;
  private confirmations = 0;
  private lastConfirmedStep = 0;

  constructor(private readonly format: AnswerFormat) {}

  get state(): AnchorState {
    return { answer: this.answer, step: this.step, confirmations: this.confirmations };
  }

  /** Takes in the statements of completed step `stepIndex` (1-based). The step's last statement is its answer. */
  observe(stepIndex: number, statements: readonly AnswerStatement[]): void {
    const last = statements[statements.length - 1];
    if (last === undefined) return;
    if (this.answer === null || !answersEquivalent(last.value, this.answer, this.format)) {
      this.answer = last.value;
      this.step = stepIndex;
      this.confirmations = 0;
      this.lastConfirmedStep = stepIndex;
      return;
    }
    if (stepIndex > this.lastConfirmedStep) {
      this.confirmations++;
      this.lastConfirmedStep = stepIndex;
    }
  }
}
