/** The online brake detector: see types.ts for the contract. */
import type { StatementContext } from "../answers/statements";
import { hasTwoOptionLists } from "../answers/format";
import { extractStatements, givenNumbers } from "../answers/statements";
import { questionTarget } from "../answers/target";
import { givenOutputValues } from "../answers/outputQuestion";
import { AnchorTracker } from "./anchor";
import type { AnchorPolicy, Anchoring } from "./anchor";
import { CodeDraftScanner } from "../answers/code";
import type { CodeDraft } from "../answers/code";
import { CodeAnchorTracker } from "./codeAnchor";
import type { BrakeConfigInput } from "./config";
import { DEFAULT_BRAKE_CONFIG, effectiveBudget, resolveBrakeConfig } from "./config";
import { explainBrake, openQuestionStandDown, TWO_OPTION_LISTS_STAND_DOWN } from "./explain";
import { inferCodeAnswerShape, inferQuestionKind } from "../answers/questionKind";
import type { QuestionKind } from "../vocabulary";
import type { MarkerCounter } from "./markers";
import { createMarkerCounter, TRANSITION_WORDS } from "./markers";
import { StepSegmenter } from "./steps";
import { chunkTokenPositions } from "./tokenPositions";
import type {
  BrakeConfig,
  BrakeDecision,
  BrakeDetector,
  BrakeEvidence,
  BrakeNowDecision,
  BrakeReason,
  BrakeRule,
  BrakeSnapshot,
  EndOfThinkingSignal,
  ProbeRequest,
  ProbeResult,
} from "./types";

const CONTINUE: BrakeDecision = { kind: "continue", armed: false };
const CONTINUE_ARMED: BrakeDecision = { kind: "continue", armed: true };
const TRANSITION = new RegExp(`^\\s*(?:${TRANSITION_WORDS.map((w) => w.replace(/\s+/g, "\\s+")).join("|")})\\b`, "i");

/** Creates a detector for one generation. Fields left out take the defaults of {@link DEFAULT_BRAKE_CONFIG}. */
/** The signal's margin as the detector keeps it: ln(top probability) − ln(probability) in nats, both floored at 1e-12, never negative. */
export function endOfThinkingMargin(signal: Pick<EndOfThinkingSignal, "probability" | "topProbability">): number {
  return Math.max(0, Math.log(Math.max(signal.topProbability, 1e-12)) - Math.log(Math.max(signal.probability, 1e-12)));
}

export function createBrakeDetector(input: BrakeConfigInput = {}): BrakeDetector {
  return new Detector(resolveBrakeConfig(input));
}

/** Share of τ1 at which a verified explicit answer brakes (docs/BRAKE.md: it keeps most of what braking regardless of τ1 gained). */
const VERIFIED_SHARE_OF_THRESHOLD = 0.5;

/**
 * A settled answer (the `concluded` rule) brakes at once at thresholds up to this one (the default
 * τ1); above it, once the score reaches the excess — so raising the threshold still brakes later.
 */
const CONCLUDED_AT_ONCE_UP_TO = DEFAULT_BRAKE_CONFIG.threshold;

class Detector implements BrakeDetector {
  private readonly steps = new StepSegmenter();
  private readonly anchor: Anchoring;
  /** The anchor policy with the answer format's changes (formatPolicy) applied. */
  private readonly policy: AnchorPolicy;
  /** How a completed step moves the anchor (statements for values, drafts for code). */
  private readonly observeStep: (stepIndex: number, text: string, end: number) => void;
  /**
   * Code questions: drafts found in the thinking that the step boundaries have not taken yet, each
   * with the offset where it became known (the end of the line that closed it), so that the step
   * that takes it does not depend on how the text was chunked.
   */
  private readonly drafts: { readonly scanner: CodeDraftScanner; readonly pending: Array<{ readonly draft: CodeDraft; readonly knownAt: number }> } | null;
  private readonly context: StatementContext;
  private readonly markers: MarkerCounter;
  private readonly budget: number;
  private readonly brakeAt: number;
  /** τ1 / 2: the score at which a verified explicit answer brakes. */
  private readonly verifiedAt: number;
  /** The score at which a settled answer brakes (0 up to the default threshold). */
  private readonly concludedAt: number;
  /** A choice question with two option lists: a letter cannot be told to mean one option, so only the budget brakes. */
  private readonly lettersAmbiguous: boolean;
  /** Why the adaptive brake stands down for this question (evidence `standDown`), or null. */
  private readonly standDown: string | null;
  private readonly questionKind: QuestionKind;
  /** No adaptive brake or probe for this question (two option lists, an open-ended question): only the budget, and the signal if on. */
  private readonly adaptiveOff: boolean;
  private tokens = 0;
  private markerCount = 0;
  private markerWords = 0;
  private completedSteps = 0;
  private armed = false;
  private brake: BrakeNowDecision | null = null;
  private probeId = 0;
  private pendingProbe: ProbeRequest | null = null;
  private lastProbeTokens = -Infinity;
  private probedStepStart = -1;
  private rule: BrakeRule | null = null;
  /** Words in completed steps, split as the marker counter splits them (exact at step boundaries, unlike interpolated tokens). */
  private words = 0;
  /** The end-of-thinking signal last read at a step boundary (evidence). */
  private endOfThinking: { readonly probability: number; readonly margin: number } | null = null;
  /** Marker words and words at the end of the step where the current anchor was first stated (for the checking rate). */
  private anchorSince: { step: number | null; markerWords: number; words: number } = { step: null, markerWords: 0, words: 0 };

