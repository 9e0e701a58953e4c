/**
 * Builds a tiny llama GGUF that replays a script under greedy decoding, for tests and the demo.
 *
 * How it works: one transformer layer whose attention and feed-forward weights are zero, so the
 * residual stream is just the current token's embedding. Every "state" (a position of the
 * script, or the shared state of all ordinary tokens) gets a one-hot embedding direction, and
 * `output.weight` puts a large logit on the state's successor. Greedy decoding therefore walks
 * the script one token per step, whatever came before: only the last token matters.
 *
 * A chain may also give another token a chosen probability after one of its tokens (see
 * {@link ScriptAlternative} and {@link alternativeLogit}): the reasoning scripts use it to set the
 * probability of `</think>` at a step boundary, the model's own end-of-thinking signal.
 *
 * Tokenizer: llama.cpp's `rwkv` (greedy longest match, no merges, no BOS). Stored token texts
 * must be distinct, so repeated words get escaped spellings (see rwkvSpelling.ts). When several
 * tokens unescape to the same text the tokenizer picks the one stored last: ordinary byte tokens
 * and "entries" are stored after the script's tokens, so tokenizing a text never lands inside
 * the script except through an entry on purpose.
 */
import { encodeGguf } from "./ggufWriter";
import type { GgufTensor, GgufValue } from "./ggufWriter";
import { spelling, spellingCount, unescapeRwkv } from "./rwkvSpelling";

export interface ScriptChain {
  /** Token texts, in order. A text equal to a special token's text is that special token. */
  readonly tokens: readonly string[];
  /** The chain that follows the last token (may be this chain: a loop), or "eos". */
  readonly next: string;
  /** Other tokens given a chosen probability after some of this chain's tokens (at most one per token). */
  readonly alternatives?: readonly ScriptAlternative[];
}

/**
 * After token `after` of a chain, the special token `token` gets probability `probability`
 * under the model's softmax (the distribution of the token that follows). Below about ½ the
 * script's own next token keeps the top logit, so greedy decoding still replays the script;
 * above it, the alternative is the top token and greedy decoding takes it (a `</think>` there
 * ends the thinking). The logit arithmetic is {@link alternativeLogit}.
 */
export interface ScriptAlternative {
  /** Index in the chain's `tokens` of the token whose next-token distribution is set. */
  readonly after: number;
  /** Text of a special token of the spec (e.g. `</think>`); it keeps its own successor. */
  readonly token: string;
  /** Its probability there, 0 < p < 1 (not within 10⁻³ nats of a tie with the script's token). */
  readonly probability: number;
}

export interface SpecialTokenSpec {
  readonly text: string;
  /** control: hidden unless special tokens are rendered (chat markers, end of turn); userDefined: always rendered (`<think>`). */
  readonly kind: "control" | "userDefined";
}

export interface ScriptedModelSpec {
  /** general.name */
  readonly name: string;
  /** general.description: say plainly that it is a scripted replay, not a language model. */
  readonly description: string;
  readonly chatTemplate: string;
  readonly specials: readonly SpecialTokenSpec[];
  /** Text of the special token that ends a turn (end of generation). */
  readonly eos: string;
  /** Chain that follows any ordinary token (so whatever a prompt ends with, the script starts). */
  readonly start: string;
  readonly chains: Readonly<Record<string, ScriptChain>>;
  /**
   * Texts whose tokenizer-visible token leads into a chain: e.g. `"\n\n": "answer"` makes the
   * `\n\n` that closes an injected `</think>\n\n` lead to the scripted answer.
   */
  readonly entries?: Readonly<Record<string, string>>;
  /** llama.context_length (default 4096). */
  readonly contextLength?: number;
  /** Logit given to the successor (default 50; 16 drifts at high temperature). */
  readonly logit?: number;
  /**
   * A heavier model that replays the same script, for benchmarks: more layers and wider
   * matrices cost real compute (the extra weights are zero, so the replay is unchanged).
   */
  readonly shape?: { readonly minEmbeddingLength?: number; readonly blockCount?: number; readonly feedForwardLength?: number };
  /**
   * Pad the vocabulary to at least this many tokens with unused ones (never produced by
   * tokenizing valid UTF-8, logit 0 everywhere): a real model's vocabulary size (Qwen's is
   * 151,936) for benchmarks of what costs per vocabulary entry. The replay is unchanged.
   */
  readonly padVocabularyTo?: number;
  /** general.architecture (default llama); anything else is for tests of unsupported files. */
  readonly architecture?: string;
  /** Leave tokenizer.chat_template out (tests of the missing-template error). */
  readonly omitChatTemplate?: boolean;
}

