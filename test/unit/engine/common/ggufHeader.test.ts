import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { bufferSource, checkGgufFile, ggufFileTypeName, walkGgufHeader } from "../../../../src/engine/common/ggufHeader";
import type { GgufHeaderResult } from "../../../../src/engine/common/ggufHeader";
import { encodeGguf } from "../../../../src/scripted-model/ggufWriter";
import type { GgufValue } from "../../../../src/scripted-model/ggufWriter";
import { buildScriptedModel } from "../../../../src/scripted-model/scriptedModel";
import { reasoningModelSpec, SELF_ENDING } from "../../../../src/scripted-model/scripts";

/** Little-endian bytes of a hand-made header (for headers no writer would produce). */
class Bytes {
  private readonly parts: Buffer[] = [];
  raw(text: string): this {
    this.parts.push(Buffer.from(text, "latin1"));
    return this;
  }
  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.parts.push(b);
    return this;
  }
  u64(value: number | bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.parts.push(b);
    return this;
  }
  str(text: string): this {
    return this.u64(Buffer.byteLength(text)).raw(text);
  }
  zeros(n: number): this {
    this.parts.push(Buffer.alloc(n));
    return this;
  }
  header(kvCount: number | bigint, tensorCount: number | bigint = 0, version = 3): this {
    return this.raw("GGUF").u32(version).u64(tensorCount).u64(kvCount);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const walk = (bytes: Buffer): Promise<GgufHeaderResult> => walkGgufHeader(bufferSource(bytes));
function problem(result: GgufHeaderResult): { kind: string; problem: string } {
  assert.equal(result.ok, false, "the header should have been rejected");
  return result.ok ? { kind: "", problem: "" } : result;
}
const MiB = 1024 * 1024;
const scripted = buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf;

describe("GGUF header walk", () => {
  it("accepts the scripted model and reads its counts, architecture and data offset", async () => {
    const result = await walk(scripted);
    assert.ok(result.ok);
    assert.equal(result.version, 3);
    assert.equal(result.architecture, "llama");
    assert.ok(result.kvCount > 10 && result.tensorCount > 3);
    assert.equal(result.dataOffset % 32, 0);
    assert.ok(result.dataOffset < scripted.length);
  });

  it("walks a header far larger than one read chunk (a 60 000-token vocabulary)", async () => {
    const tokens = Array.from({ length: 60_000 }, (_, i) => `token-${i}-${"x".repeat(i % 40)}`);
    const bytes = encodeGguf({
      metadata: [
        ["general.architecture", { type: "string", value: "llama" }],
        ["tokenizer.ggml.tokens", { type: "string[]", value: tokens }],
        ["tokenizer.ggml.token_type", { type: "i32[]", value: tokens.map(() => 1) }],
        ["general.name", { type: "string", value: "big vocabulary" }],
      ],
      tensors: [{ name: "token_embd.weight", dims: [4, 2], data: new Float32Array(8) }],
    });
    assert.ok(bytes.length > 20 * 64 * 1024);
    const result = await walk(bytes);
    assert.ok(result.ok, result.ok ? "" : result.problem);
    assert.equal(result.name, "big vocabulary");
    assert.equal(result.kvCount, 4);
  });

  it("rejects a 512 MiB key string in a 1 MB file at once, without reading or allocating it", async () => {
    const bytes = new Bytes().header(1).u64(512 * MiB).zeros(MiB).done();
    const started = performance.now();
    const result = problem(await walk(bytes));
    assert.ok(performance.now() - started < 100);
    assert.equal(result.kind, "truncated");
    assert.match(result.problem, /metadata key 1 of 1 claims 512\.0 MiB .* but only 1\.0 MiB of the file is left/);
  });

  it("rejects a string value longer than the rest of the file, naming its key", async () => {
    const bytes = new Bytes().header(1).str("general.name").u32(8).u64(2 ** 40).zeros(100).done();
    assert.match(problem(await walk(bytes)).problem, /the value of “general\.name” claims 1\.0 TiB/);
  });

  it("rejects an array whose count cannot fit, naming the key", async () => {
    const bytes = new Bytes().header(1).str("tokenizer.ggml.tokens").u32(9).u32(8).u64(2 ** 40).zeros(1000).done();
    const result = problem(await walk(bytes));
    assert.equal(result.kind, "truncated");
    assert.match(result.problem, /“tokenizer\.ggml\.tokens” claims 1,099,511,627,776 string values/);
  });

  it("rejects metadata or tensor counts the file cannot hold (including counts past 2^53)", async () => {
    assert.match(problem(await walk(new Bytes().header(1_000_000).zeros(1000).done())).problem, /claims 1,000,000 metadata entries and 0 tensors/);
    assert.match(problem(await walk(new Bytes().header(0, 2n ** 63n).zeros(1000).done())).problem, /more than 2\^53 tensors/);
  });

  it("rejects a tensor info cut off by the end of the file", async () => {
    const whole = encodeGguf({ metadata: [["general.architecture", { type: "string", value: "llama" }]], tensors: [{ name: "token_embd.weight", dims: [4, 2], data: null }] });
    const nameEnd = whole.indexOf("token_embd.weight") + "token_embd.weight".length;
    const result = problem(await walk(whole.subarray(0, nameEnd + 10)));
    assert.equal(result.kind, "truncated");
    assert.match(result.problem, /file ends inside the shape, type and offset of tensor “token_embd\.weight”/);
  });

  it("names an unsupported version, and recognises a big-endian file", async () => {
    const v1 = problem(await walk(new Bytes().header(0, 0, 1).done()));
    assert.equal(v1.kind, "version");
    assert.match(v1.problem, /GGUF version 1, an old format llama\.cpp no longer reads \(it reads versions 2 and 3\)/);
    assert.match(problem(await walk(new Bytes().header(0, 0, 9).done())).problem, /GGUF version 9, newer than the bundled llama\.cpp reads/);
    assert.match(problem(await walk(new Bytes().header(0, 0, 0x03000000).done())).problem, /big-endian GGUF file \(version 3\)/);
  });

  it("rejects nested arrays, unknown value types and too many tensor dimensions", async () => {
    assert.match(problem(await walk(new Bytes().header(1).str("a.b").u32(9).u32(9).u64(1).zeros(64).done())).problem, /“a\.b” is an array of arrays/);
    assert.match(problem(await walk(new Bytes().header(1).str("a.b").u32(42).zeros(64).done())).problem, /“a\.b” has unknown value type 42/);
    const tensor = new Bytes().header(0, 1).str("w").u32(7).zeros(200).done();
    assert.match(problem(await walk(tensor)).problem, /tensor “w” claims 7 dimensions \(at most 4\)/);
  });

  it("says when the magic is not GGUF", async () => {
    assert.equal(problem(await walk(Buffer.from("<!DOCTYPE html>"))).kind, "bad-magic");
    assert.equal(problem(await walk(Buffer.alloc(0))).kind, "bad-magic");
  });
});

/** A small model file with the given metadata after general.architecture, and two tensors (4×2 and 3). */
function withMetadata(architecture: string, metadata: ReadonlyArray<readonly [string, GgufValue]>): Buffer {
  return encodeGguf({
    metadata: [["general.architecture", { type: "string", value: architecture }], ...metadata],
    tensors: [
      { name: "token_embd.weight", dims: [4, 2], data: new Float32Array(8) },
      { name: "output_norm.weight", dims: [3], data: new Float32Array(3) },
    ],
  });
}
async function summary(bytes: Buffer): Promise<Extract<GgufHeaderResult, { ok: true }>> {
  const result = await walk(bytes);
  assert.ok(result.ok, result.ok ? "" : result.problem);
  return result;
}

describe("GGUF header facts for a model list (size label, quantisation, context, layers, thinking)", () => {
  it("reads general.size_label, general.file_type with its quantisation name, <arch>.context_length and <arch>.block_count", async () => {
    const result = await summary(
      withMetadata("qwen3", [
        ["general.name", { type: "string", value: "Qwen3 8B" }],
        ["general.size_label", { type: "string", value: "8B" }],
        ["general.file_type", { type: "u32", value: 15 }],
        ["qwen3.context_length", { type: "u32", value: 40960 }],
        ["qwen3.block_count", { type: "u32", value: 36 }],
        ["tokenizer.chat_template", { type: "string", value: "{% if x %}<think>\n{% endif %}" }],
      ]),
    );
    assert.deepEqual(
      { name: result.name, sizeLabel: result.sizeLabel, fileType: result.fileType, quantization: result.quantization, contextLength: result.contextLength, blockCount: result.blockCount, chatTemplateThinks: result.chatTemplateThinks, parameterCount: result.parameterCount },
      { name: "Qwen3 8B", sizeLabel: "8B", fileType: 15, quantization: "Q4_K_M", contextLength: 40960, blockCount: 36, chatTemplateThinks: true, parameterCount: 11 },
    );
  });

  it("gives null for what the file does not say, and false for a chat template without <think>", async () => {
    const bare = await summary(withMetadata("llama", []));
    assert.deepEqual(
      [bare.sizeLabel, bare.fileType, bare.quantization, bare.contextLength, bare.blockCount, bare.chatTemplateThinks],
      [null, null, null, null, null, null],
    );
    const plain = await summary(withMetadata("llama", [["tokenizer.chat_template", { type: "string", value: "<|im_start|>{{ message.content }}<|im_end|>" }]]));
    assert.equal(plain.chatTemplateThinks, false);
  });

  it("reads the counts of the file's own architecture only, whatever their order and integer type", async () => {
    const bytes = new Bytes()
      .header(4)
      .str("clip.context_length").u32(4).u32(512)
      .str("qwen2.context_length").u32(10).u64(131072)
      .str("general.architecture").u32(8).str("qwen2")
      .str("qwen2.block_count").u32(5).u32(28)
      .done();
    const result = await summary(bytes);
    assert.equal(result.contextLength, 131072);
    assert.equal(result.blockCount, 28);
    assert.equal(result.parameterCount, 0);
  });

  it("finds <think> in a chat template longer than a read chunk, also where it straddles two chunks", async () => {
    for (const at of [0, 65_530, 65_533, 65_535, 65_536, 100_000]) {
      const template = `${"x".repeat(at)}<think>${"y".repeat(120_000 - at)}`;
      const result = await summary(withMetadata("llama", [["tokenizer.chat_template", { type: "string", value: template }]]));
      assert.equal(result.chatTemplateThinks, true, `<think> at ${at}`);
    }
    const without = await summary(withMetadata("llama", [["tokenizer.chat_template", { type: "string", value: "<thin".repeat(40_000) }]]));
    assert.equal(without.chatTemplateThinks, false);
  });

  it("does not scan a chat template over 1 MiB (null), and still walks past it", async () => {
    const result = await summary(
      withMetadata("llama", [
        ["tokenizer.chat_template", { type: "string", value: `<think>${"z".repeat(MiB)}` }],
        ["llama.context_length", { type: "u32", value: 2048 }],
      ]),
    );
    assert.equal(result.chatTemplateThinks, null);
    assert.equal(result.contextLength, 2048);
  });

  it("rejects a chat template longer than the rest of the file, naming it", async () => {
    const bytes = new Bytes().header(1).str("tokenizer.chat_template").u32(8).u64(2 ** 30).zeros(100).done();
    assert.match(problem(await walk(bytes)).problem, /the value of “tokenizer\.chat_template” claims 1\.0 GiB/);
  });

  it("counts the scripted model's weights from its tensor shapes and finds its <think> template", async () => {
    const result = await summary(scripted);
    assert.ok(result.parameterCount !== null && result.parameterCount > 0);
    assert.equal(result.chatTemplateThinks, true);
    assert.equal(result.contextLength, 4096);
    assert.ok(result.blockCount !== null && result.blockCount >= 1);
  });

  it("names llama.cpp's file types (llama_ftype) and nothing it does not know", () => {
    assert.deepEqual([0, 1, 2, 7, 10, 14, 15, 17, 18, 30, 32, 38].map(ggufFileTypeName), ["F32", "F16", "Q4_0", "Q8_0", "Q2_K", "Q4_K_S", "Q4_K_M", "Q5_K_M", "Q6_K", "IQ4_XS", "BF16", "MXFP4_MOE"]);
    assert.equal(ggufFileTypeName(1024), null);
    assert.equal(ggufFileTypeName(-1), null);
  });
});

describe("checkGgufFile (what the extension calls when a model is chosen)", () => {
  const dir = mkdtempSync(join(tmpdir(), "self-braking-gguf-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it("passes a valid model with its size and header summary", async () => {
    const path = file("ok.gguf", scripted);
    const check = await checkGgufFile(path);
    assert.ok(check.ok);
    assert.equal(check.fileBytes, scripted.length);
    assert.equal(check.architecture, "llama");
    assert.equal(check.path, path);
  });

  it("gives the engine's error codes with messages a user can act on", async () => {
    const empty = await checkGgufFile("  ");
    assert.equal(empty.ok ? "" : empty.code, "model-path-missing");
    const missing = await checkGgufFile(join(dir, "missing.gguf"));
    assert.equal(missing.ok ? "" : missing.code, "file-not-found");
    mkdirSync(join(dir, "folder.gguf"));
    const folder = await checkGgufFile(join(dir, "folder.gguf"));
    assert.match(folder.ok ? "" : folder.message, /is a folder/);
    const html = await checkGgufFile(file("page.gguf", "<!DOCTYPE html>"));
    assert.equal(html.ok ? "" : html.code, "not-gguf");
    assert.match(html.ok ? "" : html.message, /text file/);
    const zip = await checkGgufFile(file("model.bin", Buffer.from("PK\x03\x04 pytorch", "latin1")));
    assert.match(zip.ok ? "" : zip.message, /ZIP archive/);
    const tiny = await checkGgufFile(file("tiny.gguf", Buffer.from("GGUF\x03\x00")));
    assert.match(tiny.ok ? "" : tiny.message, /is only 6 B: the GGUF file is truncated/);
  });

  it("rejects the 1 MB file claiming a 512 MiB key quickly, as truncated or corrupt", async () => {
    const path = file("huge-key.gguf", new Bytes().header(1).u64(512 * MiB).zeros(MiB).done());
    const started = performance.now();
    const check = await checkGgufFile(path);
    assert.ok(performance.now() - started < 500);
    assert.ok(!check.ok);
    assert.equal(check.code, "not-gguf");
    assert.match(check.message, /header that does not fit the file: metadata key 1 of 1 claims 512\.0 MiB.*truncated or corrupt: download it again/);
    assert.equal(check.details.path, path);
  });

  it("names the version of a file llama.cpp cannot read", async () => {
    const bytes = Buffer.from(scripted);
    bytes.writeUInt32LE(1, 4);
    const check = await checkGgufFile(file("v1.gguf", bytes));
    assert.ok(!check.ok);
    assert.equal(check.code, "not-gguf");
    assert.match(check.message, /GGUF version 1/);
  });
});