  constructor(readonly config: BrakeConfig) {
    this.policy = { ...config.policy, ...config.formatPolicy[config.answerFormat] };
    if (config.answerFormat === "code") {
      const shape = config.codeAnswer ?? inferCodeAnswerShape(undefined, config.question);
      // only a fill-in question anchors on lines and inline code; elsewhere they are calls being discussed
      const code = new CodeAnchorTracker({ ...config.codePolicy, snippetsAnchor: config.codePolicy.snippetsAnchor && shape === "snippet" });
      const drafts = { scanner: new CodeDraftScanner(), pending: [] as Array<{ draft: CodeDraft; knownAt: number }> };
      // where each completed non-empty step ends: a draft found late (an unfenced block ends at the
      // first line that is not code) still belongs to the step where it ended
      const stepEnds: number[] = [];
      this.drafts = drafts;
      this.anchor = code;
      this.observeStep = (stepIndex, text, end) => {
        stepEnds.push(end);
        const done = drafts.pending.filter((d) => d.knownAt <= end);
        drafts.pending.splice(0, done.length);
        code.observe(stepIndex, text, done.map(({ draft }) => ({ draft, step: stepOf(stepEnds, draft.end) })));
      };
    } else {
      const values = new AnchorTracker(config.answerFormat, this.policy);
      this.drafts = null;
      this.anchor = values;
      this.observeStep = (stepIndex, text) => values.observe(stepIndex, extractStatements(text, this.context));
    }
    this.context = {
      format: config.answerFormat,
      given: config.question === undefined ? undefined : givenNumbers(config.question),
      target: config.answerFormat === "choice" ? undefined : questionTarget(config.question),
      ...(config.answerFormat === "output" && config.question !== undefined ? { givenOutputs: givenOutputValues(config.question) } : {}),
    };
    this.markers = createMarkerCounter(config.markers);
    this.budget = effectiveBudget(config);
    this.brakeAt = config.threshold + config.grace;
    this.verifiedAt = config.threshold * VERIFIED_SHARE_OF_THRESHOLD;
    this.concludedAt = Math.max(0, config.threshold - CONCLUDED_AT_ONCE_UP_TO);
    this.lettersAmbiguous = config.answerFormat === "choice" && hasTwoOptionLists(config.question);
    this.questionKind = inferQuestionKind(config.answerFormat, config.question);
    this.adaptiveOff = this.lettersAmbiguous || this.questionKind === "open";
    const standDown = this.lettersAmbiguous ? TWO_OPTION_LISTS_STAND_DOWN : this.questionKind === "open" ? openQuestionStandDown(config.signal.policy === "endOfThinking") : null;
    this.standDown = config.mode === "adaptive" ? standDown : null;
  }

