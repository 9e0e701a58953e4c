/**
 * Checks that a file is a GGUF model whose header is sane, before anything parses it for real.
 * Plain node:fs, no node-llama-cpp: the extension calls `checkGgufFile` when a model is chosen,
 * and the engine process calls it before loading.
 *
 * The header is walked once, front to back (magic, version, tensor count, KV count, every KV
 * key and typed value including arrays, then every tensor info), reading the file in bounded
 * chunks. Every length and count it declares is checked against the bytes the file still has
 * before it is used, and nothing is ever allocated from a length the file declares: a 1 MB file
 * claiming a 512 MiB key string is rejected in microseconds (node-llama-cpp's own reader took
 * 21 s and 3.6 GiB on it). Tensor *data* is not checked here: llama.cpp does that when it loads
 * and its reason ("tensor … data is not within the file bounds") reaches the load error.
 *
 * On the way it keeps what a model list shows (name, architecture, size label, quantisation,
 * context length, layer count, weights counted from the tensor shapes, whether the chat template
 * has a `<think>` segment), each only when short: nothing long is ever held in memory.
 */
import { open, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { formatBytes } from "../../core/format";

/** The bytes of a file, read on demand. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer only at the end of the source). */
  read(position: number, length: number): Promise<Uint8Array>;
}

export interface GgufHeaderSummary {
  readonly version: number;
  readonly tensorCount: number;
  readonly kvCount: number;
  /** general.architecture, when it is a short string. */
  readonly architecture: string | null;
  /** general.name, when it is a short string. */
  readonly name: string | null;
  /** Where the tensor data starts (the header, tensor infos and alignment padding end). */
  readonly dataOffset: number;
  /** general.size_label as the converter wrote it ("8B", "8x7B", "1.5B"), when it is a short string. */
  readonly sizeLabel: string | null;
  /**
   * The number of weights in this file: the product of each tensor's dimensions, summed (llama.cpp's
   * converters store no parameter count, only the size label). For one shard of a split model,
   * only that shard's tensors.
   */
  readonly parameterCount: number | null;
  /** general.file_type: llama.cpp's `llama_ftype` number (15 is Q4_K_M); `quantization` names it. */
  readonly fileType: number | null;
  /** The quantisation `fileType` stands for ("Q4_K_M", "F16"), null when absent or unknown. */
  readonly quantization: string | null;
  /** `<architecture>.context_length`: the context the model was trained for. */
  readonly contextLength: number | null;
  /** `<architecture>.block_count`: its layer count. */
  readonly blockCount: number | null;
  /**
   * Whether tokenizer.chat_template mentions `<think>` (the thinking segment of DeepSeek-R1, QwQ,
   * Qwen3). Null when the file has no chat template, or one too long to scan. Only this is
   * kept: the template itself is scanned as it streams past and never stored.
   */
  readonly chatTemplateThinks: boolean | null;
}

export type GgufHeaderProblemKind = "bad-magic" | "version" | "truncated" | "invalid";

export type GgufHeaderResult =
  | ({ readonly ok: true } & GgufHeaderSummary)
  | { readonly ok: false; readonly kind: GgufHeaderProblemKind; readonly problem: string };

/** Versions llama.cpp reads (v1 was dropped in 2023; v2 and v3 share the layout). */
export const SUPPORTED_GGUF_VERSIONS: readonly number[] = [2, 3];

const CHUNK = 64 * 1024;
/** Longest string decoded (keys, the architecture): longer ones are only bounds-checked and skipped. */
const MAX_DECODED_STRING = 256;
/** Longest chat template scanned for a thinking marker (real ones are a few KiB to some tens of KiB). */
const MAX_SCANNED_TEMPLATE = 1024 * 1024;
const THINK_MARKER = new TextEncoder().encode("<think>");
/** How many `*.context_length` / `*.block_count` values are kept until the architecture is known. */
const MAX_ARCH_CANDIDATES = 8;
/** llama.cpp's GGML_MAX_DIMS. */
const MAX_TENSOR_DIMS = 4;
const DEFAULT_ALIGNMENT = 32;

