/**
 * One answer from a server, with the brake running here on the streamed thinking, exactly as it
 * runs on a local model (same detector, same evidence and explanation).
 *
 * The prompt is rendered here with the chat template, so the server only continues text. When
 * the detector brakes (or the user asks for the answer, or the budget or the context ends the
 * thinking), the stream is closed — closing the connection stops the server's generation — and
 * a second request continues from the prompt, the thinking kept, the cue and the model's own
 * end of thinking. The server's prefix cache (llama-server's `cache_prompt`, vLLM's prefix
 * caching) serves everything before the cue, so the thought is not evaluated again; llama-server
 * reports it (`timings.prompt_n`), and that is what `reEvaluated` counts beyond the injection.
 * "Continue thinking" asks again from the prompt and the kept thinking, without the cue.
 *
 * Probes and the end-of-thinking signal are off here: a text stream carries no next-token
 * distribution.
 */
import type { BrakeDecision, BrakeDetector, BrakeRule } from "../../../core/brake/types";
import { createApproximateTokenCounter } from "../../../core/tokens/counter";
import { EngineError } from "../../common/errors";
import type { AskRequest, BrakeInfo, BrakeReasonKind, GenerationResult, StopReason, ThinkingMode } from "../../common/types";
import type { NodeLlamaCpp } from "../chat/wrapper";
import { chatHistoryFor, stopTextOf } from "../chat/prompt";
import { answerRoom, buildResult, CUE_MARGIN, GenerationCounters } from "../generation/accounting";
import type { DetectorFactory } from "../generation/detector";
import { answerDetector } from "../generation/detector";
import { separatorAfter } from "../generation/injection";
import type { SplitterOutput } from "../generation/segmentSplitter";
import { SegmentSplitter } from "../generation/segmentSplitter";
import type { GenerationSink } from "../generation/transcript";
import type { CompletionEnd, CompletionRequest } from "./completionStream";
import { streamCompletion } from "./completionStream";
import type { ServerConnection } from "./serverConnection";
import { postJson } from "./serverHttp";

const METER_EVERY_TOKENS = 16;
/** A server's stream carries no next-token probabilities: no probes, no end-of-thinking signal. */
const NO_PROBABILITIES = { probe: "off", signal: "off" } as const;
/** Without a context size from the server, the first request asks for this much beyond the budget and the answer. */
const UNKNOWN_CONTEXT_MARGIN = 64;

export interface RemoteDeps {
  readonly lib: NodeLlamaCpp;
  readonly connection: ServerConnection;
  readonly createDetector: DetectorFactory;
  readonly now?: () => number;
}

export interface RemotePrompt {
  readonly text: string;
  readonly thinkingMode: ThinkingMode;
  readonly startInThought: boolean;
  readonly stopTexts: readonly string[];
}

/** The chat rendered to the text the server continues (special tokens as their text; BOS left to the server). */
export function renderRemotePrompt(lib: NodeLlamaCpp, connection: ServerConnection, request: AskRequest): RemotePrompt {
  const setup = connection.setup;
  const { history, thinkingMode } = chatHistoryFor(setup, request);
  const state = setup.wrapper.generateContextState({ chatHistory: history });
  let text = "";
  for (const value of state.contextText.values) {
    if (typeof value === "string") text += value;
    else if (value instanceof lib.SpecialTokensText) text += value.value;
    else if (value instanceof lib.SpecialToken && (value.value === "EOS" || value.value === "EOT")) text += connection.eosText ?? "";
    // BOS: the server adds it when it tokenizes the prompt
  }
  const thought = setup.thought;
  const startInThought = thinkingMode === "on" && thought !== null && text.trimEnd().endsWith(thought.open);
  const stopTexts = state.stopGenerationTriggers.map((t) => stopTextOf(lib, t)).filter((t): t is string => t !== null);
  return { text, thinkingMode, startInThought, stopTexts };
}

type StreamOutcome =
  | { readonly kind: "ended"; readonly end: CompletionEnd }
  | { readonly kind: "stop"; readonly reason: StopReason }
  | { readonly kind: "brake"; readonly reason: BrakeReasonKind; readonly charOffset: number; readonly explanation: string; readonly score: number | null; readonly anchoredAnswer: string | null; readonly rule: BrakeRule | null }
  | { readonly kind: "resume"; readonly extra: number };

