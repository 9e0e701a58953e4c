/**
 * A minimal GGUF (version 3) encoder: metadata key/values and F32 tensors, little-endian.
 * Only what the scripted test model needs; reading GGUF files is node-llama-cpp's job.
 */

export type GgufValue =
  | { readonly type: "u32"; readonly value: number }
  | { readonly type: "i32"; readonly value: number }
  | { readonly type: "f32"; readonly value: number }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "string[]"; readonly value: readonly string[] }
  | { readonly type: "i32[]"; readonly value: readonly number[] };

export interface GgufTensor {
  readonly name: string;
  /** ggml order: dims[0] is the fastest-varying (row length). */
  readonly dims: readonly number[];
  /** null: only the tensor's header is written (a deliberately truncated file, for tests of size checks). */
  readonly data: Float32Array | null;
}

export interface GgufDocument {
  readonly metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>;
  readonly tensors: readonly GgufTensor[];
}

const ALIGNMENT = 32;
const GGUF_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
const GGML_TYPE_F32 = 0;

/** Growable little-endian byte sink. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v | 0, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  string(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.bytes(b);
  }
  pad(): void {
    const rem = this.length % ALIGNMENT;
    if (rem !== 0) this.bytes(new Uint8Array(ALIGNMENT - rem));
  }
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case "u32":
      sink.u32(GGUF_TYPE.u32);
      sink.u32(value.value);
      return;
    case "i32":
      sink.u32(GGUF_TYPE.i32);
      sink.i32(value.value);
      return;
    case "f32":
      sink.u32(GGUF_TYPE.f32);
      sink.f32(value.value);
      return;
    case "bool":
      sink.u32(GGUF_TYPE.bool);
      sink.bytes(new Uint8Array([value.value ? 1 : 0]));
      return;
    case "string":
      sink.u32(GGUF_TYPE.string);
      sink.string(value.value);
      return;
    case "string[]":
      sink.u32(GGUF_TYPE.array);
      sink.u32(GGUF_TYPE.string);
      sink.u64(value.value.length);
      for (const s of value.value) sink.string(s);
      return;
    case "i32[]":
      sink.u32(GGUF_TYPE.array);
      sink.u32(GGUF_TYPE.i32);
      sink.u64(value.value.length);
      for (const v of value.value) sink.i32(v);
      return;
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** Encodes a GGUF v3 file. Throws on inconsistent tensor shapes or duplicate names. */
export function encodeGguf(doc: GgufDocument): Buffer {
  const names = new Set<string>();
  for (const t of doc.tensors) {
    if (names.has(t.name)) throw new Error(`GGUF: duplicate tensor name "${t.name}"`);
    names.add(t.name);
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.data !== null && count !== t.data.length) throw new Error(`GGUF: tensor "${t.name}" has ${t.data.length} values, its shape [${t.dims.join(", ")}] needs ${count}`);
  }
  const keys = new Set<string>();
  for (const [key] of doc.metadata) {
    if (keys.has(key)) throw new Error(`GGUF: duplicate metadata key "${key}"`);
    keys.add(key);
  }

  const sink = new ByteSink();
  sink.bytes(Buffer.from("GGUF", "ascii"));
  sink.u32(3);
  sink.u64(doc.tensors.length);
  sink.u64(doc.metadata.length);
  for (const [key, value] of doc.metadata) {
    sink.string(key);
    writeValue(sink, value);
  }
  let offset = 0;
  for (const t of doc.tensors) {
    sink.string(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offset = alignUp(offset + t.dims.reduce((a, b) => a * b, 1) * 4);
  }
  sink.pad();
  for (const t of doc.tensors) {
    if (t.data === null) break;
    sink.bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    sink.pad();
  }
  return sink.result();
}