/** GGUF value types and their fixed sizes (string and array are variable). */
const TYPE_NAMES = ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"] as const;
const FIXED_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const TYPE_STRING = 8;
const TYPE_ARRAY = 9;
const TYPE_U32 = 4;
/** u8, i8, u16, i16, u32, i32, u64, i64: the integer types a count may be stored as. */
const INTEGER_TYPES: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 10, 11]);
/** The smallest encoding of a value of each type: a string is at least its 8-byte length. */
function minSize(type: number): number {
  return type === TYPE_STRING ? 8 : type === TYPE_ARRAY ? 12 : (FIXED_SIZE[type] ?? 1);
}
/** A KV needs at least a key length (8), a type (4) and one byte of value; a tensor info a name length (8), n_dims (4), type (4), offset (8). */
const MIN_KV_BYTES = 13;
const MIN_TENSOR_INFO_BYTES = 24;

class HeaderProblem extends Error {
  constructor(
    readonly kind: GgufHeaderProblemKind,
    problem: string,
  ) {
    super(problem);
  }
}

/** What is being read, for the message when it does not fit (built only then). */
type What = string | (() => string);
const said = (what: What): string => (typeof what === "string" ? what : what());
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const decoder = new TextDecoder();

/** Sequential little-endian reader over a ByteSource, holding at most one chunk. */
class ChunkReader {
  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.buf.buffer);
  /** File position of buf[0]. */
  private start = 0;
  pos = 0;

  constructor(private readonly source: ByteSource) {}

  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** Index in `buf` of `n` (≤ CHUNK) bytes at `pos`, reading the next chunk when they are not all there. */
  private async at(n: number, what: What): Promise<number> {
    const at = this.pos - this.start;
    if (at >= 0 && at + n <= this.buf.length) return at;
    if (n > this.remaining) throw new HeaderProblem("truncated", `the file ends inside ${said(what)}`);
    const bytes = await this.source.read(this.pos, Math.min(CHUNK, this.remaining));
    if (bytes.length < n) throw new HeaderProblem("truncated", `the file ends inside ${said(what)}`);
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.start = this.pos;
    return 0;
  }

  async u32(what: What): Promise<number> {
    const at = await this.at(4, what);
    this.pos += 4;
    return this.view.getUint32(at, true);
  }

  /** A u64 as a number; values past 2^53 come back as Infinity (they exceed any file anyway). */
  async u64(what: What): Promise<number> {
    const at = await this.at(8, what);
    this.pos += 8;
    const value = this.view.getBigUint64(at, true);
    return value > MAX_SAFE ? Number.POSITIVE_INFINITY : Number(value);
  }

  /** An integer of GGUF type `type` (one of INTEGER_TYPES); out-of-range 64-bit values come back as ±Infinity. */
  async integer(type: number, what: What): Promise<number> {
    const size = FIXED_SIZE[type] ?? 0;
    const at = await this.at(size, what);
    this.pos += size;
    const v = this.view;
    switch (type) {
      case 0:
        return v.getUint8(at);
      case 1:
        return v.getInt8(at);
      case 2:
        return v.getUint16(at, true);
      case 3:
        return v.getInt16(at, true);
      case 4:
        return v.getUint32(at, true);
      case 5:
        return v.getInt32(at, true);
      case 10: {
        const value = v.getBigUint64(at, true);
        return value > MAX_SAFE ? Number.POSITIVE_INFINITY : Number(value);
      }
      default: {
        const value = v.getBigInt64(at, true);
        return value > MAX_SAFE ? Number.POSITIVE_INFINITY : value < -MAX_SAFE ? Number.NEGATIVE_INFINITY : Number(value);
      }
    }
  }

  /**
   * A GGUF string, bounds-checked, read in chunks and searched for `needle` (which may straddle
   * two chunks) without keeping it: true or false, or null when it is longer than `limit` (then
   * it is only skipped).
   */
  async stringContains(needle: Uint8Array, limit: number, what: What): Promise<boolean | null> {
    const length = await this.u64(() => `the length of ${said(what)}`);
    if (length > this.remaining) {
      throw new HeaderProblem("truncated", `${said(what)} claims ${describeLength(length)} but only ${formatBytes(this.remaining)} of the file is left`);
    }
    if (length > limit) {
      this.skip(length, what);
      return null;
    }
    let left = length;
    let found = false;
    let tail = new Uint8Array(0);
    while (left > 0) {
      const piece = await this.bytes(Math.min(CHUNK, left), what);
      left -= piece.length;
      if (found) continue;
      const window = tail.length === 0 ? piece : Buffer.concat([tail, piece]);
      found = Buffer.from(window.buffer, window.byteOffset, window.byteLength).indexOf(needle) >= 0;
      // A copy: the next chunk may reuse the memory `piece` lies in.
      tail = Uint8Array.from(window.subarray(Math.max(0, window.length - (needle.length - 1))));
    }
    return found;
  }

  async bytes(n: number, what: What): Promise<Uint8Array> {
    const at = await this.at(n, what);
    this.pos += n;
    return this.buf.subarray(at, at + n);
  }

  /** Moves past `n` bytes, which must exist. */
  skip(n: number, what: What): void {
    if (n > this.remaining) throw new HeaderProblem("truncated", `the file ends inside ${said(what)}`);
    this.pos += n;
  }

  /** Skips a string held entirely in the current chunk without awaiting; false when it is not (then call `string`). */
  skipBufferedString(): boolean {
    const at = this.pos - this.start;
    if (at < 0 || at + 8 > this.buf.length) return false;
    const length = this.view.getBigUint64(at, true);
    if (length > MAX_SAFE || at + 8 + Number(length) > this.buf.length) return false;
    this.pos += 8 + Number(length);
    return true;
  }

  /** A GGUF string: bounds-checked; decoded when short, skipped (never read into memory) when long. */
  async string(what: What): Promise<string | null> {
    const length = await this.u64(() => `the length of ${said(what)}`);
    if (length > this.remaining) {
      throw new HeaderProblem("truncated", `${said(what)} claims ${describeLength(length)} but only ${formatBytes(this.remaining)} of the file is left`);
    }
    if (length > MAX_DECODED_STRING) {
      this.skip(length, what);
      return null;
    }
    return decoder.decode(await this.bytes(length, what));
  }
}