/** What a brake left, for "Continue thinking". */
interface BrakeState {
  /** The thinking's raw output kept (a token cut at the brake point included as text). */
  readonly keptRaw: string;
  readonly keptThought: string;
  readonly keptTokens: number;
  /** llama-server: the ids of the whole tokens kept, and the text of a token cut at the brake point. */
  readonly keptIds: readonly number[];
  readonly straddle: string;
}

export class RemoteGeneration {
  private readonly counters: GenerationCounters;
  private readonly splitter: SegmentSplitter;
  private readonly approximate = createApproximateTokenCounter();
  private detector: BrakeDetector | null = null;
  /** The model's output of this answer's thinking stream(s), markers included, as continued so far. */
  private raw = "";
  /** Where each piece of the thinking sits in `raw`. */
  private thoughtPieces: Array<{ readonly thoughtStart: number; readonly rawStart: number; readonly length: number }> = [];
  /** Raw end of each streamed piece of the thinking, with the thinking tokens and token ids up to it. */
  private tokenMarks: Array<{ readonly rawEnd: number; readonly tokens: number; readonly ids: number }> = [];
  /** llama-server: the prompt's token ids and those the thinking stream(s) produced (null: the text path). */
  private promptIds: number[] | null = null;
  private rawIds: number[] = [];
  /** Some streamed tokens came without their id or their text (llama-server holds a possible stop word, sends no chunk for a token ending inside a character): re-tokenize the kept text at a brake. */
  private idsIncomplete = false;
  /** The request being streamed is the answer's first (its prompt evaluation is the answer's). */
  private firstStream = false;
  private thought = "";
  private answer = "";
  private detectorTokens = 0;
  private sinceMeter = 0;
  private lastArmed = false;
  private brake: BrakeInfo | null = null;
  private brakeRule: BrakeRule | null = null;
  private brakeState: BrakeState | null = null;
  private answerNowRequested = false;
  private continueRequest: number | null = null;
  private awaitingAnswer: { readonly injected: number } | null = null;
  /** When the last brake happened, until the first piece after it arrives. */
  private brakeClock: number | null = null;
  private runningValue = false;
  private sink: GenerationSink = () => undefined;
  private readonly contextSize: number | null;
  private promptTokens = 0;
  readonly reserveTokens: number;

  constructor(
    private readonly deps: RemoteDeps,
    private readonly request: AskRequest,
    private readonly prompt: RemotePrompt,
  ) {
    this.counters = new GenerationCounters(deps.now ?? (() => performance.now()));
    const thought = deps.connection.setup.thought;
    this.splitter = new SegmentSplitter({ open: thought?.open ?? null, close: thought?.close ?? null, startInThought: prompt.startInThought, stopTexts: prompt.stopTexts });
    this.contextSize = deps.connection.contextSize;
    this.reserveTokens = answerRoom(this.contextSize, request.generation.maxAnswerTokens, this.countApprox(request.brake.cue) + CUE_MARGIN);
    if (prompt.startInThought) this.counters.thinkingStartedAt = this.counters.startedAt;
  }

  get running(): boolean {
    return this.runningValue;
  }

  get canContinue(): boolean {
    return this.brakeState !== null;
  }

  answerNow(): void {
    this.answerNowRequested = true;
  }

  requestContinue(extraThinkingTokens: number): boolean {
    if (!this.runningValue || this.brakeState === null) return false;
    this.continueRequest = extraThinkingTokens;
    return true;
  }

  private countApprox(text: string): number {
    return this.approximate.tokenEnds(text).length;
  }

  /** llama-server's tokens for `text` (special tokens parsed; `addSpecial`: BOS where the model adds one). */
  private async tokenize(text: string, addSpecial: boolean, signal: AbortSignal): Promise<number[]> {
    if (text.length === 0) return [];
    const answer = (await postJson(this.deps.connection.ep, "/tokenize", { content: text, add_special: addSpecial, parse_special: true }, signal)) as { tokens?: unknown };
    if (!Array.isArray(answer.tokens) || !answer.tokens.every((t) => typeof t === "number")) throw new EngineError("server-error", "The server's /tokenize answered without token ids.");
    return answer.tokens as number[];
  }

  private get byIds(): boolean {
    return this.deps.connection.api === "llama-server";
  }