  push(text: string, tokenCount: number, tokenEnds?: readonly number[]): BrakeDecision {
    if (this.brake) return this.brake;
    this.pendingProbe = null;
    const start = this.steps.offset;
    const tokensBefore = this.tokens;
    const count = Math.max(0, tokenCount);
    const positions = chunkTokenPositions(text.length, count, tokenEnds);
    const tokensAt = (offset: number): number => tokensBefore + positions.tokensAt(offset - start);

    const limited = this.config.mode !== "off" && tokensBefore + count >= this.budget;
    const budgetOffset = limited ? start + positions.charsFor(this.budget - tokensBefore) : Infinity;
    const consumed = limited ? text.slice(0, budgetOffset - start) : text;

    if (this.drafts) this.scanDrafts(this.drafts, consumed, start);
    for (const step of this.steps.push(consumed)) {
      this.tokens = tokensAt(step.end);
      this.completeStep(step.text, step.end);
      const rule = this.adaptiveRule();
      if (rule !== null) {
        this.rule = rule;
        return this.decide("overthinking", step.end);
      }
    }
    this.tokens = tokensAt(this.steps.offset);
    if (limited) return this.decide("budget", budgetOffset);
    const probe = this.maybeProbe();
    if (probe) return probe;
    return this.armed ? CONTINUE_ARMED : CONTINUE;
  }

  /** Feeds the draft scanner line by line: a draft is reported when a line completes, known from that line's end. */
  private scanDrafts(drafts: NonNullable<Detector["drafts"]>, text: string, start: number): void {
    let from = 0;
    while (from < text.length) {
      const newline = text.indexOf("\n", from);
      const to = newline < 0 ? text.length : newline + 1;
      for (const draft of drafts.scanner.push(text.slice(from, to))) drafts.pending.push({ draft, knownAt: start + to });
      from = to;
    }
  }

  reportProbe(id: number, result: ProbeResult): BrakeDecision {
    if (this.brake) return this.brake;
    const pending = this.pendingProbe;
    this.pendingProbe = null;
    if (pending === null || pending.id !== id) return this.armed ? CONTINUE_ARMED : CONTINUE;
    if (result.confidence >= this.config.probe.minConfidence && this.tokens >= this.config.minThinkingTokens) {
      return this.decide("probe", pending.charOffset, result.answer);
    }
    return this.armed ? CONTINUE_ARMED : CONTINUE;
  }

  observeSignal(signal: EndOfThinkingSignal): BrakeDecision {
    if (this.brake) return this.brake;
    this.endOfThinking = { probability: signal.probability, margin: endOfThinkingMargin(signal) };
    const atStepEnd = signal.charOffset === this.steps.offset && this.steps.currentStepStart === this.steps.offset && this.completedSteps > 0;
    const s = this.config.signal;
    if (s.policy !== "endOfThinking" || this.config.mode !== "adaptive" || !atStepEnd) return this.armed ? CONTINUE_ARMED : CONTINUE;
    if (this.tokens < this.config.minThinkingTokens || this.endOfThinking.margin > s.maxMargin) return this.armed ? CONTINUE_ARMED : CONTINUE;
    return this.decide("signal", signal.charOffset);
  }

  snapshot(): BrakeSnapshot {
    return { evidence: this.evidence(this.steps.offset), armed: this.armed, brake: this.brake };
  }

  private completeStep(text: string, end: number): void {
    const found = this.markers.count(text);
    this.markerCount += found.markers;
    this.markerWords += found.markerWords;
    this.words += found.words;
    if (text.trim().length === 0) return;
    this.completedSteps++;
    this.observeStep(this.completedSteps, text, end);
    const step = this.anchor.state.step;
    // counted from the end of the anchor step: the rate covers only what came after the first statement
    if (step !== this.anchorSince.step) this.anchorSince = { step, markerWords: this.markerWords, words: this.words };
  }

  /**
   * Share of the words since the anchored answer was first stated that are overthinking markers
   * (null without an anchor). Words, not tokens: tokens inside a pushed chunk are interpolated, so
   * a token rate would depend on how the host chunks the text.
   */
  private checkingRate(): number | null {
    if (this.anchorSince.step === null) return null;
    const words = this.words - this.anchorSince.words;
    return words > 0 ? (this.markerWords - this.anchorSince.markerWords) / words : 0;
  }

  /** Whether an implied anchor is being checked busily enough to need one restatement fewer. */
  private checking(): boolean {
    const limit = this.policy.checkingMarkerRate;
    const rate = this.checkingRate();
    return limit !== null && rate !== null && !this.anchor.state.explicit && rate >= limit;
  }

  /** Restatements the brake waits for. */
  private confirmationsRequired(): number {
    const required = this.config.minConfirmations + this.anchor.confirmationsRequired;
    return this.checking() ? Math.max(this.config.minConfirmations, required - 1) : required;
  }