function describeLength(bytes: number): string {
  return Number.isFinite(bytes) ? `${formatBytes(bytes)} (${bytes.toLocaleString("en-US")} bytes)` : "more than 2^53 bytes";
}

function describeCount(count: number): string {
  return Number.isFinite(count) ? count.toLocaleString("en-US") : "more than 2^53";
}

function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

async function skipValue(reader: ChunkReader, type: number, key: string): Promise<void> {
  const what = `the value of “${key}”`;
  if (type === TYPE_STRING) {
    await reader.string(what);
    return;
  }
  if (type === TYPE_ARRAY) {
    const elementType = await reader.u32(`the element type of “${key}”`);
    const count = await reader.u64(`the length of “${key}”`);
    if (elementType === TYPE_ARRAY) throw new HeaderProblem("invalid", `“${key}” is an array of arrays, which GGUF readers do not support`);
    if (elementType !== TYPE_STRING && FIXED_SIZE[elementType] === undefined) throw new HeaderProblem("invalid", `“${key}” is an array of unknown value type ${elementType}`);
    const least = count * minSize(elementType);
    if (least > reader.remaining) {
      throw new HeaderProblem("truncated", `“${key}” claims ${describeCount(count)} ${typeName(elementType)} values (at least ${describeLength(least)}) but only ${formatBytes(reader.remaining)} of the file is left`);
    }
    if (elementType === TYPE_STRING) {
      for (let i = 0; i < count; i++) if (!reader.skipBufferedString()) await reader.string(() => `element ${i} of “${key}”`);
    } else {
      reader.skip(least, what);
    }
    return;
  }
  const size = FIXED_SIZE[type];
  if (size === undefined) throw new HeaderProblem("invalid", `“${key}” has unknown value type ${type}`);
  reader.skip(size, what);
}

