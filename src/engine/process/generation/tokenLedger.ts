/**
 * Where every generated thinking token sits: its place in the KV cache and the raw output
 * characters it produced. A brake or a probe at a character offset becomes a cut between two
 * tokens: what lies before stays in the cache untouched, what lies after is dropped (or, for a
 * probe, put back afterwards).
 */
import type { Token } from "node-llama-cpp";

export interface LedgerCut {
  /** Index of the first token that is not fully before the offset. */
  readonly index: number;
  /** Raw text of that token which lies before the offset (it is re-injected as text). */
  readonly straddle: string;
  /** Raw offset where the kept tokens end (≤ the requested offset). */
  readonly keptRawEnd: number;
}

export class TokenLedger {
  private readonly tokenList: Token[] = [];
  private readonly kv: number[] = [];
  private readonly rawEnds: number[] = [];

  constructor(private readonly rawBase: number) {}

  get length(): number {
    return this.tokenList.length;
  }

  push(token: Token, kvIndex: number, rawEnd: number): void {
    this.tokenList.push(token);
    this.kv.push(kvIndex);
    this.rawEnds.push(rawEnd);
  }

  /**
   * Raw offsets are only known once a held (partial UTF-8) token completes: the last token of
   * the group carries the character, the ones before it are zero-width at the group's start.
   */
  settleRawEnd(rawEnd: number): void {
    let first = this.rawEnds.length;
    while (first > 0 && this.rawEnds[first - 1] === -1) first--;
    if (first === this.rawEnds.length) return;
    const start = first === 0 ? this.rawBase : (this.rawEnds[first - 1] as number);
    for (let i = first; i < this.rawEnds.length - 1; i++) this.rawEnds[i] = start;
    this.rawEnds[this.rawEnds.length - 1] = rawEnd;
  }

  rawStart(index: number): number {
    return index === 0 ? this.rawBase : (this.rawEnds[index - 1] as number);
  }

  kvIndex(index: number): number {
    return this.kv[index] as number;
  }

  tokens(from = 0, to = this.tokenList.length): Token[] {
    return this.tokenList.slice(from, to);
  }

  /** The cut for a raw offset: tokens ending at or before it are kept. */
  cutAt(rawOffset: number, rawText: string): LedgerCut {
    let index = this.tokenList.length;
    // Binary search for the first token whose text ends after the offset.
    let lo = 0;
    let hi = this.tokenList.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const end = this.rawEnds[mid] as number;
      if (end === -1 || end > rawOffset) hi = mid;
      else lo = mid + 1;
    }
    index = lo;
    // Never split a multi-byte character: zero-width tokens before the cut go with it.
    while (index > 0 && this.rawStart(index - 1) === (this.rawEnds[index - 1] as number) && index < this.tokenList.length) index--;
    const start = this.rawStart(index);
    const straddle = index < this.tokenList.length && start < rawOffset ? rawText.slice(start, rawOffset) : "";
    return { index, straddle, keptRawEnd: index < this.tokenList.length ? start : rawOffset };
  }

  truncate(index: number): void {
    this.tokenList.length = index;
    this.kv.length = index;
    this.rawEnds.length = index;
  }
}
