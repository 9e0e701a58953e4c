/**
 * Builds a tiny llama GGUF that replays a script under greedy decoding, for tests and the demo.
 *
 * How it works: one transformer layer whose attention and feed-forward weights are zero, so the
 * residual stream is just the current token's embedding. Every "state" (a position of the
 * script, or the shared state of all ordinary tokens) gets a one-hot embedding direction, and
 * `output.weight` puts a large logit on the state's successor. Greedy decoding therefore walks
 * the script one token per step, whatever came before: only the last token matters.
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
}

export class ScriptedModelError extends Error {
  override readonly name = "ScriptedModelError";
}

const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4 } as const;
const DEFAULT_FFN_LENGTH = 32;
const HEAD_COUNT = 2;
const MAX_STATES = 4096;

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
  for (const [text, chain] of Object.entries(spec.entries ?? {})) {
    if (text.length === 0) throw new ScriptedModelError("an entry has an empty text");
    if (specials.has(text)) throw new ScriptedModelError(`entry "${text}" is a special token: put the special token in a chain instead`);
    if (!chainNames.has(chain)) throw new ScriptedModelError(`entry ${JSON.stringify(text)} leads to unknown chain "${chain}"`);
  }
}

/** Builds the vocabulary and the state graph; validates everything before any byte is written. */
function layOut(spec: ScriptedModelSpec): { tokens: VocabToken[]; successors: Successor[]; chainStartToken: Map<string, number>; stateCount: number; scriptTokenCount: number } {
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
  successors.push({ state: 0, to: { chain: spec.start } });
  if (stateCount > MAX_STATES) throw new ScriptedModelError(`the script needs ${stateCount} states; at most ${MAX_STATES} are supported`);
  return { tokens, successors, chainStartToken, stateCount, scriptTokenCount };
}

/** Encodes the scripted model. Validates the script first (duplicate stored texts would crash llama.cpp). */
export function buildScriptedModel(spec: ScriptedModelSpec): { gguf: Buffer; info: ScriptedModelInfo } {
  const { tokens, successors, chainStartToken, stateCount, scriptTokenCount } = layOut(spec);
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
  // rms_norm(one-hot) = sqrt(d) · one-hot, so this weight gives the successor a logit of `logit`.
  const weight = logit / Math.sqrt(d);
  const out = new Float32Array(d * vocab);
  for (const s of successors) {
    let target: number;
    if ("eos" in s.to) target = eosId;
    else if (s.to.chain.startsWith("#")) target = Number(s.to.chain.slice(1));
    else target = chainStartToken.get(s.to.chain) as number;
    out[target * d + s.state] = weight;
  }
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
  return { gguf, info: { tokenCount: vocab, stateCount, embeddingLength: d, scriptTokenCount, byteLength: gguf.length } };
}