/** `llama.context_length` → {prefix: "llama", kind: "context_length"}; null for any other key. */
function architectureCount(key: string): { prefix: string; kind: "context_length" | "block_count" } | null {
  const dot = key.indexOf(".");
  if (dot <= 0 || dot !== key.lastIndexOf(".")) return null;
  const suffix = key.slice(dot + 1);
  if (suffix !== "context_length" && suffix !== "block_count") return null;
  return { prefix: key.slice(0, dot), kind: suffix };
}

/**
 * llama.cpp's `enum llama_ftype` (include/llama.h), as the quantisation names its own tools print
 * (`LLAMA_FTYPE_MOSTLY_Q4_K_M` = 15 → "Q4_K_M"). Numbers llama.h has retired (4–6: Q4_1_SOME_F16,
 * Q4_2, Q4_3; 33–35: the Q4_0_4_4/4_8/8_8 repacks) are kept so old files still get a name.
 * Past 39 the upstream numbering was still moving when this was written, so those stay unnamed.
 */
const FILE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  4: "Q4_1_SOME_F16",
  5: "Q4_2",
  6: "Q4_3",
  7: "Q8_0",
  8: "Q5_0",
  9: "Q5_1",
  10: "Q2_K",
  11: "Q3_K_S",
  12: "Q3_K_M",
  13: "Q3_K_L",
  14: "Q4_K_S",
  15: "Q4_K_M",
  16: "Q5_K_S",
  17: "Q5_K_M",
  18: "Q6_K",
  19: "IQ2_XXS",
  20: "IQ2_XS",
  21: "Q2_K_S",
  22: "IQ3_XS",
  23: "IQ3_XXS",
  24: "IQ1_S",
  25: "IQ4_NL",
  26: "IQ3_S",
  27: "IQ3_M",
  28: "IQ2_S",
  29: "IQ2_M",
  30: "IQ4_XS",
  31: "IQ1_M",
  32: "BF16",
  33: "Q4_0_4_4",
  34: "Q4_0_4_8",
  35: "Q4_0_8_8",
  36: "TQ1_0",
  37: "TQ2_0",
  38: "MXFP4_MOE",
  39: "NVFP4",
};

/** The quantisation name of a general.file_type value ("Q4_K_M" for 15); null when unknown. */
export function ggufFileTypeName(fileType: number): string | null {
  return FILE_TYPE_NAMES[fileType] ?? null;
}

