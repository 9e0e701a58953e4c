/**
 * Public API of the online brake detector.
 *
 * The host (the engine while a model streams, or `self-braking replay` on a recorded trace)
 * feeds the detector the *thinking* text as it arrives, together with the number of model
 * tokens that text is made of, and gets back a {@link BrakeDecision} after every push:
 * keep going, brake now (at a step boundary, with the reason and the numbers behind it), or
 * "please probe the model for a trial answer" (DEER-style, only when probes are enabled).
 *
 * Positions are in characters of thinking text: offset 0 is the first character after
 * `<think>` (or the start of the output for templates that open the thinking themselves).
 * The detector never looks ahead: a decision at offset `n` only depends on the text before
 * `n` plus at most the rest of the push that contained `n`; the brake offset itself is where
 * the kept thinking ends. It never sees the gold answer.
 *
 * Stability: this file is the contract with the engine (issue 4). Breaking changes are
 * listed at the top of docs/BRAKE.md.
 */

import type { AnswerFormat } from "../answers/format";
import type { BrakeMode, DetectorBrakeReason, QuestionKind, SignalPolicy } from "../vocabulary";
import type { AnchorPolicy } from "./anchor";
import type { CodeAnchorPolicy } from "./codeAnchor";
import type { CodeAnswerShape } from "../answers/questionKind";
import type { StatementKind } from "../answers/extract";

/**
 * What kind of final answer the question asks for; it decides which answer statements the
 * detector recognises in the thinking: `number` (GSM8K, AIME), `choice` (a letter A–J),
 * `math` (MATH-style expressions), `auto` (numbers and expressions). `inferAnswerFormat`
 * (exported next to the factory) guesses it from a dataset name or the question text.
 */
export type { AnswerFormat, AnchorPolicy, CodeAnchorPolicy, StatementKind };

/** `off`, `adaptive` or `budget` (src/core/vocabulary.ts). */
export type { BrakeMode };

/** Probing (DEER-style): ask the host for a trial answer's confidence at transition words. */
export interface ProbeConfig {
  /** Emit {@link ProbeRequest}s at all. Off by default; replay never probes. */
  readonly enabled: boolean;
  /** Brake when the host reports a trial-answer confidence at or above this (DEER uses 0.95). */
  readonly minConfidence: number;
  /** Do not probe before this many thinking tokens. */
  readonly minTokens: number;
  /** At least this many thinking tokens between two probes (a probe costs a forward pass). */
  readonly minTokensBetween: number;
}

/**
 * The model's own signal (ThinkBrake-style), read by the host at no extra evaluation: at a step
 * boundary the next-token distribution is already computed, and the probability that the model
 * ends its thinking now is in it.
 */
export interface SignalConfig {
  /** `off`: recorded for the evidence only. `endOfThinking`: may brake on its own (opt-in until calibration validates it). */
  readonly policy: SignalPolicy;
  /**
   * Brake when ln(top probability) − ln(end-of-thinking probability) is at most this (nats): the
   * end of thinking is nearly as likely as the most likely next token. 0: only when it is the
   * most likely. Not measured on recorded traces (they carry no probabilities).
   */
  readonly maxMargin: number;
}

/** What the host read from the next-token distribution at a step boundary. */
export interface EndOfThinkingSignal {
  /** The end of the step the distribution follows (characters of thinking; must be where the pushed text ends). */
  readonly charOffset: number;
  /** Probability of the end-of-thinking token being next. */
  readonly probability: number;
  /** Probability of the most likely next token. */
  readonly topProbability: number;
}

