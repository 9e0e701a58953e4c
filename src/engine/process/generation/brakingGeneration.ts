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
 */
import type { ControlledEvaluateInputItem, LlamaContextSequence, LlamaModel, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import type { BrakeDecision, BrakeDetector, ProbeRequest } from "../../../core/brake/types";
import type { ChatSetup, NodeLlamaCpp } from "../chat/wrapper";
import type { RenderedPrompt } from "../chat/prompt";
import type { AskRequest, BrakeInfo, BrakeReasonKind, GenerationEvent, GenerationResult, ProbeInfo, StopReason } from "../../common/types";
import { buildResult, GenerationCounters } from "./accounting";
import type { DetectorFactory } from "./detector";
import { StreamDetokenizer } from "./detokenizer";
import { buildInjection } from "./injection";
import { runProbe } from "./probe";
import { SegmentSplitter } from "./segmentSplitter";
import type { SplitterPhase } from "./segmentSplitter";
import type { LedgerCut } from "./tokenLedger";
import { TokenLedger } from "./tokenLedger";

export interface GenerationDeps {
  readonly lib: NodeLlamaCpp;
  readonly model: LlamaModel;
  readonly sequence: LlamaContextSequence;
  readonly setup: ChatSetup;
  readonly createDetector: DetectorFactory;
  readonly now?: () => number;
}

export type GenerationSink = (event: GenerationEvent) => void;

type Action =
  | { readonly kind: "next" }
  | { readonly kind: "stop"; readonly reason: StopReason }
  | { readonly kind: "brake"; readonly reason: BrakeReasonKind; readonly charOffset: number; readonly explanation: string; readonly score: number | null; readonly anchoredAnswer: string | null }
  | { readonly kind: "probe"; readonly request: ProbeRequest }
  | { readonly kind: "resume"; readonly extra: number };

interface CutResult extends LedgerCut {
  readonly keptUnfed: Token[];
  readonly dropped: Token[];
  readonly droppedFed: number;
}

interface BrakeState {
  readonly ledgerCut: number;
  readonly rawCut: number;
  readonly keptThoughtChars: number;
  readonly thinkingKept: number;
  /** The thought's continuation: tokens generated past the brake point, or one sampled for resuming. */
  readonly dropped: Token[];
  /** How many of them were counted as discarded. */
  readonly discardedAtBrake: number;
  readonly cueStartKv: number;
}

const NEXT: Action = { kind: "next" };
/** Trial answers are short: a number or a sentence. */
const PROBE_ANSWER_TOKENS = 32;
/** Tokens kept free for the cue and the end of thinking on top of the answer reserve. */
const CUE_MARGIN = 16;
const METER_EVERY_TOKENS = 16;

export class BrakingGeneration {
  private readonly lib: NodeLlamaCpp;
  private readonly model: LlamaModel;
  private readonly sequence: LlamaContextSequence;
  private readonly setup: ChatSetup;
  private readonly counters: GenerationCounters;
  private readonly sampling: SequenceEvaluateOptions;
  private readonly splitter: SegmentSplitter;
  private readonly detok: StreamDetokenizer;
  private readonly ledger: TokenLedger;
  /** Tokens the answer needs to keep free (cue, end of thinking, answer). */
  readonly reserveTokens: number;
  private readonly budget: number;

  private iterator: AsyncGenerator<Token, void, void | Token | Token[]> | null = null;
  /** A token already sampled outside the iterator (by the brake's batch), handled before the iterator's next one. */
  private presampled: Token | null = null;
  private kvNext = 0;
  private rawText = "";
  private thought = "";
  private thoughtRawStart: number | null = null;
  private answer = "";
  private detector: BrakeDetector | null;
  private detectorTokens = 0;
  private eventThinkingTokens = 0;
  private eventAnswerTokens = 0;
  private undecidedTokens = 0;
  private brake: BrakeInfo | null = null;
  private brakeState: BrakeState | null = null;
  private readonly probes: ProbeInfo[] = [];
  private answerNowRequested = false;
  private continueRequest: number | null = null;
  private awaitingAnswer: { meterBefore: number; fed: number; at: number } | null = null;
  private lastArmed = false;
  private sinceMeter = 0;
  private sink: GenerationSink = () => undefined;
  private signal: AbortSignal | undefined;
  private runningValue = false;
  private finishedValue = false;

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
    this.splitter = new SegmentSplitter({
      open: thought?.open ?? null,
      close: thought?.close ?? null,
      startInThought: prompt.startInThought,
      stopTexts: prompt.stopTexts,
    });
    this.detok = new StreamDetokenizer(this.model);
    this.ledger = new TokenLedger(0);
    const contextSize = this.sequence.contextSize;
    const cueTokens = thought ? this.lib.LlamaText([request.brake.cue, thought.closeText]).tokenize(this.model.tokenizer).length : 0;
    this.reserveTokens = Math.min(g.maxAnswerTokens, Math.max(64, Math.floor(contextSize / 4))) + cueTokens + CUE_MARGIN;
    const contextLeft = contextSize - prompt.tokens.length;
    this.budget = Math.max(1, Math.min(request.brake.maxThinkingTokens, contextLeft - this.reserveTokens));
    this.detector =
      prompt.thinkingMode === "not-applicable" || thought === null
        ? null
        : deps.createDetector({ brake: request.brake, question: request.question, contextTokens: contextLeft, answerReserveTokens: this.reserveTokens });
    if (prompt.startInThought) this.counters.thinkingStartedAt = this.counters.startedAt;
  }

  get running(): boolean {
    return this.runningValue;
  }

  get finished(): boolean {
    return this.finishedValue;
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

  /** Generates from the prompt. `promptFeed` is the part of the prompt not already in the KV cache. */
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
    this.startIterator(promptFeed);
    return this.loop();
  }

  /** "Continue thinking" after the generation finished (the sequence must be as this generation left it). */
  async resume(extraThinkingTokens: number, sink: GenerationSink, signal?: AbortSignal): Promise<GenerationResult> {
    if (this.brakeState === null) throw new Error("nothing to continue: this answer was not braked");
    this.begin(sink, signal);
    this.finishedValue = false;
    await this.resumeThinking(extraThinkingTokens);
    return this.loop();
  }

  private begin(sink: GenerationSink, signal: AbortSignal | undefined): void {
    if (this.runningValue) throw new Error("this generation is already running");
    this.sink = sink;
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
        let token: Token;
        if (this.presampled !== null) {
          token = this.presampled;
          this.presampled = null;
        } else {
          const it = this.iterator;
          if (it === null) return await this.finish("eos");
          const next = await it.next();
          if (next.done) return await this.finish("eos");
          token = next.value;
        }
        const workStart = performance.now();
        const action = this.receive(token);
        this.counters.engineMs += performance.now() - workStart;
        switch (action.kind) {
          case "next":
            continue;
          case "stop":
            return await this.finish(action.reason);
          case "brake":
            await this.doBrake(action);
            continue;
          case "probe": {
            const after = await this.doProbe(action.request);
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
      this.finishedValue = true;
      this.brakeState = null;
      throw error;
    }
  }

  /** Handles one sampled token (not yet in the KV cache) and says what to do next. */
  private receive(token: Token): Action {
    this.counters.tokenArrived();
    if (this.awaitingAnswer) {
      const spent = this.decodedTokens() - this.awaitingAnswer.meterBefore;
      this.counters.reEvaluated += spent - this.awaitingAnswer.fed;
      this.counters.brakeToAnswerMs = this.counters.now() - this.awaitingAnswer.at;
      this.awaitingAnswer = null;
    }
    const kv = this.kvNext++;
    this.ledger.push(token, kv, -1);

    if (this.signal?.aborted) return { kind: "stop", reason: "cancelled" };
    const phase = this.splitter.phase;
    if (phase === "thought") {
      if (this.answerNowRequested) {
        this.answerNowRequested = false;
        return this.brakeAction("manual", this.thought.length, "You asked for the answer now.");
      }
      if (this.sequence.contextSize - kv <= this.reserveTokens) {
        return this.brakeAction("context", this.thought.length, `The context (${this.sequence.contextSize} tokens) is nearly full: the thinking was closed to leave room for the answer.`);
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
    return this.processText(token, phase);
  }

  /** Detokenizes, splits, feeds the detector. */
  private processText(token: Token, phase: SplitterPhase): Action {
    const text = this.detok.push(token);
    let outputs: ReturnType<SegmentSplitter["push"]> = [];
    if (text.length > 0) {
      this.rawText += text;
      this.ledger.settleRawEnd(this.rawText.length);
      outputs = this.splitter.push(text);
    }
    const after = this.splitter.phase;
    const opened = outputs.some((o) => o.kind === "thought-opened");
    if (phase === "start" && after === "start") {
      this.undecidedTokens++;
    } else if (phase === "thought" || opened) {
      const n = 1 + this.undecidedTokens;
      this.undecidedTokens = 0;
      this.counters.thinking += n;
      this.detectorTokens += n;
      this.eventThinkingTokens += n;
    } else {
      const n = 1 + this.undecidedTokens;
      this.undecidedTokens = 0;
      this.counters.answer += n;
      this.eventAnswerTokens += n;
    }

    let thoughtDelta = "";
    let action: Action = NEXT;
    for (const o of outputs) {
      switch (o.kind) {
        case "thought-opened":
          this.counters.thinkingStartedAt ??= this.counters.now();
          break;
        case "thought":
          this.thoughtRawStart ??= o.rawStart;
          this.thought += o.text;
          thoughtDelta += o.text;
          this.sink({ type: "thinking", text: o.text, tokens: this.eventThinkingTokens });
          this.eventThinkingTokens = 0;
          break;
        case "thought-closed":
          this.counters.thinkingEndedAt = this.counters.now();
          break;
        case "answer":
          this.answer += o.text;
          this.sink({ type: "answer", text: o.text, tokens: this.eventAnswerTokens });
          this.eventAnswerTokens = 0;
          break;
        case "stop":
          action = { kind: "stop", reason: "eos" };
          break;
      }
    }
    if (action.kind === "stop") return action;

    if (thoughtDelta.length > 0 && this.detector) {
      const decision = this.detector.push(thoughtDelta, this.detectorTokens);
      this.detectorTokens = 0;
      if (after === "thought") {
        const decided = this.onDecision(decision);
        if (decided.kind !== "next") return decided;
      }
    }
    if (after === "answer" && this.counters.answer >= this.request.generation.maxAnswerTokens) return { kind: "stop", reason: "answer-cap" };
    return NEXT;
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
      };
    }
    if (decision.kind === "probe") return { kind: "probe", request: decision };
    this.sinceMeter++;
    if (decision.armed !== this.lastArmed || this.sinceMeter >= METER_EVERY_TOKENS) {
      this.lastArmed = decision.armed;
      this.sinceMeter = 0;
      const snap = this.detector?.snapshot();
      if (snap) {
        this.sink({ type: "meter", thinkingTokens: this.counters.thinking, score: snap.evidence.score, armed: snap.armed, anchoredAnswer: snap.evidence.anchoredAnswer });
      }
    }
    return NEXT;
  }

  private brakeAction(reason: BrakeReasonKind, charOffset: number, explanation: string): Action {
    const snap = this.detector?.snapshot();
    return { kind: "brake", reason, charOffset, explanation, score: snap?.evidence.score ?? null, anchoredAnswer: snap?.evidence.anchoredAnswer ?? null };
  }

  /** Cuts the thinking at a character offset: drops the KV entries of tokens past it (appending, never re-evaluating, what is kept). */
  private async cut(charOffset: number): Promise<CutResult> {
    const base = this.thoughtRawStart ?? this.rawText.length;
    const cut = this.ledger.cutAt(base + Math.min(charOffset, this.thought.length), this.rawText);
    const nti = this.sequence.nextTokenIndex;
    const keptUnfed: Token[] = [];
    for (let i = 0; i < cut.index; i++) if (this.ledger.kvIndex(i) >= nti) keptUnfed.push(...this.ledger.tokens(i, i + 1));
    const firstDroppedKv = cut.index < this.ledger.length ? this.ledger.kvIndex(cut.index) : this.kvNext;
    let droppedFed = 0;
    if (firstDroppedKv < nti) {
      droppedFed = nti - firstDroppedKv;
      await this.sequence.eraseContextTokenRanges([{ start: firstDroppedKv, end: nti }]);
    }
    return { ...cut, keptUnfed, dropped: this.ledger.tokens(cut.index), droppedFed };
  }

  private async doBrake(action: Extract<Action, { kind: "brake" }>): Promise<void> {
    const thought = this.setup.thought;
    if (thought === null) return;
    await this.stopIterator();
    const brakeAt = this.counters.now();
    const c = await this.cut(action.charOffset);
    const keptThinking = this.thought.slice(0, c.keptRawEnd - (this.thoughtRawStart ?? c.keptRawEnd));
    const injection = buildInjection(this.lib, keptThinking, c.straddle, this.request.brake.cue, thought.closeText);
    const injectTokens = injection.text.tokenize(this.model.tokenizer);
    const charOffset = keptThinking.length + c.straddle.length;

    this.thought = this.thought.slice(0, charOffset);
    this.counters.thinking = c.index;
    this.counters.discarded += c.dropped.length;
    this.counters.cue += injectTokens.length;
    this.counters.thinkingEndedAt = brakeAt;
    this.ledger.truncate(c.index);
    this.rawText = this.rawText.slice(0, c.keptRawEnd);

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
    this.sink({ type: "brake", brake: this.brake });
    this.splitter.setPhase("answer", this.rawText.length);
    this.detok.reset(injectTokens);
    this.awaitingAnswer = { meterBefore: this.decodedTokens(), fed: feed.length, at: brakeAt };

    let continuation = c.dropped;
    if (continuation.length > 0 || c.keptUnfed.length === 0) {
      this.startIterator(feed);
    } else {
      // The brake point is the end of the token just sampled. Sample the thought's next token from
      // its logits in the same batch as the cue (no extra evaluation), so that "Continue thinking"
      // can resume without evaluating anything again; the last cue token gives the first answer token.
      const sample = { token: true, options: this.sampling };
      const items: ControlledEvaluateInputItem[] = feed.map((token, i) =>
        i === c.keptUnfed.length - 1 || i === feed.length - 1 ? [token, { generateNext: sample }] : token,
      );
      const out = await this.sequence.controlledEvaluate(items);
      const thoughtNext = out[c.keptUnfed.length - 1]?.next.token;
      const answerFirst = out[feed.length - 1]?.next.token;
      if (thoughtNext !== undefined && thoughtNext !== null) continuation = [thoughtNext];
      this.kvNext = this.sequence.nextTokenIndex;
      if (answerFirst !== undefined && answerFirst !== null && !this.model.isEogToken(answerFirst)) {
        this.presampled = answerFirst;
        this.iterator = this.sequence.evaluate([answerFirst], this.sampling);
      }
    }
    this.brakeState = {
      ledgerCut: c.index,
      rawCut: c.keptRawEnd,
      keptThoughtChars: keptThinking.length,
      thinkingKept: c.index,
      dropped: continuation,
      discardedAtBrake: c.dropped.length,
      cueStartKv,
    };
  }

  private async doProbe(request: ProbeRequest): Promise<Action> {
    const thought = this.setup.thought;
    if (thought === null || this.detector === null) return NEXT;
    await this.stopIterator();
    const c = await this.cut(request.charOffset);
    if (c.keptUnfed.length > 0) await this.sequence.evaluateWithoutGeneratingNewTokens(c.keptUnfed);
    const keptThinking = this.thought.slice(0, c.keptRawEnd - (this.thoughtRawStart ?? c.keptRawEnd));
    const trial = buildInjection(this.lib, keptThinking, c.straddle, "", thought.closeText).text.tokenize(this.model.tokenizer);
    const outcome = await runProbe(this.sequence, this.model, trial, { maxAnswerTokens: PROBE_ANSWER_TOKENS, stopTexts: this.prompt.stopTexts });
    const decision = this.detector.reportProbe(request.id, { confidence: outcome.confidence, answer: outcome.answer });
    let feed = c.dropped;
    let refed = c.droppedFed;
    if (decision.kind !== "brake" && feed.length === 0) {
      // Generation resumes from logits, so at least one token must be evaluated again.
      const last = this.sequence.nextTokenIndex - 1;
      feed = this.sequence.contextTokens.slice(last);
      await this.sequence.eraseContextTokenRanges([{ start: last, end: last + 1 }]);
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
    const thought = this.setup.thought;
    if (state === null || thought === null) return;
    await this.stopIterator();
    const nti = this.sequence.nextTokenIndex;
    if (nti > state.cueStartKv) await this.sequence.eraseContextTokenRanges([{ start: state.cueStartKv, end: nti }]);
    this.counters.discarded += this.counters.answer - state.discardedAtBrake;
    this.counters.answer = 0;
    this.answer = "";
    this.brake = null;
    this.brakeState = null;
    this.counters.continued++;
    this.counters.thinkingEndedAt = null;
    this.ledger.truncate(state.ledgerCut);
    this.rawText = this.rawText.slice(0, state.rawCut);
    this.thought = this.thought.slice(0, state.keptThoughtChars);
    this.counters.thinking = state.thinkingKept;
    this.splitter.setPhase("thought", this.rawText.length, this.thought.length === 0);
    this.detok.reset(this.ledger.tokens(Math.max(0, state.ledgerCut - 8)));
    this.detector = this.deps.createDetector({
      brake: { ...this.request.brake, probe: "off" },
      question: this.request.question,
      contextTokens: this.sequence.contextSize - this.prompt.tokens.length,
      answerReserveTokens: this.reserveTokens,
      mode: "budget",
      maxThinkingTokens: state.thinkingKept + extraThinkingTokens,
    });
    if (this.thought.length > 0) this.detector.push(this.thought, state.thinkingKept);
    this.sink({ type: "resumed", charOffset: this.thought.length });

    let feed = state.dropped;
    this.kvNext = this.sequence.nextTokenIndex;
    if (feed.length === 0) {
      const last = this.sequence.nextTokenIndex - 1;
      feed = this.sequence.contextTokens.slice(last);
      await this.sequence.eraseContextTokenRanges([{ start: last, end: last + 1 }]);
      this.counters.reEvaluated += 1;
      this.startIterator(feed);
      return;
    }
    // The tokens generated past the brake point are the thought's continuation: take them back.
    for (const token of feed) {
      this.ledger.push(token, this.kvNext++, -1);
      this.processText(token, this.splitter.phase);
    }
    this.startIterator(feed);
  }

  private async finish(stopReason: StopReason): Promise<GenerationResult> {
    await this.stopIterator();
    for (const o of this.splitter.flush()) {
      if (o.kind === "thought") {
        this.thought += o.text;
        this.sink({ type: "thinking", text: o.text, tokens: this.eventThinkingTokens });
        this.eventThinkingTokens = 0;
      } else if (o.kind === "answer") {
        this.answer += o.text;
        this.sink({ type: "answer", text: o.text, tokens: this.eventAnswerTokens });
        this.eventAnswerTokens = 0;
      }
    }
    if (this.undecidedTokens > 0) {
      this.counters.answer += this.undecidedTokens;
      this.undecidedTokens = 0;
    }
    if (this.awaitingAnswer) {
      // Ended before any answer token (cancelled right after the brake): still measure the injection.
      const spent = this.decodedTokens() - this.awaitingAnswer.meterBefore;
      if (spent >= this.awaitingAnswer.fed) this.counters.reEvaluated += spent - this.awaitingAnswer.fed;
      this.awaitingAnswer = null;
    }
    this.runningValue = false;
    this.finishedValue = true;
    return buildResult(this.counters, {
      answer: this.answer,
      thinking: this.thought,
      thinkingMode: this.prompt.thinkingMode,
      brake: this.brake,
      probes: this.probes,
      stopReason,
      budget: this.budget,
    });
  }
}
