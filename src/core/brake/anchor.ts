/**
 * The online anchor: the step where the answer the model currently holds was first stated,
 * confirmed each time a later step states an equivalent answer, reset when the answer changes.
 * Without a gold answer this stands in for SBT's foundation solution.
 *
 * Statements come in two strengths (see answers/extract.ts): explicit ("the answer is 18",
 * `\boxed{18}`) and implicit (`16 + 2 = 18`, "So she makes $18"). Implicit statements are
 * often intermediate values, so they are trusted less: see {@link AnchorPolicy}.
 */
import type { AnswerFormat } from "../answers/format";
import { answersEquivalent } from "../answers/equivalence";
import type { AnswerStatement } from "../answers/extract";
import { isExplicit } from "../answers/extract";
import { normalizeMath } from "../answers/normalize";
import { canonicalNumber, parseNumber } from "../answers/numbers";

/** A spelling-independent key for remembering which values were stated. */
function answerKey(value: string): string {
  const n = parseNumber(value);
  return n === null ? normalizeMath(value) : canonicalNumber(n);
}

/** How statements move the anchor. Defaults in config.ts are the measured ones (docs/BRAKE.md). */
export interface AnchorPolicy {
  /** Use implicit statements at all (false: only "the answer is …" and boxes count). */
  readonly useImplicit: boolean;
  /** An implicit statement of a different value resets an anchor that was stated explicitly. */
  readonly implicitResetsExplicit: boolean;
  /** Extra confirmations required while the anchor has only implicit support. */
  readonly implicitExtraConfirmations: number;
  /** Extra confirmations required per earlier change of answer (hard problems revise; be patient), … */
  readonly perRevision: number;
  /** … up to this many extra. */
  readonly maxRevisionPenalty: number;
  /**
   * An implicit statement of a value already seen earlier in the thinking (re-deriving an
   * intermediate result while checking) does not move the anchor; only a new value does.
   */
  readonly ignoreRederived: boolean;
}

export interface AnchorState {
  readonly answer: string | null;
  /** 1-based step of the first statement of `answer` in the current run (null: none yet). */
  readonly step: number | null;
  /** Later steps that restated it. */
  readonly confirmations: number;
  /** Whether it was ever stated explicitly. */
  readonly explicit: boolean;
  /** How many times the held answer has changed so far. */
  readonly revisions: number;
}

export class AnchorTracker {
  private answer: string | null = null;
  private step: number | null = null;
  private confirmations = 0;
  private explicit = false;
  private revisions = 0;
  private lastConfirmedStep = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly format: AnswerFormat,
    private readonly policy: AnchorPolicy,
  ) {}

  get state(): AnchorState {
    return { answer: this.answer, step: this.step, confirmations: this.confirmations, explicit: this.explicit, revisions: this.revisions };
  }

  /** Confirmations still needed before the brake may fire. */
  get confirmationsRequired(): number {
    const p = this.policy;
    const revision = Math.min(p.maxRevisionPenalty, Math.floor(this.revisions * p.perRevision));
    return revision + (this.explicit ? 0 : p.implicitExtraConfirmations);
  }

  /** Takes in the statements of completed step `stepIndex` (1-based). */
  observe(stepIndex: number, statements: readonly AnswerStatement[]): void {
    const usable = this.policy.useImplicit ? statements : statements.filter((s) => isExplicit(s.kind));
    const explicitOnes = usable.filter((s) => isExplicit(s.kind));
    const chosen = explicitOnes[explicitOnes.length - 1] ?? usable[usable.length - 1];
    if (chosen === undefined) return;
    const strong = isExplicit(chosen.kind);
    const rederived = this.seen.has(answerKey(chosen.value));
    for (const s of statements) this.seen.add(answerKey(s.value));
    if (this.answer !== null && answersEquivalent(chosen.value, this.answer, this.format)) {
      if (stepIndex > this.lastConfirmedStep) {
        this.confirmations++;
        this.lastConfirmedStep = stepIndex;
      }
      this.explicit ||= strong;
      return;
    }
    if (this.answer !== null && !strong) {
      if (this.explicit && !this.policy.implicitResetsExplicit) return;
      if (rederived && this.policy.ignoreRederived) return;
    }
    if (this.answer !== null) this.revisions++;
    this.answer = chosen.value;
    this.step = stepIndex;
    this.confirmations = 0;
    this.explicit = strong;
    this.lastConfirmedStep = stepIndex;
  }
}