export interface ScriptedModelInfo {
  readonly tokenCount: number;
  readonly stateCount: number;
  readonly embeddingLength: number;
  readonly scriptTokenCount: number;
  readonly byteLength: number;
  /** The successor's logit as llama.cpp computes it (the spec's `logit` through the RMS norm). */
  readonly successorLogit: number;
  /** Every alternative with the logit written for it and the probabilities that logit gives. */
  readonly alternatives: readonly AlternativeInfo[];
}

export interface AlternativeInfo {
  readonly chain: string;
  readonly after: number;
  readonly token: string;
  readonly tokenId: number;
  /** Its logit (the script's next token has {@link ScriptedModelInfo.successorLogit}, every other token 0). */
  readonly logit: number;
  /** The alternative's probability that logit gives (the one asked for, up to float32 rounding of the weight). */
  readonly probability: number;
  /** The probability left to the script's own next token. */
  readonly scriptProbability: number;
}

export class ScriptedModelError extends Error {
  override readonly name = "ScriptedModelError";
}

const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;
const DEFAULT_FFN_LENGTH = 32;
const HEAD_COUNT = 2;
const MAX_STATES = 4096;
const RMS_EPSILON = Math.fround(1e-5);
/** Alternatives this close (nats) to the script token's logit would make greedy decoding a tie. */
const TIE_BAND = 1e-3;
/** Unused tokens that pad the vocabulary: 0xFF never occurs in UTF-8 text, so tokenizing never picks them. */
const PAD_PREFIX = "\\xff#";

interface VocabToken {
  readonly stored: string;
  readonly text: string;
  readonly type: number;
  /** Embedding direction. */
  readonly state: number;
}

interface Successor {
  readonly state: number;
  /** Token id the state leads to, resolved after the vocabulary is laid out. */
  readonly to: { readonly chain: string } | { readonly eos: true };
}

function byteText(b: number): string {
  return Buffer.from([b]).toString("latin1");
}

/** Stored spelling of the ordinary one-byte token for byte b (bytes ≥ 0x80 are not valid UTF-8 alone: hex). */
function byteStored(b: number): string {
  if (b === 0x5c) return "\\\\";
  if (b >= 0x20 && b < 0x7f) return String.fromCharCode(b);
  return `\\x${b.toString(16).padStart(2, "0")}`;
}