  async run(sink: GenerationSink, signal: AbortSignal): Promise<GenerationResult> {
    this.begin(sink);
    try {
      if (this.byIds) {
        this.promptIds = await this.tokenize(this.prompt.text, true, signal);
        this.promptTokens = this.promptIds.length;
      } else {
        this.promptTokens = this.countApprox(this.prompt.text);
      }
      if (this.contextSize !== null && this.promptTokens + this.reserveTokens > this.contextSize) {
        throw new EngineError(
          "context-overflow",
          `The conversation is ${this.promptTokens} tokens long and the answer needs room for about ${this.reserveTokens} more, but the server's context holds ${this.contextSize} tokens. Start a new conversation, shorten the question, or run the server with a larger context (-c).`,
          { promptTokens: this.promptTokens, reserveTokens: this.reserveTokens, contextSize: this.contextSize },
        );
      }
      const contextLeft = (this.contextSize ?? this.promptTokens + this.request.brake.maxThinkingTokens + this.reserveTokens) - this.promptTokens;
      this.detector =
        this.prompt.thinkingMode === "not-applicable" || this.deps.connection.setup.thought === null
          ? null
          : answerDetector(this.deps.createDetector, this.request, { contextTokens: contextLeft, answerReserveTokens: this.reserveTokens }, { brake: NO_PROBABILITIES });
      this.counters.promptTokens = this.promptTokens;
      this.counters.promptEvaluated = this.promptTokens;
      sink({ type: "started", promptTokens: this.promptTokens, promptEvaluated: this.promptTokens, thinkingMode: this.prompt.thinkingMode, standDown: this.detector?.snapshot().evidence.standDown ?? null });
      this.counters.promptStartedAt = this.counters.now();
      const maxTokens = this.contextSize !== null ? this.contextSize - this.promptTokens : this.request.brake.maxThinkingTokens + this.request.generation.maxAnswerTokens + UNKNOWN_CONTEXT_MARGIN;
      return await this.drive(this.promptIds ?? this.prompt.text, maxTokens, signal, true);
    } catch (error) {
      this.runningValue = false;
      throw error;
    }
  }

  async resume(extraThinkingTokens: number, sink: GenerationSink, signal: AbortSignal): Promise<GenerationResult> {
    if (this.brakeState === null) throw new EngineError("continue-unavailable", "This answer was not braked, so there is no thinking to continue.");
    this.begin(sink);
    try {
      return await this.drive(await this.reopenThinking(extraThinkingTokens, signal), this.thinkingStreamTokens(), signal, false);
    } catch (error) {
      this.runningValue = false;
      throw error;
    }
  }

  private begin(sink: GenerationSink): void {
    if (this.runningValue) throw new Error("this generation is already running");
    this.sink = sink;
    this.runningValue = true;
    this.continueRequest = null;
  }

  private thinkingStreamTokens(): number {
    const used = this.promptTokens + this.counters.thinking;
    return this.contextSize !== null ? Math.max(1, this.contextSize - used) : this.request.brake.maxThinkingTokens + this.request.generation.maxAnswerTokens + UNKNOWN_CONTEXT_MARGIN;
  }

  /** Streams, brakes, answers and resumes until the answer ends. */
  private async drive(firstPrompt: string | readonly number[], firstMax: number, signal: AbortSignal, first: boolean): Promise<GenerationResult> {
    let prompt = firstPrompt;
    let maxTokens = firstMax;
    let isFirst = first;
    for (;;) {
      const outcome = await this.stream(prompt, maxTokens, signal, isFirst);
      isFirst = false;
      if (outcome.kind === "brake") {
        prompt = await this.doBrake(outcome, signal);
        maxTokens = this.request.generation.maxAnswerTokens;
        continue;
      }
      if (outcome.kind === "resume" || (outcome.kind === "ended" && this.continueRequest !== null && this.brakeState !== null && !signal.aborted)) {
        const extra = outcome.kind === "resume" ? outcome.extra : (this.continueRequest as number);
        this.continueRequest = null;
        prompt = await this.reopenThinking(extra, signal);
        maxTokens = this.thinkingStreamTokens();
        continue;
      }
      if (outcome.kind === "stop") return this.finish(outcome.reason);
      const end = outcome.end;
      if (signal.aborted) return this.finish("cancelled");
      if (end.stop === "limit" && this.splitter.phase === "thought" && this.deps.connection.setup.thought !== null) {
        // the server's token limit came inside the thinking (a server that gave no context size): close it and answer, as a full context does locally
        prompt = await this.doBrake(this.brakeOutcome("context", this.thought.length, "The server stopped the thinking at its token limit: the thinking was closed to leave room for the answer.") as Extract<StreamOutcome, { kind: "brake" }>, signal);
        maxTokens = this.request.generation.maxAnswerTokens;
        continue;
      }
      const stopReason: StopReason = end.stop === "limit" ? (this.splitter.phase === "answer" ? "answer-cap" : "context-full") : "eos";
      return this.finish(stopReason);
    }
  }

