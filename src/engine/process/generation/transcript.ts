/**
 * The text of one answer as it is generated: the raw model output, the thinking and the answer
 * split by the thought markers, where every token sits (the ledger), and the `thinking` /
 * `answer` events that stream them. A brake or a probe cuts it at a character of the thinking;
 * "Continue thinking" restores it to the cut.
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { GenerationEvent } from "../../common/types";
import type { GenerationCounters } from "./accounting";
import { StreamDetokenizer } from "./detokenizer";
import { SegmentSplitter } from "./segmentSplitter";
import type { SplitterConfig, SplitterPhase } from "./segmentSplitter";
import type { LedgerCut } from "./tokenLedger";
import { TokenLedger } from "./tokenLedger";

export type GenerationSink = (event: GenerationEvent) => void;

/** What one token's text did. */
export interface TokenRead {
  /** The output reached a stop text or marker: the answer is over. */
  readonly stopped: boolean;
  /** Thinking text this token completed (may be empty while text is held back). */
  readonly thoughtDelta: string;
  readonly phaseAfter: SplitterPhase;
}

/** Where the thinking was cut, to restore it for "Continue thinking". */
export interface TranscriptCut {
  readonly ledgerIndex: number;
  readonly rawEnd: number;
  /** Thinking characters of the kept tokens (without the straddling token's part). */
  readonly thoughtChars: number;
}

export class Transcript {
  private readonly splitter: SegmentSplitter;
  private readonly detok: StreamDetokenizer;
  private readonly ledger = new TokenLedger(0);
  private raw = "";
  private thoughtText = "";
  private thoughtRawStart: number | null = null;
  private answerText = "";
  /** Tokens read before the output said whether it starts with thinking or an answer. */
  private undecidedTokens = 0;
  /** Thinking tokens whose text has not been handed to the detector yet. */
  private detectorTokens = 0;
  private eventThinkingTokens = 0;
  private eventAnswerTokens = 0;
  sink: GenerationSink = () => undefined;

  constructor(
    model: Pick<LlamaModel, "detokenize">,
    splitter: SplitterConfig,
    private readonly counters: GenerationCounters,
  ) {
    this.splitter = new SegmentSplitter(splitter);
    this.detok = new StreamDetokenizer(model);
  }

  get phase(): SplitterPhase {
    return this.splitter.phase;
  }

  get thought(): string {
    return this.thoughtText;
  }

  get answer(): string {
    return this.answerText;
  }

  /** Output read but not yet released as thinking or answer (an incomplete character, a marker that may be starting). */
  get holdsText(): boolean {
    return this.detok.holding > 0 || this.splitter.pendingLength > 0;
  }

  /** Tokens in the ledger (every generated token not cut away). */
  get length(): number {
    return this.ledger.length;
  }

  kvIndex(index: number): number {
    return this.ledger.kvIndex(index);
  }

  tokens(from?: number, to?: number): Token[] {
    return this.ledger.tokens(from, to);
  }

  /** Records a sampled token at its place in the KV cache (its text is read by {@link read}). */
  place(token: Token, kvIndex: number): void {
    this.ledger.push(token, kvIndex, -1);
  }

  /** Detokenizes a placed token, splits its text into thinking and answer, counts it and streams it. */
  read(token: Token, phase: SplitterPhase): TokenRead {
    const text = this.detok.push(token);
    let outputs: ReturnType<SegmentSplitter["push"]> = [];
    if (text.length > 0) {
      this.raw += text;
      this.ledger.settleRawEnd(this.raw.length);
      outputs = this.splitter.push(text);
    }
    const phaseAfter = this.splitter.phase;
    this.count(phase, phaseAfter, outputs.some((o) => o.kind === "thought-opened"));

    let thoughtDelta = "";
    let stopped = false;
    for (const o of outputs) {
      switch (o.kind) {
        case "thought-opened":
          this.counters.thinkingStartedAt ??= this.counters.now();
          break;
        case "thought":
          this.thoughtRawStart ??= o.rawStart;
          thoughtDelta += o.text;
          this.appendThought(o.text);
          break;
        case "thought-closed":
          this.counters.thinkingEndedAt = this.counters.now();
          break;
        case "answer":
          this.appendAnswer(o.text);
          break;
        case "stop":
          stopped = true;
          break;
      }
    }
    return { stopped, thoughtDelta, phaseAfter };
  }