/** Plain configuration values; the host maps its settings onto them. */
export interface BrakeConfig {
  readonly mode: BrakeMode;
  /** τ1: the Overthink Score at which the adaptive brake arms (setting `brake.threshold`, default 0.2). */
  readonly threshold: number;
  /** Grace after arming: the brake fires at the first step boundary where the score reaches τ2 = τ1 + grace (default 0.05). */
  readonly grace: number;
  /** β in Overthink Score = β·κ + (1−β)·(1−η̂) (default 0.1, as in SBT). */
  readonly beta: number;
  /** Hard thinking budget in tokens (setting `brake.maxThinkingTokens`); applies in `adaptive` and `budget` mode. */
  readonly maxThinkingTokens: number;
  /**
   * Tokens the host can still spend on thinking *and* answer (context left after the prompt).
   * When set, the budget never exceeds `contextTokens − answerReserveTokens`, so the model
   * always has room to write its answer. Omit (or `Infinity`) when unknown.
   */
  readonly contextTokens?: number;
  /** Tokens kept free for the braking cue, `</think>` and the answer (default 512). */
  readonly answerReserveTokens: number;
  /** No adaptive brake before this many thinking tokens (the budget still applies). */
  readonly minThinkingTokens: number;
  /** How many later steps must restate the anchored answer before the brake may fire (≥ 1; SBT's confirmation is 1). */
  readonly minConfirmations: number;
  /** Overthinking markers (whole words, case-insensitive). Default: the 26 SBT markers. */
  readonly markers: readonly string[];
  readonly answerFormat: AnswerFormat;
  /**
   * The question, if the host has it. Numbers the question gives are not taken as implicit
   * answer statements ("= 19.50" restating a given price is not an answer). Never the gold answer.
   */
  readonly question?: string;
  readonly probe: ProbeConfig;
  readonly signal: SignalConfig;
  /**
   * Per answer format, changes to `policy` (advanced): program outputs are traced through many
   * intermediate values, so an implied one waits for more restatements. Measured, docs/BRAKE.md.
   */
  readonly formatPolicy: Partial<Record<AnswerFormat, Partial<AnchorPolicy>>>;
  /** How code drafts move the anchor on a code question (advanced; the defaults are the measured ones). */
  readonly codePolicy: CodeAnchorPolicy;
  /**
   * On a code question, what the answer is: definitions (a function, a class) or a snippet (a
   * missing line). Unset: inferred from the question (`inferCodeAnswerShape`).
   */
  readonly codeAnswer?: CodeAnswerShape;
  /** How statements move the anchor (advanced; the defaults are the measured ones, see docs/BRAKE.md). */
  readonly policy: AnchorPolicy;
}

/**
 * Why the thinking was braked: `overthinking` (the Overthink Score of a confirmed anchor reached
 * τ2), `budget` (the hard thinking budget, or the context, ran out), `probe` (the host's
 * trial-answer probe was confident enough).
 */
export type BrakeReason = DetectorBrakeReason;

/**
 * Which rule fired an `overthinking` brake:
 * - `eta`: the Overthink Score of a confirmed anchor reached τ2 (SBT-D's rule);
 * - `verified`: an answer stated explicitly ("the answer is …", a box) was then restated by later
 *   steps as often as required — a solution plus a verification (SBT-E's rule); it fires once the
 *   score reaches τ1 / 2, so a higher threshold still brakes later;
 * - `concluded`: where the answer format's policy lets an explicit statement settle the answer
 *   (`explicitSettles`: program outputs), that statement brakes at once — at thresholds up to the
 *   default; a higher τ1 makes it wait for the score to reach τ1 − 0.2.
 */
export type BrakeRule = "eta" | "verified" | "concluded";

/** The numbers behind a decision, so a UI can explain it. Steps are 1-based, as in SBT. */
export interface BrakeEvidence {
  /** Step where the anchored answer was first stated (null: no answer stated yet). */
  readonly anchorStep: number | null;
  /** The step being written (completed steps + 1), or the step just completed at a boundary. */
  readonly currentStep: number;
  /** η̂ = anchorStep / currentStep (null without an anchor). */
  readonly etaHat: number | null;
  /** κ = marker tokens / thinking tokens so far. */
  readonly kappa: number;
  /** Overthink Score = β·κ + (1−β)·(1−η̂) (null without an anchor). */
  readonly score: number | null;
  /** The answer currently anchored on, as written in the thinking (null: none yet). */
  readonly anchoredAnswer: string | null;
  /** Later steps that restated the anchored answer. */
  readonly confirmations: number;
  /** Restatements the brake waits for (more when the answer has changed before, or was only implied). */
  readonly confirmationsRequired: number;
  /** Whether the anchored answer was stated explicitly ("the answer is …", a box). */
  readonly explicitAnswer: boolean;
  /** How often the held answer changed so far. */
  readonly revisions: number;
  /** Distinct answer values stated so far (a difficulty signal: hard problems state many). */
  readonly distinctAnswers: number;
  /**
   * How the anchored answer was stated, the strongest way so far: `boxed`, `phrase` ("the answer
   * is …") — explicit; `conclusion` ("So she makes $18"), `claim` ("option C is correct"),
   * `result` (a computation ending in "= 18") — implied. Null without an anchor.
   */
  readonly anchorKind: StatementKind | null;
  /** The rule that fired an `overthinking` brake (null for other decisions and before a brake). */
  readonly rule: BrakeRule | null;
  /** Thinking tokens up to the decision point. */
  readonly thinkingTokens: number;
  /** Thinking characters up to the decision point. */
  readonly thinkingChars: number;
  /** Overthinking markers seen so far. */
  readonly markerCount: number;
  /**
   * Share of the words written since the anchored answer was first stated that are overthinking
   * markers (null without an anchor): high while the model checks an answer it already has.
   */
  readonly checkingRate: number | null;
  /** Whether that rate let an implied answer brake with one restatement fewer (`policy.checkingMarkerRate`). */
  readonly checking: boolean;
  /** τ1 in force. */
  readonly armThreshold: number;
  /** The score the firing rule needed: τ2 for `eta`, τ1 / 2 for `verified`. */
  readonly brakeThreshold: number;
  /**
   * Why the adaptive brake and probes stand down for this question, one sentence for people
   * (null: they are on, or the mode is not `adaptive`). Only the budget can brake then.
   */
  readonly standDown: string | null;
  /**
   * The model's end-of-thinking signal at the last step boundary the host read it (null: none
   * read): the probability and its margin to the most likely token, ln(top) − ln(end) in nats.
   */
  readonly endOfThinking: { readonly probability: number; readonly margin: number } | null;
  /** What the question asks for, as the brake reads it (from the answer format and the question). */
  readonly questionKind: QuestionKind;
}

