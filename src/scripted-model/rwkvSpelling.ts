/**
 * Token texts for llama.cpp's `rwkv` tokenizer. The tokenizer stores each token text escaped
 * (`\n`, `\t`, `\r`, `\xhh` with lower-case hex, `\c` for any other character c) and unescapes
 * it before matching. llama.cpp requires the *stored* texts to be distinct (a duplicate aborts
 * the process), while several stored spellings may unescape to the same text: that is how a
 * scripted model gives a repeated word its own token ids.
 */

/** Mirrors llama.cpp's `llama_unescape_rwkv_token` (byte for byte, including its lenient hex parsing). */
export function unescapeRwkv(stored: string): Buffer {
  const input = Buffer.from(stored, "utf8");
  const out: number[] = [];
  let escaping = false;
  let hexRemaining = 0;
  let hexAcc = 0;
  for (const c of input) {
    if (hexRemaining !== 0) {
      const value = c >= 0x61 ? c - 0x61 + 10 : c - 0x30;
      hexAcc = ((hexAcc << 4) + value) & 0xff;
      hexRemaining -= 1;
      if (hexRemaining === 0) {
        out.push(hexAcc);
        hexAcc = 0;
      }
      continue;
    }
    if (escaping) {
      if (c === 0x74) out.push(0x09);
      else if (c === 0x6e) out.push(0x0a);
      else if (c === 0x72) out.push(0x0d);
      else if (c === 0x78) hexRemaining = 2;
      else out.push(c);
      escaping = false;
      continue;
    }
    if (c === 0x5c) {
      escaping = true;
      continue;
    }
    out.push(c);
  }
  return Buffer.from(out);
}

function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += `\\x${b.toString(16).padStart(2, "0")}`;
  return s;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** The distinct stored spellings of one character, plain first. */
export function characterSpellings(ch: string): string[] {
  const forms: string[] = [];
  if (ch !== "\\") forms.push(ch);
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) forms.push(named);
  else if (ch.length === 1 && ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) < 0x7f && !"tnrx".includes(ch)) forms.push(`\\${ch}`);
  forms.push(hexOf(Buffer.from(ch, "utf8")));
  return forms;
}

/** How many distinct stored spellings `text` has (capped at Number.MAX_SAFE_INTEGER). */
export function spellingCount(text: string): number {
  let n = 1;
  for (const ch of text) {
    n *= characterSpellings(ch).length;
    if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  }
  return n;
}

/**
 * The `index`-th stored spelling of `text` (index 0 is the plain text, where the text has no
 * backslash). Spellings with different indexes are different strings, and all unescape to `text`.
 */
export function spelling(text: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= spellingCount(text)) {
    throw new RangeError(`"${JSON.stringify(text)}" has ${spellingCount(text)} spellings; index ${index} is out of range`);
  }
  const chars = [...text];
  let rest = index;
  const parts: string[] = [];
  // The last character varies fastest, so early spellings keep the start of the word readable.
  for (let i = chars.length - 1; i >= 0; i--) {
    const forms = characterSpellings(chars[i] as string);
    parts.push(forms[rest % forms.length] as string);
    rest = Math.floor(rest / forms.length);
  }
  return parts.reverse().join("");
}