function checkSpec(spec: ScriptedModelSpec): void {
  const chainNames = new Set(Object.keys(spec.chains));
  const known = (name: string): boolean => name === "eos" || chainNames.has(name);
  if (!chainNames.has(spec.start)) throw new ScriptedModelError(`start chain "${spec.start}" is not defined`);
  const specials = new Set<string>();
  for (const s of spec.specials) {
    if (s.text.length === 0) throw new ScriptedModelError("a special token has an empty text");
    if (specials.has(s.text)) throw new ScriptedModelError(`special token "${s.text}" is listed twice`);
    specials.add(s.text);
  }
  if (!specials.has(spec.eos)) throw new ScriptedModelError(`eos "${spec.eos}" is not one of the special tokens`);
  const specialUse = new Map<string, string>();
  for (const [name, chain] of Object.entries(spec.chains)) {
    if (chain.tokens.length === 0) throw new ScriptedModelError(`chain "${name}" has no tokens`);
    if (!known(chain.next)) throw new ScriptedModelError(`chain "${name}" continues with unknown chain "${chain.next}"`);
    chain.tokens.forEach((t, i) => {
      if (t.length === 0) throw new ScriptedModelError(`chain "${name}" token ${i} is empty`);
      if (specials.has(t)) {
        const before = specialUse.get(t);
        if (before !== undefined) throw new ScriptedModelError(`special token "${t}" is used twice (${before} and ${name}[${i}]): a special token has one successor`);
        specialUse.set(t, `${name}[${i}]`);
        return;
      }
      for (const s of specials) {
        if (t.includes(s)) throw new ScriptedModelError(`chain "${name}" token ${i} ${JSON.stringify(t)} contains the special token "${s}": make it its own token`);
      }
    });
  }
  for (const [name, chain] of Object.entries(spec.chains)) {
    const seen = new Set<number>();
    for (const a of chain.alternatives ?? []) {
      const where = `chain "${name}" alternative after token ${a.after}`;
      if (!Number.isInteger(a.after) || a.after < 0 || a.after >= chain.tokens.length) throw new ScriptedModelError(`${where}: the chain has tokens 0 to ${chain.tokens.length - 1}`);
      if (seen.has(a.after)) throw new ScriptedModelError(`${where}: one alternative per token`);
      seen.add(a.after);
      if (!specials.has(a.token)) throw new ScriptedModelError(`${where}: ${JSON.stringify(a.token)} is not a special token of the spec`);
      if (!(a.probability > 0 && a.probability < 1)) throw new ScriptedModelError(`${where}: probability ${a.probability} is not between 0 and 1`);
    }
  }
  if (spec.padVocabularyTo !== undefined && (!Number.isInteger(spec.padVocabularyTo) || spec.padVocabularyTo < 0 || spec.padVocabularyTo > 1_000_000)) {
    throw new ScriptedModelError(`padVocabularyTo ${spec.padVocabularyTo} is not a whole number from 0 to 1,000,000`);
  }
  for (const [text, chain] of Object.entries(spec.entries ?? {})) {
    if (text.length === 0) throw new ScriptedModelError("an entry has an empty text");
    if (specials.has(text)) throw new ScriptedModelError(`entry "${text}" is a special token: put the special token in a chain instead`);
    if (!chainNames.has(chain)) throw new ScriptedModelError(`entry ${JSON.stringify(text)} leads to unknown chain "${chain}"`);
  }
}

/** Builds the vocabulary and the state graph; validates everything before any byte is written. */
interface PlacedAlternative {
  readonly chain: string;
  readonly after: number;
  readonly token: string;
  readonly tokenId: number;
  /** The state whose next-token distribution it changes. */
  readonly state: number;
  readonly probability: number;
}

interface Layout {
  readonly tokens: VocabToken[];
  readonly successors: Successor[];
  readonly chainStartToken: Map<string, number>;
  readonly stateCount: number;
  readonly scriptTokenCount: number;
  readonly alternatives: PlacedAlternative[];
}

