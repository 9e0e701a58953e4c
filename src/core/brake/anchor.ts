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
import type { AnswerStatement, StatementKind } from "../answers/extract";
import { isExplicit } from "../answers/extract";
import { normalizeMath } from "../answers/normalize";
import { canonicalNumber, parseNumber } from "../answers/numbers";
import { outputAnswerKey } from "../answers/outputAnswer";

/** A spelling-independent key for remembering which values were stated. */
function answerKey(value: string, format: AnswerFormat): string {
  if (format === "output") return outputAnswerKey(value) ?? value;
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
  /**
   * Which changes of the held answer count as revisions for `perRevision`:
   * - `any`: every change (an implied intermediate value replacing another counts too);
   * - `held`: only leaving an answer that was held: stated explicitly or restated at least once;
   * - `split`: `held` while the anchor was stated explicitly, `any` while it is only implied — many
   *   changing values are a sign of a hard problem, where an implied value is often intermediate.
   */
  readonly revisionsCount: "any" | "held" | "split";
  /**
   * Implied statements in a step that does not name what the question asks for (see
   * answers/target.ts) — "the remainder is 33" when the question asks for a sum: `use` them like
   * any other, or `ignore` them: they neither anchor, revise nor confirm an implied answer (they
   * may still confirm an answer that was stated explicitly). Only applies when the detector knows
   * the question and can tell its target.
   */
  readonly untargeted: "use" | "ignore";
  /**
   * An answer stated explicitly and then restated by later steps as often as required (a solution
   * plus a verification: SBT-E's rule) brakes once the Overthink Score reaches half the threshold,
   * τ1 / 2, instead of waiting for τ2. Implied answers always wait for τ2 (SBT-D's rule).
   */
  readonly verifiedExplicitBrakes: boolean;
  /**
   * An implied answer needs one restatement fewer once the thinking since its first statement
   * is busy checking: the SBT markers ("wait", "double-check", "verify", …) make up at least this
   * share of its words (0.06: six marker words in a hundred). Null turns it off. It never
   * lowers the requirement below `minConfirmations`.
   */
  readonly checkingMarkerRate: number | null;
  /**
   * An explicit statement settles the answer: it counts as its own confirmation, and the detector's
   * `concluded` rule brakes on it without waiting for the overthink score (up to the default
   * threshold; above it, for the excess). For program outputs (formatPolicy): the model writes "the
   * output is X" or `assert f(…) == X` once it has traced the code; what follows re-traces it. Not
   * in the first two steps ({@link SETTLES_FROM_STEP}): there it is a guess; nor when it is said
   * tentatively ("I think the output is …", "probably", doubted later in its step:
   * `AnswerStatement.tentative`).
   */
  readonly explicitSettles: boolean;
}

export interface AnchorState {
  readonly answer: string | null;
  /** 1-based step of the first statement of `answer` in the current run (null: none yet). */
  readonly step: number | null;
  /** Later steps that restated it. */
  readonly confirmations: number;
  /** Whether it was ever stated explicitly. */
  readonly explicit: boolean;
  /** The strongest way it was stated (boxed > phrase > conclusion > claim > result); null without an anchor. */
  readonly kind: StatementKind | null;
  /** How many times the held answer has changed so far (as counted for the revision penalty). */
  readonly revisions: number;
  /** Distinct values stated so far. */
  readonly distinct: number;
  /** The answer was settled by an explicit statement (policy `explicitSettles`, from step {@link SETTLES_FROM_STEP} on). */
  readonly settled: boolean;
}

/** What the detector reads from an anchor, whatever it anchors on (values, or code drafts: codeAnchor.ts). */
export interface Anchoring {
  readonly state: AnchorState;
  /** Confirmations still needed beyond the configured minimum. */
  readonly confirmationsRequired: number;
  /** Restatements since the answer was first stated explicitly (0 while implied). */
  readonly confirmationsSinceExplicit: number;
}

/** An explicit statement in the first two steps is a guess, not a result the model worked out: it does not settle the answer. */
export const SETTLES_FROM_STEP = 3;

