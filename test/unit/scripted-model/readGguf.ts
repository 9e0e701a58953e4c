/** A GGUF reader for tests of the scripted-model writer: only the value types and the F32 tensors it writes. */
import assert from "node:assert/strict";

export interface Gguf {
  readonly version: number;
  readonly meta: Map<string, unknown>;
  readonly tensors: Map<string, { dims: number[]; data: Float32Array }>;
}

/** Reads back what the writer writes: metadata of its value types and F32 tensors. */
export function readGguf(buf: Buffer): Gguf {
  assert.equal(buf.subarray(0, 4).toString("latin1"), "GGUF");
  let at = 4;
  const u32 = (): number => {
    const v = buf.readUInt32LE(at);
    at += 4;
    return v;
  };
  const u64 = (): number => {
    const v = Number(buf.readBigUInt64LE(at));
    at += 8;
    return v;
  };
  const str = (): string => {
    const n = u64();
    const s = buf.subarray(at, at + n).toString("utf8");
    at += n;
    return s;
  };
  const value = (type: number): unknown => {
    switch (type) {
      case 4:
        return u32();
      case 5: {
        const v = buf.readInt32LE(at);
        at += 4;
        return v;
      }
      case 6: {
        const v = buf.readFloatLE(at);
        at += 4;
        return v;
      }
      case 7:
        return buf[at++] === 1;
      case 8:
        return str();
      case 9: {
        const inner = u32();
        const n = u64();
        return Array.from({ length: n }, () => value(inner));
      }
      default:
        throw new Error(`type ${type}`);
    }
  };
  const version = u32();
  const tensorCount = u64();
  const kvs = u64();
  const meta = new Map<string, unknown>();
  for (let i = 0; i < kvs; i++) {
    const key = str();
    meta.set(key, value(u32()));
  }
  const infos: Array<{ name: string; dims: number[]; offset: number }> = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const dims = Array.from({ length: u32() }, () => u64());
    assert.equal(u32(), 0, "F32");
    infos.push({ name, dims, offset: u64() });
  }
  const dataStart = Math.ceil(at / 32) * 32;
  const tensors = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of infos) {
    const n = t.dims.reduce((a, b) => a * b, 1);
    const bytes = buf.subarray(dataStart + t.offset, dataStart + t.offset + n * 4);
    tensors.set(t.name, { dims: t.dims, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) });
  }
  return { version, meta, tensors };
}