/** Walks a GGUF header with every declared length and count checked against the source's size. */
export async function walkGgufHeader(source: ByteSource): Promise<GgufHeaderResult> {
  const reader = new ChunkReader(source);
  try {
    const magic = await reader.bytes(Math.min(4, source.size), "the magic number");
    if (magic.length < 4 || String.fromCharCode(...magic) !== "GGUF") return { ok: false, kind: "bad-magic", problem: "the file does not start with “GGUF”" };
    const version = await reader.u32("the version");
    if (!SUPPORTED_GGUF_VERSIONS.includes(version)) {
      const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
      if (SUPPORTED_GGUF_VERSIONS.includes(swapped >>> 0)) {
        return { ok: false, kind: "version", problem: `it is a big-endian GGUF file (version ${swapped >>> 0}), which llama.cpp cannot load on this little-endian machine` };
      }
      const why = version < 2 ? "an old format llama.cpp no longer reads" : "newer than the bundled llama.cpp reads";
      return { ok: false, kind: "version", problem: `it is GGUF version ${version}, ${why} (it reads versions ${SUPPORTED_GGUF_VERSIONS.join(" and ")})` };
    }
    const tensorCount = await reader.u64("the tensor count");
    const kvCount = await reader.u64("the metadata count");
    const least = kvCount * MIN_KV_BYTES + tensorCount * MIN_TENSOR_INFO_BYTES;
    if (least > reader.remaining) {
      return {
        ok: false,
        kind: "truncated",
        problem: `its header claims ${describeCount(kvCount)} metadata entries and ${describeCount(tensorCount)} tensors (at least ${describeLength(least)}) but only ${formatBytes(reader.remaining)} of the file is left`,
      };
    }

    let architecture: string | null = null;
    let name: string | null = null;
    let sizeLabel: string | null = null;
    let fileType: number | null = null;
    let chatTemplateThinks: boolean | null = null;
    /** `<prefix>.context_length` and `<prefix>.block_count` by prefix, until the architecture is known. */
    const contextLengths = new Map<string, number>();
    const blockCounts = new Map<string, number>();
    let alignment = DEFAULT_ALIGNMENT;
    for (let i = 0; i < kvCount; i++) {
      const key = (await reader.string(`metadata key ${i + 1} of ${kvCount}`)) ?? `metadata key ${i + 1} (over ${MAX_DECODED_STRING} bytes long)`;
      const type = await reader.u32(`the type of “${key}”`);
      const perArchitecture = INTEGER_TYPES.has(type) ? architectureCount(key) : null;
      if (type === TYPE_STRING && (key === "general.architecture" || key === "general.name" || key === "general.size_label")) {
        const value = await reader.string(`the value of “${key}”`);
        if (key === "general.architecture") architecture = value;
        else if (key === "general.name") name = value;
        else sizeLabel = value;
      } else if (type === TYPE_STRING && key === "tokenizer.chat_template") {
        chatTemplateThinks = await reader.stringContains(THINK_MARKER, MAX_SCANNED_TEMPLATE, `the value of “${key}”`);
      } else if (INTEGER_TYPES.has(type) && key === "general.file_type") {
        const value = await reader.integer(type, `the value of “${key}”`);
        fileType = Number.isSafeInteger(value) && value >= 0 ? value : null;
      } else if (perArchitecture !== null) {
        const value = await reader.integer(type, `the value of “${key}”`);
        const into = perArchitecture.kind === "context_length" ? contextLengths : blockCounts;
        if (Number.isSafeInteger(value) && value > 0 && (into.size < MAX_ARCH_CANDIDATES || perArchitecture.prefix === architecture)) into.set(perArchitecture.prefix, value);
      } else if (type === TYPE_U32 && key === "general.alignment") {
        alignment = await reader.u32(`the value of “${key}”`);
        if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw new HeaderProblem("invalid", `general.alignment is ${alignment}, not a power of two`);
      } else {
        await skipValue(reader, type, key);
      }
    }

    let parameterCount = 0;
    for (let i = 0; i < tensorCount; i++) {
      const tensorName = (await reader.string(`the name of tensor ${i + 1} of ${tensorCount}`)) ?? `tensor ${i + 1}`;
      const dims = await reader.u32(`the dimension count of “${tensorName}”`);
      if (dims > MAX_TENSOR_DIMS) throw new HeaderProblem("invalid", `tensor “${tensorName}” claims ${dims} dimensions (at most ${MAX_TENSOR_DIMS})`);
      const shape = `the shape, type and offset of tensor “${tensorName}”`;
      if (dims * 8 + 4 + 8 > reader.remaining) throw new HeaderProblem("truncated", `the file ends inside ${shape}`);
      let elements = 1;
      for (let d = 0; d < dims; d++) elements *= await reader.u64(shape);
      parameterCount += elements;
      reader.skip(4 + 8, shape);
    }

    const dataOffset = Math.ceil(reader.pos / alignment) * alignment;
    const perArchitecture = (values: Map<string, number>): number | null => (architecture === null ? null : (values.get(architecture) ?? null));
    return {
      ok: true,
      version,
      tensorCount,
      kvCount,
      architecture,
      name,
      dataOffset,
      sizeLabel,
      parameterCount: Number.isSafeInteger(parameterCount) ? parameterCount : null,
      fileType,
      quantization: fileType === null ? null : ggufFileTypeName(fileType),
      contextLength: perArchitecture(contextLengths),
      blockCount: perArchitecture(blockCounts),
      chatTemplateThinks,
    };
  } catch (error) {
    if (error instanceof HeaderProblem) return { ok: false, kind: error.kind, problem: error.message };
    throw error;
  }
}