function layOut(spec: ScriptedModelSpec): Layout {
  checkSpec(spec);
  const tokens: VocabToken[] = [];
  const successors: Successor[] = [];
  const stored = new Set<string>();
  const usedSpellings = new Map<string, number>();
  let stateCount = 1; // state 0: every ordinary token
  const add = (t: VocabToken): number => {
    if (stored.has(t.stored)) throw new ScriptedModelError(`duplicate stored token text ${JSON.stringify(t.stored)} (llama.cpp would abort)`);
    const decoded = unescapeRwkv(t.stored).toString("utf8");
    if (t.type === TOKEN_TYPE.normal && decoded !== t.text && !(t.text.length === 1 && unescapeRwkv(t.stored).equals(Buffer.from(t.text, "latin1")))) {
      throw new ScriptedModelError(`stored text ${JSON.stringify(t.stored)} unescapes to ${JSON.stringify(decoded)}, not ${JSON.stringify(t.text)}`);
    }
    stored.add(t.stored);
    tokens.push(t);
    return tokens.length - 1;
  };
  const entryTexts = new Set(Object.keys(spec.entries ?? {}));
  const byteStoredTexts = new Set<string>();
  for (let b = 0; b < 256; b++) byteStoredTexts.add(byteStored(b));
  const specialTexts = new Set(spec.specials.map((s) => s.text));
  const nextSpelling = (text: string): string => {
    const count = spellingCount(text);
    let i = usedSpellings.get(text) ?? 0;
    for (; i < count; i++) {
      const candidate = spelling(text, i);
      if (!stored.has(candidate) && !byteStoredTexts.has(candidate) && !specialTexts.has(candidate) && !(i === 0 && entryTexts.has(text))) {
        usedSpellings.set(text, i + 1);
        return candidate;
      }
    }
    throw new ScriptedModelError(
      `the script uses ${JSON.stringify(text)} more often than its ${count} distinct rwkv spellings allow: merge it with a neighbouring token`,
    );
  };

  // 1. Special tokens (their successors are set by the chain that uses them, else state 0's).
  const specialIndex = new Map<string, number>();
  for (const s of spec.specials) {
    specialIndex.set(s.text, add({ stored: s.text, text: s.text, type: s.kind === "control" ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined, state: 0 }));
  }
  // 2. Script positions, each with its own state.
  const chainStartToken = new Map<string, number>();
  let scriptTokenCount = 0;
  const alternatives: PlacedAlternative[] = [];
  for (const [name, chain] of Object.entries(spec.chains)) {
    const ids: number[] = [];
    for (const text of chain.tokens) {
      const state = stateCount++;
      const special = specialIndex.get(text);
      if (special !== undefined) {
        const old = tokens[special] as VocabToken;
        tokens[special] = { ...old, state };
        ids.push(special);
      } else {
        ids.push(add({ stored: nextSpelling(text), text, type: TOKEN_TYPE.normal, state }));
        scriptTokenCount++;
      }
    }
    chainStartToken.set(name, ids[0] as number);
    for (const a of chain.alternatives ?? []) {
      const state = (tokens[ids[a.after] as number] as VocabToken).state;
      alternatives.push({ chain: name, after: a.after, token: a.token, tokenId: specialIndex.get(a.token) as number, state, probability: a.probability });
    }
    ids.forEach((id, i) => {
      const state = (tokens[id] as VocabToken).state;
      const nextId = ids[i + 1];
      if (nextId !== undefined) successors.push({ state, to: { chain: `#${nextId}` } });
      else successors.push({ state, to: chain.next === "eos" ? { eos: true } : { chain: chain.next } });
    });
  }
  // 3. Entries, stored after the script so the tokenizer picks them.
  for (const [text, chain] of Object.entries(spec.entries ?? {})) {
    const state = stateCount++;
    const single = Buffer.from(text, "utf8");
    const storedText = single.length === 1 ? byteStored(single[0] as number) : spelling(text, 0);
    add({ stored: storedText, text, type: TOKEN_TYPE.normal, state });
    successors.push({ state, to: { chain } });
  }
  // 4. Ordinary one-byte tokens, last, so any text can be tokenized.
  for (let b = 0; b < 256; b++) {
    const s = byteStored(b);
    if (stored.has(s)) continue; // replaced by an entry
    add({ stored: s, text: byteText(b), type: TOKEN_TYPE.normal, state: 0 });
  }
  // 5. Padding, unused: never the result of tokenizing text, never given a logit.
  for (let i = 0; tokens.length < (spec.padVocabularyTo ?? 0); i++) add({ stored: `${PAD_PREFIX}${i}`, text: "", type: TOKEN_TYPE.unused, state: 0 });
  successors.push({ state: 0, to: { chain: spec.start } });
  if (stateCount > MAX_STATES) throw new ScriptedModelError(`the script needs ${stateCount} states; at most ${MAX_STATES} are supported`);
  return { tokens, successors, chainStartToken, stateCount, scriptTokenCount, alternatives };
}