  private score(): { etaHat: number | null; kappa: number; score: number | null } {
    const kappa = this.tokens > 0 ? Math.min(1, this.markerWords / this.tokens) : 0;
    const a = this.anchor.state;
    const current = Math.max(1, this.completedSteps);
    if (a.step === null) return { etaHat: null, kappa, score: null };
    const etaHat = a.step / current;
    return { etaHat, kappa, score: this.config.beta * kappa + (1 - this.config.beta) * (1 - etaHat) };
  }

  /** Which rule lets the adaptive brake fire after the step just completed (null: none). */
  private adaptiveRule(): BrakeRule | null {
    if (this.config.mode !== "adaptive" || this.adaptiveOff) return null;
    const { score } = this.score();
    const a = this.anchor.state;
    const required = this.confirmationsRequired();
    const confirmed = a.confirmations >= required;
    this.armed = confirmed && score !== null && score >= this.config.threshold;
    if (!confirmed || score === null || this.tokens < this.config.minThinkingTokens) return null;
    const verified = a.explicit && this.anchor.confirmationsSinceExplicit >= required;
    // a settled answer (a stated program output): the tracing that found it is done
    if (verified && a.settled && score >= this.concludedAt) return "concluded";
    // SBT-D: the score of a confirmed anchor reaches τ2 = τ1 + grace
    if (this.armed && score >= this.brakeAt) return "eta";
    // SBT-E: an explicit answer with its verification needs less evidence, but still follows τ1
    if (verified && this.policy.verifiedExplicitBrakes && score >= this.verifiedAt) return "verified";
    return null;
  }

  private maybeProbe(): ProbeRequest | null {
    const p = this.config.probe;
    if (!p.enabled || this.config.mode !== "adaptive" || this.adaptiveOff) return null;
    const stepStart = this.steps.currentStepStart;
    if (stepStart === this.probedStepStart) return null;
    const head = this.steps.currentText().slice(0, 24);
    if (!/\S+\W/.test(head)) return null; // first word not complete yet
    this.probedStepStart = stepStart;
    if (!TRANSITION.test(head)) return null;
    if (this.tokens < p.minTokens || this.tokens - this.lastProbeTokens < p.minTokensBetween) return null;
    this.lastProbeTokens = this.tokens;
    const trigger = (TRANSITION.exec(head)?.[0] ?? "").trim();
    const request: ProbeRequest = { kind: "probe", id: ++this.probeId, charOffset: stepStart, trigger, evidence: this.evidence(stepStart) };
    this.pendingProbe = request;
    return request;
  }

  private evidence(offset: number, answerOverride?: string): BrakeEvidence {
    const a = this.anchor.state;
    const s = this.score();
    return {
      anchorStep: a.step,
      currentStep: Math.max(1, this.completedSteps),
      etaHat: s.etaHat,
      kappa: s.kappa,
      score: s.score,
      anchoredAnswer: answerOverride ?? a.answer,
      confirmations: a.confirmations,
      confirmationsRequired: this.confirmationsRequired(),
      explicitAnswer: a.explicit,
      revisions: a.revisions,
      distinctAnswers: a.distinct,
      anchorKind: a.kind,
      rule: this.rule,
      thinkingTokens: this.tokens,
      thinkingChars: offset,
      markerCount: this.markerCount,
      checkingRate: this.checkingRate(),
      checking: this.checking(),
      armThreshold: this.config.threshold,
      brakeThreshold: this.rule === "verified" ? this.verifiedAt : this.rule === "concluded" ? this.concludedAt : this.brakeAt,
      standDown: this.standDown,
      endOfThinking: this.endOfThinking,
      questionKind: this.questionKind,
    };
  }

  private decide(reason: BrakeReason, charOffset: number, answerOverride?: string): BrakeNowDecision {
    const evidence = this.evidence(charOffset, answerOverride);
    this.brake = { kind: "brake", reason, charOffset, evidence, explanation: explainBrake(reason, evidence) };
    return this.brake;
  }
}

/** The 1-based index of the step (by the ends of the steps so far) in which `offset` falls. */
function stepOf(stepEnds: readonly number[], offset: number): number {
  let step = stepEnds.length;
  while (step > 1 && (stepEnds[step - 2] as number) >= offset) step--;
  return step;
}