const KIND_RANK: Record<StatementKind, number> = { result: 0, claim: 1, conclusion: 2, phrase: 3, boxed: 4 };

export class AnchorTracker implements Anchoring {
  private answer: string | null = null;
  private step: number | null = null;
  private confirmations = 0;
  private explicit = false;
  private kind: StatementKind | null = null;
  /** Every change of the held answer. */
  private changes = 0;
  /** Changes that left an answer which was held (explicit, or restated). */
  private heldChanges = 0;
  private lastConfirmedStep = 0;
  /** Restatements in steps after the one where the answer was first stated explicitly. */
  private sinceExplicit = 0;
  private settled = false;
  private readonly seen = new Set<string>();

  constructor(
    private readonly format: AnswerFormat,
    private readonly policy: AnchorPolicy,
  ) {}

  get state(): AnchorState {
    return {
      answer: this.answer,
      step: this.step,
      confirmations: this.confirmations,
      explicit: this.explicit,
      kind: this.kind,
      revisions: this.revisions,
      distinct: this.seen.size,
      settled: this.settled,
    };
  }

  private get revisions(): number {
    const mode = this.policy.revisionsCount;
    return mode === "held" || (mode === "split" && this.explicit) ? this.heldChanges : this.changes;
  }

  /** Restatements in steps after the one where the answer was first stated explicitly (0 while implied). */
  get confirmationsSinceExplicit(): number {
    return this.sinceExplicit;
  }

  /** Confirmations still needed (beyond the configured minimum) before the brake may fire. */
  get confirmationsRequired(): number {
    const p = this.policy;
    const revision = Math.min(p.maxRevisionPenalty, Math.floor(this.revisions * p.perRevision));
    return revision + (this.explicit ? 0 : p.implicitExtraConfirmations);
  }

  /** Takes in the statements of completed step `stepIndex` (1-based). */
  observe(stepIndex: number, statements: readonly AnswerStatement[]): void {
    const p = this.policy;
    // an untargeted implied statement may still confirm an answer that was stated explicitly ("30 + 12 = 42" after "the answer is 42")
    const confirmsExplicit = (s: AnswerStatement): boolean => this.explicit && this.answer !== null && answersEquivalent(s.value, this.answer, this.format);
    const usable = statements.filter(
      (s) => isExplicit(s.kind) || (p.useImplicit && !(p.untargeted === "ignore" && s.targeted === false && !confirmsExplicit(s))),
    );
    const explicitOnes = usable.filter((s) => isExplicit(s.kind));
    const chosen = explicitOnes[explicitOnes.length - 1] ?? usable[usable.length - 1];
    if (chosen === undefined) return;
    const strong = isExplicit(chosen.kind);
    const settles = strong && p.explicitSettles && stepIndex >= SETTLES_FROM_STEP && chosen.tentative !== true;
    const rederived = this.seen.has(answerKey(chosen.value, this.format));
    for (const s of usable) this.seen.add(answerKey(s.value, this.format));
    if (this.answer !== null && answersEquivalent(chosen.value, this.answer, this.format)) {
      if (stepIndex > this.lastConfirmedStep) {
        this.confirmations++;
        if (this.explicit || settles) this.sinceExplicit++;
        this.lastConfirmedStep = stepIndex;
      }
      this.explicit ||= strong;
      this.settled ||= settles;
      if (this.kind === null || KIND_RANK[chosen.kind] > KIND_RANK[this.kind]) this.kind = chosen.kind;
      return;
    }
    if (this.answer !== null && !strong) {
      if (this.explicit && !p.implicitResetsExplicit) return;
      if (rederived && p.ignoreRederived) return;
    }
    if (this.answer !== null) {
      this.changes++;
      if (this.explicit || this.confirmations > 0) this.heldChanges++;
    }
    this.answer = chosen.value;
    this.step = stepIndex;
    this.confirmations = settles ? 1 : 0;
    this.sinceExplicit = settles ? 1 : 0;
    this.settled = settles;
    this.explicit = strong;
    this.kind = chosen.kind;
    this.lastConfirmedStep = stepIndex;
  }
}