/**
 * The logit that gives a token probability `p` in a state where the script's next token has
 * logit `L` and the other `V − 2` tokens of the vocabulary have logit 0 (the scripted model's
 * output matrix is zero elsewhere). From the softmax over the vocabulary:
 *
 *   p = eˣ / (eᴸ + eˣ + (V − 2))   ⇔   eˣ (1 − p) = p (eᴸ + V − 2)
 *                                   ⇔   x = ln(p / (1 − p)) + ln(eᴸ + V − 2)
 *
 * and the script's token keeps q = eᴸ (1 − p) / (eᴸ + V − 2) ≈ 1 − p (with L = 50, eᴸ ≈ 5·10²¹
 * dwarfs any vocabulary). It stays the top token, so greedy decoding follows the script, while
 * x < L, i.e. p < eᴸ / (2eᴸ + V − 2) ≈ ½; the margin a ThinkBrake-style rule reads is
 * ln q − ln p = L − x.
 */
export function alternativeLogit(p: number, successorLogit: number, vocabularySize: number): number {
  const others = Math.max(0, vocabularySize - 2);
  return Math.log(p / (1 - p)) + successorLogit + Math.log1p(others * Math.exp(-successorLogit));
}

/** The probabilities a state's softmax gives the alternative and the script's token (see {@link alternativeLogit}). */
export function alternativeProbabilities(alternativeLogitValue: number, successorLogit: number, vocabularySize: number): { readonly alternative: number; readonly script: number } {
  const top = Math.max(alternativeLogitValue, successorLogit, 0);
  const ea = Math.exp(alternativeLogitValue - top);
  const es = Math.exp(successorLogit - top);
  const sum = ea + es + Math.max(0, vocabularySize - 2) * Math.exp(-top);
  return { alternative: ea / sum, script: es / sum };
}