  /** The thinking tokens not yet handed to the detector (and forgets them). */
  takeDetectorTokens(): number {
    const n = this.detectorTokens;
    this.detectorTokens = 0;
    return n;
  }

  /** The cut for a character offset of the thinking: tokens ending at or before it are kept. */
  cutAt(charOffset: number): LedgerCut {
    const base = this.thoughtRawStart ?? this.raw.length;
    return this.ledger.cutAt(base + Math.min(charOffset, this.thoughtText.length), this.raw);
  }

  /** The thinking the kept tokens of a cut make (without the straddling token's part). */
  keptThinking(cut: LedgerCut): string {
    return this.thoughtText.slice(0, cut.keptRawEnd - (this.thoughtRawStart ?? cut.keptRawEnd));
  }

  /**
   * Closes the thinking at a cut: the tokens past it are forgotten, the thinking shown ends after
   * `shownChars` characters (the kept tokens' text plus the straddling token's part), and what
   * follows is the answer after the injected tokens. Returns where the kept tokens' text ends.
   */
  closeThinking(cut: LedgerCut, shownChars: number, injected: readonly Token[]): TranscriptCut {
    const kept = { ledgerIndex: cut.index, rawEnd: cut.keptRawEnd, thoughtChars: this.keptThinking(cut).length };
    this.thoughtText = this.thoughtText.slice(0, shownChars);
    this.ledger.truncate(cut.index);
    this.raw = this.raw.slice(0, cut.keptRawEnd);
    this.splitter.setPhase("answer", this.raw.length);
    this.detok.reset(injected);
    return kept;
  }

  /** Back to the thinking as it was at a cut: the injected text and the answer are dropped. */
  reopenThinking(cut: TranscriptCut): void {
    this.answerText = "";
    this.ledger.truncate(cut.ledgerIndex);
    this.raw = this.raw.slice(0, cut.rawEnd);
    this.thoughtText = this.thoughtText.slice(0, cut.thoughtChars);
    this.splitter.setPhase("thought", this.raw.length, this.thoughtText.length === 0);
    this.detok.reset(this.ledger.tokens(Math.max(0, cut.ledgerIndex - 8)));
  }

  /** Streams what the splitter still holds back; tokens never decided count as answer. */
  flush(): void {
    for (const o of this.splitter.flush()) {
      if (o.kind === "thought") this.appendThought(o.text);
      else if (o.kind === "answer") this.appendAnswer(o.text);
    }
    if (this.undecidedTokens > 0) {
      this.counters.answer += this.undecidedTokens;
      this.undecidedTokens = 0;
    }
  }

  private count(phase: SplitterPhase, after: SplitterPhase, opened: boolean): void {
    if (phase === "start" && after === "start") {
      this.undecidedTokens++;
      return;
    }
    const n = 1 + this.undecidedTokens;
    this.undecidedTokens = 0;
    if (phase === "thought" || opened) {
      this.counters.thinking += n;
      this.detectorTokens += n;
      this.eventThinkingTokens += n;
    } else {
      this.counters.answer += n;
      this.eventAnswerTokens += n;
    }
  }

  private appendThought(text: string): void {
    this.thoughtText += text;
    this.sink({ type: "thinking", text, tokens: this.eventThinkingTokens });
    this.eventThinkingTokens = 0;
  }

  private appendAnswer(text: string): void {
    this.answerText += text;
    this.sink({ type: "answer", text, tokens: this.eventAnswerTokens });
    this.eventAnswerTokens = 0;
  }
}