  /** One request: reads the pieces into thinking and answer, and says why it ended. */
  private async stream(prompt: string | readonly number[], maxTokens: number, signal: AbortSignal, first: boolean): Promise<StreamOutcome> {
    const c = this.deps.connection;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const request: CompletionRequest = { prompt, maxTokens, temperature: this.request.generation.temperature, seed: this.request.generation.seed, stop: this.prompt.stopTexts };
    const iterator = streamCompletion(c.api, c.ep, c.model, request, controller.signal);
    this.firstStream = first;
    let settled = false;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          settled = true;
          const end = next.value;
          if (end.promptEvaluated !== null) this.promptEvaluatedNow(end.promptEvaluated);
          for (const output of this.splitter.flush()) this.take(output, 0);
          return { kind: "ended", end };
        }
        const piece = next.value;
        if (piece.promptEvaluated !== null) this.promptEvaluatedNow(piece.promptEvaluated);
        const outcome = this.receive(piece.text, piece.tokens, piece.ids);
        if (outcome !== null) return outcome;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      if (!settled) {
        // braked, stopped, or failed here: close the request (the server stops generating) without waiting for its last word
        controller.abort();
        void iterator.return({ stop: "aborted", promptTokens: null, promptEvaluated: null, completionTokens: null }).catch(() => undefined);
      }
    }
  }

  /** A piece of the stream: its tokens count as thinking when it was read in the thought or opened it. */
  private receive(text: string, tokens: number, ids: readonly number[] | null): StreamOutcome | null {
    for (let i = 0; i < tokens; i++) this.counters.tokenArrived();
    if (this.brakeClock !== null) {
      this.counters.brakeToAnswerMs = this.counters.now() - this.brakeClock;
      this.brakeClock = null;
    }
    const phaseBefore = this.splitter.phase;
    if (phaseBefore === "start" || phaseBefore === "thought") this.raw += text;
    const outputs = this.splitter.push(text);
    const inThought = phaseBefore === "thought" || outputs.some((o) => o.kind === "thought" || o.kind === "thought-opened") || this.splitter.phase === "thought";
    if (inThought) {
      this.counters.thinking += tokens;
      this.detectorTokens += tokens;
    } else {
      this.counters.answer += tokens;
    }
    let thoughtDelta = "";
    for (const output of outputs) {
      const delta = this.take(output, tokens);
      if (output.kind === "thought") thoughtDelta += delta;
      if (output.kind === "stop") {
        if (this.continueRequest !== null && this.brakeState !== null) {
          const extra = this.continueRequest;
          this.continueRequest = null;
          return { kind: "resume", extra };
        }
        return { kind: "stop", reason: "eos" };
      }
    }
    if (inThought) {
      if (ids) this.rawIds.push(...ids);
      if (ids !== null && (ids.length !== tokens || (text.length === 0) !== (ids.length === 0))) this.idsIncomplete = true;
      this.tokenMarks.push({ rawEnd: this.raw.length, tokens: this.counters.thinking, ids: this.rawIds.length });
    }

    if (this.splitter.phase === "thought") {
      if (this.answerNowRequested) {
        this.answerNowRequested = false;
        return this.brakeOutcome("manual", this.thought.length, "You asked for the answer now.");
      }
      if (this.contextSize !== null && this.contextSize - (this.promptTokens + this.counters.thinking) <= this.reserveTokens) {
        return this.brakeOutcome("context", this.thought.length, `The server's context (${this.contextSize} tokens) is nearly full: the thinking was closed to leave room for the answer.`);
      }
    } else {
      this.answerNowRequested = false;
      if (this.continueRequest !== null && this.brakeState !== null) {
        const extra = this.continueRequest;
        this.continueRequest = null;
        return { kind: "resume", extra };
      }
    }
    if (thoughtDelta.length > 0 && this.detector) {
      const decision = this.detector.push(thoughtDelta, this.detectorTokens);
      this.detectorTokens = 0;
      if (this.splitter.phase === "thought") {
        const decided = this.onDecision(decision);
        if (decided !== null) return decided;
      }
    }
    if (this.splitter.phase === "answer" && this.counters.answer >= this.request.generation.maxAnswerTokens) return { kind: "stop", reason: "answer-cap" };
    return null;
  }

  /** Applies one splitter output to the transcript and streams it; returns the text added. */
  private take(output: SplitterOutput, tokens: number): string {
    if (output.kind === "thought") {
      this.thoughtPieces.push({ thoughtStart: this.thought.length, rawStart: output.rawStart, length: output.text.length });
      this.thought += output.text;
      this.sink({ type: "thinking", text: output.text, tokens });
      return output.text;
    }
    if (output.kind === "answer") {
      this.answer += output.text;
      this.sink({ type: "answer", text: output.text, tokens });
      return output.text;
    }
    if (output.kind === "thought-opened" && this.counters.thinkingStartedAt === null) this.counters.thinkingStartedAt = this.counters.now();
    if (output.kind === "thought-closed" && this.counters.thinkingEndedAt === null) this.counters.thinkingEndedAt = this.counters.now();
    return "";
  }

  private onDecision(decision: BrakeDecision): StreamOutcome | null {
    if (decision.kind === "brake") {
      return { kind: "brake", reason: decision.reason, charOffset: decision.charOffset, explanation: decision.explanation, score: decision.evidence.score, anchoredAnswer: decision.evidence.anchoredAnswer, rule: decision.evidence.rule };
    }
    if (decision.kind === "probe") return null; // probes are off with a server (see the header)
    this.sinceMeter++;
    if (decision.armed !== this.lastArmed || this.sinceMeter >= METER_EVERY_TOKENS) this.sendMeter();
    return null;
  }

  private sendMeter(): void {
    this.sinceMeter = 0;
    const snap = this.detector?.snapshot();
    if (!snap) return;
    this.lastArmed = snap.armed;
    this.sink({ type: "meter", thinkingTokens: this.counters.thinking, score: snap.evidence.score, armed: snap.armed, anchoredAnswer: snap.evidence.anchoredAnswer });
  }

  private brakeOutcome(reason: BrakeReasonKind, charOffset: number, explanation: string): StreamOutcome {
    const snap = this.detector?.snapshot();
    return { kind: "brake", reason, charOffset, explanation, score: snap?.evidence.score ?? null, anchoredAnswer: snap?.evidence.anchoredAnswer ?? null, rule: null };
  }

  /** Where character `charOffset` of the thinking lies in the raw output. */
  private rawOffsetOf(charOffset: number): number {
    let raw = this.raw.length;
    for (const p of this.thoughtPieces) {
      if (charOffset <= p.thoughtStart + p.length) {
        raw = p.rawStart + Math.max(0, charOffset - p.thoughtStart);
        break;
      }
    }
    return raw;
  }

  /** The whole pieces streamed before raw offset `rawCut`: where they end, their thinking tokens and token ids. */
  private wholePiecesBefore(rawCut: number): { readonly rawEnd: number; readonly tokens: number; readonly ids: number } {
    let kept = { rawEnd: 0, tokens: 0, ids: 0 };
    for (const mark of this.tokenMarks) {
      if (mark.rawEnd > rawCut) break;
      kept = mark;
    }
    return kept;
  }

  /** Closes the thinking at the brake point and returns the prompt that continues with the cue. */
  private async doBrake(action: Extract<StreamOutcome, { kind: "brake" }>, signal: AbortSignal): Promise<string | readonly number[]> {
    const thought = this.deps.connection.setup.thought;
    if (thought === null) throw new Error("a brake without a thinking format");
    const brakeAt = this.counters.now();
    const charOffset = Math.min(action.charOffset, this.thought.length);
    const rawCut = this.rawOffsetOf(charOffset);
    const whole = this.wholePiecesBefore(rawCut);
    // a piece cut by the brake point goes on as text, before the cue (as the local engine does)
    const straddle = this.raw.slice(whole.rawEnd, rawCut);
    const keptRaw = this.raw.slice(0, rawCut);
    // ids that may not spell the kept text are replaced by the server's tokens for that text
    const keptIds = this.promptIds !== null && this.idsIncomplete ? await this.tokenize(this.raw.slice(0, whole.rawEnd), false, signal) : this.rawIds.slice(0, whole.ids);
    this.idsIncomplete = false;
    const keptThought = this.thought.slice(0, charOffset);
    const closeText = thought.closeText.toString();
    const injection = `${straddle}${separatorAfter(keptRaw)}${this.request.brake.cue}${closeText}`;
    const injectionIds = this.byIds ? await this.tokenize(injection, false, signal) : null;
    const injectedTokens = injectionIds?.length ?? this.countApprox(injection);

    const dropped = this.counters.thinking - whole.tokens;
    this.counters.discarded += dropped;
    this.counters.thinking = whole.tokens;
    this.counters.cue += injectedTokens;
    this.counters.thinkingEndedAt = brakeAt;
    this.thought = keptThought;
    this.thoughtPieces = this.thoughtPieces.filter((p) => p.thoughtStart < charOffset);
    this.raw = keptRaw;
    this.rawIds = [...keptIds];
    // a later brake (after Continue thinking) cuts after the kept part: one mark for it is enough
    this.tokenMarks = [{ rawEnd: whole.rawEnd, tokens: whole.tokens, ids: keptIds.length }];
    this.splitter.setPhase("answer", keptRaw.length + injection.length);
    this.brake = {
      reason: action.reason,
      explanation: action.explanation,
      thinkingTokens: whole.tokens,
      charOffset,
      discardedTokens: dropped,
      injectedText: injection,
      injectedTokens,
      score: action.score,
      anchoredAnswer: action.anchoredAnswer,
    };
    this.brakeRule = action.rule;
    this.brakeState = { keptRaw, keptThought, keptTokens: whole.tokens, keptIds, straddle };
    this.sink({ type: "brake", brake: this.brake });
    this.awaitingAnswer = { injected: injectedTokens };
    this.brakeClock = brakeAt;
    if (this.promptIds !== null && injectionIds !== null) return [...this.promptIds, ...keptIds, ...injectionIds];
    return this.prompt.text + keptRaw.slice(0, whole.rawEnd) + injection;
  }

  /**
   * What the server says it evaluated of the current request's prompt: the answer's prompt for the
   * first request; after a brake, what it evaluated beyond the injection itself was evaluated again.
   */
  private promptEvaluatedNow(evaluated: number): void {
    if (this.firstStream) {
      this.counters.promptEvaluated = evaluated;
      return;
    }
    const awaiting = this.awaitingAnswer;
    if (awaiting === null) return;
    this.awaitingAnswer = null;
    this.counters.reEvaluated += Math.max(0, evaluated - awaiting.injected);
  }

  /** "Continue thinking": the cue and the answer are dropped; returns the prompt that resumes the thought. */
  private async reopenThinking(extra: number, signal: AbortSignal): Promise<string | readonly number[]> {
    const state = this.brakeState;
    if (state === null) throw new EngineError("continue-unavailable", "This answer was not braked, so there is no thinking to continue.");
    this.counters.discarded += this.counters.answer;
    this.counters.answer = 0;
    this.answer = "";
    this.brake = null;
    this.brakeRule = null;
    this.brakeState = null;
    this.awaitingAnswer = null;
    this.brakeClock = null;
    this.counters.continued++;
    this.counters.thinkingEndedAt = null;
    this.counters.thinking = state.keptTokens;
    this.thought = state.keptThought;
    this.raw = state.keptRaw;
    const straddleIds = this.promptIds !== null ? await this.tokenize(state.straddle, false, signal) : [];
    this.rawIds = [...state.keptIds, ...straddleIds];
    this.tokenMarks.push({ rawEnd: state.keptRaw.length, tokens: state.keptTokens, ids: this.rawIds.length });
    this.splitter.setPhase("thought", state.keptRaw.length, false);
    this.detector = answerDetector(
      this.deps.createDetector,
      this.request,
      { contextTokens: (this.contextSize ?? this.promptTokens + state.keptTokens + extra + this.reserveTokens) - this.promptTokens, answerReserveTokens: this.reserveTokens },
      { brake: NO_PROBABILITIES, resumedBudget: state.keptTokens + extra },
    );
    if (state.keptThought.length > 0) this.detector.push(state.keptThought, state.keptTokens);
    this.sink({ type: "resumed", charOffset: state.keptThought.length });
    if (this.promptIds !== null) return [...this.promptIds, ...this.rawIds];
    return this.prompt.text + state.keptRaw;
  }

  private finish(stopReason: StopReason): GenerationResult {
    this.runningValue = false;
    this.continueRequest = null;
    return buildResult(this.counters, {
      answer: this.answer,
      thinking: this.thought,
      thinkingMode: this.prompt.thinkingMode,
      brake: this.brake,
      probes: [],
      stopReason,
      brakeRule: this.brakeRule,
      answerFormat: this.detector?.config.answerFormat ?? null,
      calibration: this.request.savingRatio ?? null,
    });
  }
}