/** Encodes the scripted model. Validates the script first (duplicate stored texts would crash llama.cpp). */
export function buildScriptedModel(spec: ScriptedModelSpec): { gguf: Buffer; info: ScriptedModelInfo } {
  const { tokens, successors, chainStartToken, stateCount, scriptTokenCount, alternatives } = layOut(spec);
  const vocab = tokens.length;
  const shape = spec.shape ?? {};
  const d = Math.ceil(Math.max(64, shape.minEmbeddingLength ?? 0, stateCount) / 32) * 32;
  const ffn = shape.feedForwardLength ?? DEFAULT_FFN_LENGTH;
  const blocks = Math.max(1, shape.blockCount ?? 1);
  const eosId = tokens.findIndex((t) => t.stored === spec.eos);
  const logit = spec.logit ?? 50;

  const embd = new Float32Array(d * vocab);
  tokens.forEach((t, id) => {
    embd[id * d + t.state] = 1;
  });
  // rms_norm(one-hot) = one-hot / sqrt(1/d + ε) ≈ sqrt(d) · one-hot, so this weight gives the
  // successor a logit of `logit` (49.98 exactly with d = 64 and ε = 10⁻⁵: `successorLogit`).
  const weight = logit / Math.sqrt(d);
  const normScale = 1 / Math.sqrt(1 / d + RMS_EPSILON);
  const successorLogit = Math.fround(weight) * normScale;
  const out = new Float32Array(d * vocab);
  const successorOf = new Map<number, number>();
  for (const s of successors) {
    let target: number;
    if ("eos" in s.to) target = eosId;
    else if (s.to.chain.startsWith("#")) target = Number(s.to.chain.slice(1));
    else target = chainStartToken.get(s.to.chain) as number;
    out[target * d + s.state] = weight;
    successorOf.set(s.state, target);
  }
  const alternativeInfo: AlternativeInfo[] = alternatives.map((a) => {
    const where = `chain "${a.chain}" alternative after token ${a.after}`;
    if (successorOf.get(a.state) === a.tokenId) throw new ScriptedModelError(`${where}: ${JSON.stringify(a.token)} is already the script's next token there`);
    const wanted = alternativeLogit(a.probability, successorLogit, vocab);
    if (Math.abs(wanted - successorLogit) < TIE_BAND) {
      throw new ScriptedModelError(`${where}: probability ${a.probability} ties with the script's own token (logits ${wanted.toFixed(4)} and ${successorLogit.toFixed(4)}): greedy decoding would be undecided`);
    }
    const w = Math.fround(wanted / normScale);
    out[a.tokenId * d + a.state] = w;
    const written = w * normScale;
    const p = alternativeProbabilities(written, successorLogit, vocab);
    return { chain: a.chain, after: a.after, token: a.token, tokenId: a.tokenId, logit: written, probability: p.alternative, scriptProbability: p.script };
  });
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const zeros = (n: number): Float32Array => new Float32Array(n);
  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", dims: [d, vocab], data: embd },
    { name: "output_norm.weight", dims: [d], data: ones(d) },
    { name: "output.weight", dims: [d, vocab], data: out },
  ];
  for (let b = 0; b < blocks; b++) {
    tensors.push(
      { name: `blk.${b}.attn_norm.weight`, dims: [d], data: ones(d) },
      { name: `blk.${b}.attn_q.weight`, dims: [d, d], data: zeros(d * d) },
      { name: `blk.${b}.attn_k.weight`, dims: [d, d], data: zeros(d * d) },
      { name: `blk.${b}.attn_v.weight`, dims: [d, d], data: zeros(d * d) },
      { name: `blk.${b}.attn_output.weight`, dims: [d, d], data: zeros(d * d) },
      { name: `blk.${b}.ffn_norm.weight`, dims: [d], data: ones(d) },
      { name: `blk.${b}.ffn_gate.weight`, dims: [d, ffn], data: zeros(d * ffn) },
      { name: `blk.${b}.ffn_up.weight`, dims: [d, ffn], data: zeros(d * ffn) },
      { name: `blk.${b}.ffn_down.weight`, dims: [ffn, d], data: zeros(d * ffn) },
    );
  }
  const arch = spec.architecture ?? "llama";
  const metadata: Array<readonly [string, GgufValue]> = [
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: spec.name }],
    ["general.description", { type: "string", value: spec.description }],
    ["general.alignment", { type: "u32", value: 32 }],
    [`${arch}.context_length`, { type: "u32", value: spec.contextLength ?? 4096 }],
    [`${arch}.embedding_length`, { type: "u32", value: d }],
    [`${arch}.block_count`, { type: "u32", value: blocks }],
    [`${arch}.feed_forward_length`, { type: "u32", value: ffn }],
    [`${arch}.attention.head_count`, { type: "u32", value: HEAD_COUNT }],
    [`${arch}.attention.head_count_kv`, { type: "u32", value: HEAD_COUNT }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: "f32", value: 1e-5 }],
    [`${arch}.rope.dimension_count`, { type: "u32", value: d / HEAD_COUNT }],
    [`${arch}.vocab_size`, { type: "u32", value: vocab }],
    ["tokenizer.ggml.model", { type: "string", value: "rwkv" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: tokens.map((t) => t.stored) }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: tokens.map((t) => t.type) }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: eosId }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
  ];
  if (!spec.omitChatTemplate) metadata.push(["tokenizer.chat_template", { type: "string", value: spec.chatTemplate }]);
  const gguf = encodeGguf({ metadata, tensors });
  return { gguf, info: { tokenCount: vocab, stateCount, embeddingLength: d, scriptTokenCount, byteLength: gguf.length, successorLogit, alternatives: alternativeInfo } };
}