export interface ContinueDecision {
  readonly kind: "continue";
  /** The score has reached τ1: a brake may come at one of the next step boundaries. */
  readonly armed: boolean;
}

export interface BrakeNowDecision {
  readonly kind: "brake";
  readonly reason: BrakeReason;
  /**
   * Where the kept thinking ends (characters from the start of the thinking). For the
   * adaptive brake this is just after a step boundary (`\n\n`); for the budget it is where the
   * budget ran out. Text pushed beyond it must be dropped before the cue is injected.
   */
  readonly charOffset: number;
  readonly evidence: BrakeEvidence;
  /** One sentence for people: why it braked, with the numbers. */
  readonly explanation: string;
}

/**
 * The detector would like a trial-answer confidence (DEER): the host pauses, asks the model
 * to answer from the thinking kept up to `charOffset` (just before the transition word),
 * measures the answer's confidence (e.g. the geometric mean of its token probabilities) and
 * calls {@link BrakeDetector.reportProbe} before pushing more text.
 */
export interface ProbeRequest {
  readonly kind: "probe";
  /** Increases with every request; pass it back to reportProbe. */
  readonly id: number;
  /** End of the kept thinking if the probe leads to a brake (just before the transition word). */
  readonly charOffset: number;
  /** The transition word that triggered it ("Wait", "Alternatively", …). */
  readonly trigger: string;
  readonly evidence: BrakeEvidence;
}

export type BrakeDecision = ContinueDecision | BrakeNowDecision | ProbeRequest;

/** What the host measured for a probe. */
export interface ProbeResult {
  /** Confidence of the trial answer in [0, 1]. */
  readonly confidence: number;
  /** The trial answer the model gave, if the host extracted one. */
  readonly answer?: string;
}

/** A read-only view of the detector's state, for meters and logs. */
export interface BrakeSnapshot {
  readonly evidence: BrakeEvidence;
  readonly armed: boolean;
  /** Set once a brake decision has been made; the detector is then finished. */
  readonly brake: BrakeNowDecision | null;
}

/**
 * One detector per generation. Not reusable: create a new one for the next question.
 *
 * Cost: amortised constant work per pushed character (no rescanning of earlier text).
 */
export interface BrakeDetector {
  readonly config: BrakeConfig;
  /**
   * Feed the next piece of thinking text and how many model tokens it is. Chunks may be of any
   * size (a token, a line, one character). Inside a chunk, tokens are spread evenly over its
   * characters, or over each token's own characters when `tokenEnds` (where each token ends, in
   * characters from the chunk's start) is given: with it, or with one token per push, the
   * decisions do not depend on how the text is split. After a `brake` decision every further
   * push returns that same decision. A pending probe request that the host did not answer is
   * treated as declined.
   */
  push(text: string, tokenCount: number, tokenEnds?: readonly number[]): BrakeDecision;
  /** Answer the last {@link ProbeRequest}: returns a brake (at the request's offset) or continue. */
  reportProbe(id: number, result: ProbeResult): BrakeDecision;
  /**
   * The model's end-of-thinking signal at a step boundary, read by the host after pushing the
   * text up to `signal.charOffset` (the distribution of the token after it). Recorded in the
   * evidence; with `signal.policy` `endOfThinking` it brakes there when the margin is small
   * enough. A signal that is not at the end of the pushed text, or not at a step boundary, is
   * only recorded.
   */
  observeSignal(signal: EndOfThinkingSignal): BrakeDecision;
  /** Current state, for a meter. */
  snapshot(): BrakeSnapshot;
}