/** A Buffer (or other bytes) as a ByteSource, for tests and in-memory checks. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)) };
}

function describeOtherFormat(head: Uint8Array): string | null {
  const text = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (text(0, 2) === "PK") return "It looks like a ZIP archive (a PyTorch .bin/.pt checkpoint?).";
  if (head.length >= 9 && head[8] === 0x7b) return "It looks like a safetensors file.";
  if (text(0, 4) === "ggml" || text(0, 4) === "lmgg") return "It looks like an old GGML file, which llama.cpp no longer reads.";
  if (text(0, 1) === "<" || text(0, 1) === "{") return "It looks like a text file (an HTML error page or JSON instead of the download?).";
  return null;
}

export type GgufFileCheck =
  | ({ readonly ok: true; readonly path: string; readonly fileBytes: number } & GgufHeaderSummary)
  | {
      readonly ok: false;
      readonly code: "model-path-missing" | "file-not-found" | "not-gguf";
      /** For the user as is: what is wrong and what to do. */
      readonly message: string;
      readonly details: Readonly<Record<string, string | number>>;
    };

const SMALLEST_GGUF = 24;

/**
 * Is `path` a GGUF model whose header can be trusted? Never throws; reads only the header (in
 * bounded chunks), so it is quick even on a many-GB file. Codes are the engine's error codes.
 */
export async function checkGgufFile(path: string): Promise<GgufFileCheck> {
  if (path.trim().length === 0) {
    return { ok: false, code: "model-path-missing", message: "No model file is set. Set selfBraking.model.path to a .gguf file (or run “Self-Braking: Choose Model File”).", details: {} };
  }
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, code: "not-gguf", message: `${path} is a folder, not a model file. Point selfBraking.model.path at the .gguf file inside it.`, details: { path } };
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, code: "file-not-found", message: `The model file ${path} does not exist. Check selfBraking.model.path.`, details: { path } };
    return { ok: false, code: "file-not-found", message: `The model file ${path} cannot be read (${code ?? String(error)}).`, details: { path } };
  }
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return { ok: false, code: "file-not-found", message: `The model file ${path} cannot be opened (${err.code ?? err.message}).`, details: { path } };
  }
  try {
    const file = handle;
    const source: ByteSource = {
      size,
      read: async (position, length) => {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
        return buffer.subarray(0, bytesRead);
      },
    };
    const result = await walkGgufHeader(source);
    if (result.ok) return { ...result, path, fileBytes: size };
    const details = { path, bytes: size, problem: result.problem };
    switch (result.kind) {
      case "bad-magic": {
        const other = describeOtherFormat(await source.read(0, 16));
        const message = `${path} is not a GGUF model (it does not start with “GGUF”). ${other ?? ""} The engine runs llama.cpp models in GGUF format: download a .gguf file (for example a Q4_K_M quantisation).`;
        return { ok: false, code: "not-gguf", message: message.replace(/\s+/g, " ").trim(), details };
      }
      case "version":
        return { ok: false, code: "not-gguf", message: `${path} cannot be loaded: ${result.problem}. Download a current GGUF conversion of the model.`, details };
      case "truncated":
        if (size < SMALLEST_GGUF) return { ok: false, code: "not-gguf", message: `${path} is only ${formatBytes(size)}: the GGUF file is truncated. Download it again.`, details };
        return { ok: false, code: "not-gguf", message: `${path} has a GGUF header that does not fit the file: ${result.problem}. The file is probably truncated or corrupt: download it again.`, details };
      case "invalid":
        return { ok: false, code: "not-gguf", message: `${path} has an invalid GGUF header: ${result.problem}. The file is probably corrupt: download it again.`, details };
    }
  } finally {
    await handle.close();
  }
}
