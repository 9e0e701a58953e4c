/**
 * One answer, generated token by token with the brake in the loop.
 *
 * The engine drives `sequence.evaluate()` itself instead of a chat session, so that it owns the
 * KV cache: when the detector brakes, sampling stops, the tokens generated past the brake point
 * are dropped, and the cue plus the model's own end of thinking are *appended* to the same
 * sequence. The thought stays in the cache and is never evaluated again (measured with
 * llama.cpp's token meter and reported as `reEvaluated`). "Continue thinking" erases the cue and
 * the answer and resumes the thought where it was cut; probes evaluate a trial answer and erase
 * it again.
 *
 * At every step boundary of the thinking the model's own end-of-thinking signal is read from
 * the next-token distribution, in the evaluation the loop makes anyway (signalReader.ts), and
 * given to the detector, which may brake there (`brake.signal`).
 *
 * This file is the token loop and its decisions; the text and its events are the
 * {@link Transcript}'s, the cache edits are in cacheEdits.ts, the prompt is read in slices by
 * promptSlices.ts.
 */
import type { LlamaContextSequence, LlamaModel, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import { endOfThinkingMargin } from "../../../core/brake/detector";
import type { BrakeDecision, BrakeDetector, BrakeRule, ProbeRequest } from "../../../core/brake/types";
import type { AskRequest, BrakeInfo, BrakeReasonKind, GenerationResult, ProbeInfo, StopReason } from "../../common/types";
import type { ChatSetup, NodeLlamaCpp } from "../chat/wrapper";
import type { RenderedPrompt } from "../chat/prompt";
import { answerRoom, buildResult, CUE_MARGIN, GenerationCounters } from "./accounting";
import { cutThinking, eraseFrom, injectAndSample, takeBackLastToken } from "./cacheEdits";
import type { DetectorFactory } from "./detector";
import { answerDetector } from "./detector";
import { buildInjection } from "./injection";
import { runProbe } from "./probe";
import { endOfThinkingToken, evaluateReadingSignal, StepBoundaries } from "./signalReader";
import { evaluatePromptInSlices } from "./promptSlices";
import type { SplitterPhase } from "./segmentSplitter";
import { Transcript } from "./transcript";
import type { GenerationSink, TranscriptCut } from "./transcript";

export type { GenerationSink } from "./transcript";

export interface GenerationDeps {
  readonly lib: NodeLlamaCpp;
  readonly model: LlamaModel;
  readonly sequence: LlamaContextSequence;
  readonly setup: ChatSetup;
  readonly createDetector: DetectorFactory;
  readonly now?: () => number;
  /**
   * Read the end-of-thinking signal at step boundaries: default {@link readsSignalByDefault}.
   * Tests and benchmarks force it either way to compare.
   */
  readonly readSignal?: boolean;
}

/**
 * Which answers read the end-of-thinking signal when {@link GenerationDeps.readSignal} is not
 * given: those whose brake may act on it (`brake.signal` `endOfThinking`, adaptive mode). It
 * costs no evaluation, but copying the next-token probabilities out of llama.cpp costs time
 * where the sampler keeps the whole vocabulary (greedy decoding: ~50 ms per step boundary with
 * a 152k vocabulary on a 2-core CPU, docs/ENGINE.md), so an answer that cannot brake on it
 * does not pay for it.
 */
function readsSignalByDefault(request: AskRequest): boolean {
  return request.brake.signal === "endOfThinking" && request.brake.mode === "adaptive";
}

type Action =
  | { readonly kind: "next" }
  | { readonly kind: "stop"; readonly reason: StopReason }
  | {
      readonly kind: "brake";
      readonly reason: BrakeReasonKind;
      readonly charOffset: number;
      readonly explanation: string;
      readonly score: number | null;
      readonly anchoredAnswer: string | null;
      /** The detector's rule for an overthinking brake (the saving estimate differs by rule). */
      readonly rule: BrakeRule | null;
    }
  | { readonly kind: "probe"; readonly request: ProbeRequest }
  /** The token just received ends a step: read the end-of-thinking signal while evaluating it. */
  | { readonly kind: "signal"; readonly token: Token; readonly charOffset: number }
  | { readonly kind: "resume"; readonly extra: number };

/** What a brake left behind, for "Continue thinking". */
interface BrakeState {
  readonly cut: TranscriptCut;
  readonly thinkingKept: number;
  /** The thought's continuation: tokens generated past the brake point, or one sampled for resuming. */
  readonly continuation: Token[];
  /** How many of them were counted as discarded. */
  readonly discardedAtBrake: number;
  /** Where the cue starts in the cache. */
  readonly cueStartKv: number;
}

const NEXT: Action = { kind: "next" };
/** Trial answers are short: a number or a sentence. */
const PROBE_ANSWER_TOKENS = 32;
/** Tokens kept free for the cue and the end of thinking on top of the answer reserve. */
const METER_EVERY_TOKENS = 16;

export class BrakingGeneration {
  private readonly lib: NodeLlamaCpp;
  private readonly model: LlamaModel;
  private readonly sequence: LlamaContextSequence;
  private readonly setup: ChatSetup;
  private readonly counters: GenerationCounters;
  private readonly sampling: SequenceEvaluateOptions;
  private readonly transcript: Transcript;
  /** Tokens the answer needs to keep free (cue, end of thinking, answer). */
  readonly reserveTokens: number;

  private iterator: AsyncGenerator<Token, void, void | Token | Token[]> | null = null;
  /** A token already sampled outside the iterator (by the brake's batch), handled before the iterator's next one. */
  private presampled: Token | null = null;
  /** Where the next sampled token will sit in the cache. */
  private kvNext = 0;
  private detector: BrakeDetector | null;
  private brake: BrakeInfo | null = null;
  private brakeRule: BrakeRule | null = null;
  private brakeState: BrakeState | null = null;
  private readonly probes: ProbeInfo[] = [];
  private answerNowRequested = false;
  private continueRequest: number | null = null;
  /** Set between a brake's injection and the first answer token, to measure what was evaluated. */
  private awaitingAnswer: { meterBefore: number; fed: number; at: number } | null = null;
  private lastArmed = false;
  private sinceMeter = 0;
  /** The end-of-thinking token whose probability is read at step boundaries (null: not read). */
  private readonly endToken: Token | null;
  /**
   * Read only to be recorded (`AskRequest.recordSignal`, the brake not reading it): each reading
   * goes to the meter event that follows it, never to the detector.
   */
  private readonly recordOnly: boolean;
  private readonly boundaries = new StepBoundaries();
  /** At T > 0, samplers started anew after a signal read get seeds of their own (base + count), never the same stream twice. */
  private readonly seedBase: number | null;
  private reseeds = 0;
  private sink: GenerationSink = () => undefined;
  private signal: AbortSignal | undefined;
  private runningValue = false;

  constructor(
    private readonly deps: GenerationDeps,
    private readonly request: AskRequest,
    private readonly prompt: RenderedPrompt,
  ) {
    this.lib = deps.lib;
    this.model = deps.model;
    this.sequence = deps.sequence;
    this.setup = deps.setup;
    this.counters = new GenerationCounters(deps.now ?? (() => performance.now()));
    const g = request.generation;
    this.sampling = { temperature: g.temperature, ...(g.seed === undefined ? {} : { seed: g.seed }) };
    const thought = this.setup.thought;
    this.transcript = new Transcript(
      this.model,
      { open: thought?.open ?? null, close: thought?.close ?? null, startInThought: prompt.startInThought, stopTexts: prompt.stopTexts },
      this.counters,
    );
    const contextSize = this.sequence.contextSize;
    const cueTokens = thought ? this.lib.LlamaText([request.brake.cue, thought.closeText]).tokenize(this.model.tokenizer).length : 0;
    this.reserveTokens = answerRoom(contextSize, g.maxAnswerTokens, cueTokens + CUE_MARGIN);
    const contextLeft = contextSize - prompt.tokens.length;
    this.detector =
      prompt.thinkingMode === "not-applicable" || thought === null
        ? null
        : answerDetector(deps.createDetector, request, { contextTokens: contextLeft, answerReserveTokens: this.reserveTokens });
    if (prompt.startInThought) this.counters.thinkingStartedAt = this.counters.startedAt;
    const brakeReads = deps.readSignal ?? readsSignalByDefault(request);
    this.recordOnly = request.recordSignal === true && !brakeReads;
    const reads = this.detector !== null && thought !== null && (brakeReads || this.recordOnly);
    this.endToken = reads && thought ? endOfThinkingToken(this.model, thought.close) : null;
    this.seedBase = g.temperature > 0 ? (g.seed ?? Math.floor(Math.random() * 2 ** 31)) : null;
  }

  get running(): boolean {
    return this.runningValue;
  }

  /** A brake happened and its state is still in the sequence: "Continue thinking" can resume. */
  get canContinue(): boolean {
    return this.brakeState !== null;
  }

  /** "Answer now": brake at the next token (ignored once the answer has begun). */
  answerNow(): void {
    this.answerNowRequested = true;
  }

  /** "Continue thinking" while the answer after a brake is still streaming. Returns false when there is nothing to resume. */
  requestContinue(extraThinkingTokens: number): boolean {
    if (!this.runningValue || (this.brake === null && this.brakeState === null)) return false;
    this.continueRequest = extraThinkingTokens;
    return true;
  }

  /**
   * Generates from the prompt. `promptFeed` is the part of the prompt not already in the KV
   * cache; it is read in slices, and a cancel between two slices ends the answer before it begins.
   */
  async run(promptFeed: Token[], sink: GenerationSink, signal?: AbortSignal): Promise<GenerationResult> {
    this.begin(sink, signal);
    this.counters.promptTokens = this.prompt.tokens.length;
    this.counters.promptEvaluated = promptFeed.length;
    sink({
      type: "started",
      promptTokens: this.prompt.tokens.length,
      promptEvaluated: promptFeed.length,
      thinkingMode: this.prompt.thinkingMode,
      standDown: this.detector?.snapshot().evidence.standDown ?? null,
    });
    this.counters.promptStartedAt = this.counters.now();
    try {
      let read = 0;
      const rest = await evaluatePromptInSlices(this.sequence, promptFeed, {
        maxSliceTokens: this.sequence.context.batchSize,
        ...(signal ? { signal } : {}),
        onProgress: (evaluated) => {
          read = evaluated;
          sink({ type: "prompt", evaluated, total: promptFeed.length });
        },
        now: this.counters.now,
      });
      if (rest === null) {
        // Stopped while reading: only what was read was evaluated (it stays in the cache).
        this.counters.promptEvaluated = read;
        return await this.finish("cancelled");
      }
      this.startIterator(rest);
    } catch (error) {
      this.runningValue = false;
      throw error;
    }
    return this.loop();
  }

  /** "Continue thinking" after the generation finished (the sequence must be as this generation left it). */
  async resume(extraThinkingTokens: number, sink: GenerationSink, signal?: AbortSignal): Promise<GenerationResult> {
    if (this.brakeState === null) throw new Error("nothing to continue: this answer was not braked");
    this.begin(sink, signal);
    await this.resumeThinking(extraThinkingTokens);
    return this.loop();
  }

  private begin(sink: GenerationSink, signal: AbortSignal | undefined): void {
    if (this.runningValue) throw new Error("this generation is already running");
    this.sink = sink;
    this.transcript.sink = sink;
    this.signal = signal;
    this.runningValue = true;
  }

  /** Tokens llama.cpp has decoded on this sequence (the meter splits them into input and, for logits, output). */
  private decodedTokens(): number {
    const meter = this.sequence.tokenMeter;
    return meter.usedInputTokens + meter.usedOutputTokens;
  }

  private startIterator(feed: Token[]): void {
    this.kvNext = this.sequence.nextTokenIndex + feed.length;
    this.iterator = this.sequence.evaluate(feed, this.sampling);
  }

  private async stopIterator(): Promise<void> {
    const it = this.iterator;
    this.iterator = null;
    this.presampled = null;
    if (it) await it.return();
  }

  private async loop(): Promise<GenerationResult> {
    try {
      for (;;) {
        const token = await this.nextToken();
        if (token === null) {
          if (await this.continueInstead()) continue;
          return await this.finish("eos");
        }
        const workStart = performance.now();
        const action = this.receive(token);
        this.counters.engineMs += performance.now() - workStart;
        switch (action.kind) {
          case "next":
            continue;
          case "stop":
            if (action.reason !== "cancelled" && (await this.continueInstead())) continue;
            return await this.finish(action.reason);
          case "brake":
            await this.doBrake(action);
            continue;
          case "probe": {
            const after = await this.doProbe(action.request);
            if (after.kind === "brake") await this.doBrake(after);
            continue;
          }
          case "signal": {
            const after = await this.readSignal(action.token, action.charOffset);
            if (after.kind === "brake") await this.doBrake(after);
            continue;
          }
          case "resume":
            await this.resumeThinking(action.extra);
            continue;
        }
      }
    } catch (error) {
      await this.stopIterator().catch(() => undefined);
      this.runningValue = false;
      this.brakeState = null;
      throw error;
    }
  }

  /** A "Continue thinking" acknowledged while the answer streamed is honoured even when the answer ends first. */
  private async continueInstead(): Promise<boolean> {
    if (this.continueRequest === null || this.brakeState === null) return false;
    const extra = this.continueRequest;
    this.continueRequest = null;
    await this.resumeThinking(extra);
    return true;
  }

  private async nextToken(): Promise<Token | null> {
    if (this.presampled !== null) {
      const token = this.presampled;
      this.presampled = null;
      return token;
    }
    const next = await this.iterator?.next();
    return next === undefined || next.done ? null : next.value;
  }

  /** Handles one sampled token (not yet in the KV cache) and says what to do next. */
  private receive(token: Token): Action {
    this.counters.tokenArrived();
    if (this.awaitingAnswer) this.measureInjection();
    const kv = this.kvNext++;
    this.transcript.place(token, kv);

    if (this.signal?.aborted) return { kind: "stop", reason: "cancelled" };
    const phase = this.transcript.phase;
    if (phase === "thought") {
      if (this.answerNowRequested) {
        this.answerNowRequested = false;
        return this.brakeAction("manual", this.transcript.thought.length, "You asked for the answer now.");
      }
      if (this.sequence.contextSize - kv <= this.reserveTokens) {
        return this.brakeAction("context", this.transcript.thought.length, `The context (${this.sequence.contextSize} tokens) is nearly full: the thinking was closed to leave room for the answer.`);
      }
    } else if (phase === "answer") {
      this.answerNowRequested = false;
      if (this.continueRequest !== null && this.brakeState !== null) {
        const extra = this.continueRequest;
        this.continueRequest = null;
        return { kind: "resume", extra };
      }
      if (kv >= this.sequence.contextSize - 1) return { kind: "stop", reason: "context-full" };
    }
    return this.read(token, phase);
  }

  /** The first answer token after a brake arrived: what the injection evaluated beyond its own tokens was evaluated again. */
  private measureInjection(): void {
    const awaiting = this.awaitingAnswer;
    if (awaiting === null) return;
    const spent = this.decodedTokens() - awaiting.meterBefore;
    this.counters.reEvaluated += spent - awaiting.fed;
    this.counters.brakeToAnswerMs = this.counters.now() - awaiting.at;
    this.awaitingAnswer = null;
  }

  /** Reads the token's text into the transcript and feeds new thinking to the detector. */
  private read(token: Token, phase: SplitterPhase): Action {
    const read = this.transcript.read(token, phase);
    if (read.stopped) return { kind: "stop", reason: "eos" };
    if (read.thoughtDelta.length > 0 && this.detector) {
      const decision = this.detector.push(read.thoughtDelta, this.transcript.takeDetectorTokens());
      const atBoundary = this.boundaries.push(read.thoughtDelta);
      if (read.phaseAfter === "thought") {
        const decided = this.onDecision(decision);
        if (decided.kind !== "next") return decided;
        // Only where the token's text ends exactly at the boundary is the next distribution the one after it.
        if (atBoundary && this.endToken !== null && !this.transcript.holdsText) return { kind: "signal", token, charOffset: this.transcript.thought.length };
      }
    }
    if (read.phaseAfter === "answer" && this.counters.answer >= this.request.generation.maxAnswerTokens) return { kind: "stop", reason: "answer-cap" };
    return NEXT;
  }

  /**
   * Evaluates the boundary token (not in the cache yet) with the signal read from the same
   * decode, and hands the token sampled there to the loop: nothing more is evaluated than the
   * loop would have. The detector sees the signal and may brake at the boundary.
   */
  private async readSignal(token: Token, charOffset: number): Promise<Action> {
    const endToken = this.endToken;
    const detector = this.detector;
    if (endToken === null || detector === null) return NEXT;
    await this.stopIterator();
    const sampling = this.seedBase === null ? this.sampling : { ...this.sampling, seed: (this.seedBase + ++this.reseeds) % 2 ** 31 };
    const reading = await evaluateReadingSignal(this.sequence, token, endToken, sampling);
    if (reading.next !== null && !this.model.isEogToken(reading.next)) {
      this.presampled = reading.next;
      this.iterator = this.sequence.evaluate([reading.next], sampling);
    }
    if (this.recordOnly) {
      this.sendMeter({ probability: reading.probability, margin: endOfThinkingMargin(reading) });
      return NEXT;
    }
    const decision = detector.observeSignal({ charOffset, probability: reading.probability, topProbability: reading.topProbability });
    this.sendMeter(); // every reading reaches the meter, the one that brakes too
    return this.onDecision(decision);
  }

  private onDecision(decision: BrakeDecision): Action {
    if (decision.kind === "brake") {
      return {
        kind: "brake",
        reason: decision.reason,
        charOffset: decision.charOffset,
        explanation: decision.explanation,
        score: decision.evidence.score,
        anchoredAnswer: decision.evidence.anchoredAnswer,
        rule: decision.evidence.rule,
      };
    }
    if (decision.kind === "probe") return { kind: "probe", request: decision };
    this.sinceMeter++;
    if (decision.armed !== this.lastArmed || this.sinceMeter >= METER_EVERY_TOKENS) this.sendMeter();
    return NEXT;
  }

  /** @param recorded a reading taken only to be recorded: the only meter that carries it (see {@link recordOnly}) */
  private sendMeter(recorded?: { probability: number; margin: number }): void {
    this.sinceMeter = 0;
    const snap = this.detector?.snapshot();
    if (!snap) return;
    this.lastArmed = snap.armed;
    this.sink({
      type: "meter",
      thinkingTokens: this.counters.thinking,
      score: snap.evidence.score,
      armed: snap.armed,
      anchoredAnswer: snap.evidence.anchoredAnswer,
      // Present when this answer reads the signal (null until the first step boundary).
      ...(recorded !== undefined ? { endOfThinking: recorded } : this.endToken === null || this.recordOnly ? {} : { endOfThinking: snap.evidence.endOfThinking }),
    });
  }

  private brakeAction(reason: BrakeReasonKind, charOffset: number, explanation: string): Action {
    const snap = this.detector?.snapshot();
    return { kind: "brake", reason, charOffset, explanation, score: snap?.evidence.score ?? null, anchoredAnswer: snap?.evidence.anchoredAnswer ?? null, rule: null };
  }

  private async doBrake(action: Extract<Action, { kind: "brake" }>): Promise<void> {
    const thought = this.setup.thought;
    if (thought === null) return;
    // A signal read at the brake point already sampled the thought's next token: it is the continuation.
    const sampledNext = this.presampled;
    await this.stopIterator();
    const brakeAt = this.counters.now();
    const c = await cutThinking(this.sequence, this.transcript, action.charOffset, this.kvNext);
    const keptThinking = this.transcript.keptThinking(c);
    const injection = buildInjection(this.lib, keptThinking, c.straddle, this.request.brake.cue, thought.closeText);
    const injectTokens = injection.text.tokenize(this.model.tokenizer);
    const charOffset = keptThinking.length + c.straddle.length;

    this.counters.thinking = c.index;
    this.counters.discarded += c.dropped.length;
    this.counters.cue += injectTokens.length;
    this.counters.thinkingEndedAt = brakeAt;
    const cut = this.transcript.closeThinking(c, charOffset, injectTokens);

    const feed = [...c.keptUnfed, ...injectTokens];
    const cueStartKv = this.sequence.nextTokenIndex + c.keptUnfed.length;
    this.brake = {
      reason: action.reason,
      explanation: action.explanation,
      thinkingTokens: c.index,
      charOffset,
      discardedTokens: c.dropped.length,
      injectedText: injection.plain,
      injectedTokens: injectTokens.length,
      score: action.score,
      anchoredAnswer: action.anchoredAnswer,
    };
    this.brakeRule = action.rule;
    this.sink({ type: "brake", brake: this.brake });
    this.awaitingAnswer = { meterBefore: this.decodedTokens(), fed: feed.length, at: brakeAt };

    let continuation = c.dropped.length === 0 && sampledNext !== null ? [sampledNext] : c.dropped;
    if (continuation.length > 0 || c.keptUnfed.length === 0) {
      this.startIterator(feed);
    } else {
      // The brake point is the end of the token just sampled: its logits give the thought's next
      // token in the same batch as the cue (no extra evaluation), so "Continue thinking" resumes
      // without evaluating anything again; the last cue token gives the first answer token.
      const sampled = await injectAndSample(this.sequence, feed, c.keptUnfed.length, this.sampling);
      if (sampled.thoughtNext !== null) continuation = [sampled.thoughtNext];
      this.kvNext = this.sequence.nextTokenIndex;
      if (sampled.answerFirst !== null && !this.model.isEogToken(sampled.answerFirst)) {
        this.presampled = sampled.answerFirst;
        this.iterator = this.sequence.evaluate([sampled.answerFirst], this.sampling);
      }
    }
    this.brakeState = { cut, thinkingKept: c.index, continuation, discardedAtBrake: c.dropped.length, cueStartKv };
  }

  private async doProbe(request: ProbeRequest): Promise<Action> {
    const thought = this.setup.thought;
    if (thought === null || this.detector === null) return NEXT;
    await this.stopIterator();
    const c = await cutThinking(this.sequence, this.transcript, request.charOffset, this.kvNext);
    if (c.keptUnfed.length > 0) await this.sequence.evaluateWithoutGeneratingNewTokens(c.keptUnfed);
    const keptThinking = this.transcript.keptThinking(c);
    const trial = buildInjection(this.lib, keptThinking, c.straddle, "", thought.closeText).text.tokenize(this.model.tokenizer);
    const outcome = await runProbe(this.sequence, this.model, trial, { maxAnswerTokens: PROBE_ANSWER_TOKENS, stopTexts: this.prompt.stopTexts });
    const decision = this.detector.reportProbe(request.id, { confidence: outcome.confidence, answer: outcome.answer });
    let feed = c.dropped;
    let refed = c.droppedFed;
    if (decision.kind !== "brake" && feed.length === 0) {
      feed = await takeBackLastToken(this.sequence);
      refed += 1;
    }
    const cost = outcome.evaluated + refed;
    this.counters.probe += cost;
    const info: ProbeInfo = { trigger: request.trigger, confidence: outcome.confidence, answer: outcome.answer, tokens: cost, braked: decision.kind === "brake" };
    this.probes.push(info);
    this.sink({ type: "probe", probe: info });
    if (decision.kind === "brake") return this.onDecision(decision);
    this.startIterator(feed);
    return NEXT;
  }

  private async resumeThinking(extraThinkingTokens: number): Promise<void> {
    const state = this.brakeState;
    if (state === null || this.setup.thought === null) return;
    await this.stopIterator();
    await eraseFrom(this.sequence, state.cueStartKv);
    this.counters.discarded += this.counters.answer - state.discardedAtBrake;
    this.counters.answer = 0;
    this.brake = null;
    this.brakeRule = null;
    this.brakeState = null;
    this.counters.continued++;
    this.counters.thinkingEndedAt = null;
    this.transcript.reopenThinking(state.cut);
    this.counters.thinking = state.thinkingKept;
    this.detector = answerDetector(
      this.deps.createDetector,
      this.request,
      { contextTokens: this.sequence.contextSize - this.prompt.tokens.length, answerReserveTokens: this.reserveTokens },
      { brake: { probe: "off" }, resumedBudget: state.thinkingKept + extraThinkingTokens },
    );
    const thought = this.transcript.thought;
    if (thought.length > 0) this.detector.push(thought, state.thinkingKept);
    this.boundaries.reset(thought);
    this.sink({ type: "resumed", charOffset: thought.length });

    this.kvNext = this.sequence.nextTokenIndex;
    if (state.continuation.length === 0) {
      const feed = await takeBackLastToken(this.sequence);
      this.counters.reEvaluated += 1;
      this.startIterator(feed);
      return;
    }
    // The tokens generated past the brake point are the thought's continuation: take them back.
    for (const token of state.continuation) {
      this.transcript.place(token, this.kvNext++);
      this.read(token, this.transcript.phase);
    }
    this.startIterator(state.continuation);
  }

  private async finish(stopReason: StopReason): Promise<GenerationResult> {
    await this.stopIterator();
    this.transcript.flush();
    if (this.awaitingAnswer) {
      // Ended before any answer token (cancelled right after the brake): still measure the injection.
      const spent = this.decodedTokens() - this.awaitingAnswer.meterBefore;
      if (spent >= this.awaitingAnswer.fed) this.counters.reEvaluated += spent - this.awaitingAnswer.fed;
      this.awaitingAnswer = null;
    }
    this.runningValue = false;
    return buildResult(this.counters, {
      answer: this.transcript.answer,
      thinking: this.transcript.thought,
      thinkingMode: this.prompt.thinkingMode,
      brake: this.brake,
      probes: this.probes,
      stopReason,
      brakeRule: this.brakeRule,
      answerFormat: this.detector?.config.answerFormat ?? null,
      calibration: this.request.savingRatio ?? null,
    });
  }
}
