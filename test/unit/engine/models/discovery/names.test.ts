import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repositoryOfCacheFolder } from "../../../../../src/engine/models/discovery/huggingFace";
import { blobPathOf, ollamaModelName } from "../../../../../src/engine/models/discovery/ollama";
import { groupShards, modelFileLabel, modelFilesOf, parseShardName, shardFileName } from "../../../../../src/engine/models/discovery/shardNames";
import { isGgufName } from "../../../../../src/engine/models/discovery/walk";

describe("split GGUF names (llama.cpp's gguf-split: <base>-00001-of-00003.gguf)", () => {
  it("parses shard names and refuses what is not one", () => {
    assert.deepEqual(parseShardName("Qwen3-235B-Q4_K_M-00002-of-00005.gguf"), { base: "Qwen3-235B-Q4_K_M", index: 2, count: 5 });
    assert.equal(parseShardName("model.gguf"), null);
    assert.equal(parseShardName("m-00001-of-00001.gguf"), null, "one shard is not a split");
    assert.equal(parseShardName("m-00004-of-00003.gguf"), null);
    assert.equal(parseShardName("m-00000-of-00003.gguf"), null);
    assert.equal(parseShardName("m-0001-of-0003.gguf"), null, "llama.cpp writes five digits");
    assert.equal(parseShardName("m-00001-of-99999.gguf"), null, "not a believable shard count");
    assert.equal(shardFileName("m", 3, 12), "m-00003-of-00012.gguf");
  });

  it("turns any shard into the model's files, first shard first, and groups shards into one model", () => {
    const dir = join("/models", "x");
    assert.deepEqual(modelFilesOf(join(dir, "m-00002-of-00003.gguf")), { path: join(dir, "m-00001-of-00003.gguf"), expected: [1, 2, 3].map((i) => join(dir, `m-0000${i}-of-00003.gguf`)) });
    assert.deepEqual(modelFilesOf(join(dir, "single.gguf")), { path: join(dir, "single.gguf"), expected: [join(dir, "single.gguf")] });
    const grouped = groupShards([join(dir, "a.gguf"), join(dir, "m-00002-of-00002.gguf"), join(dir, "m-00001-of-00002.gguf"), join("/other", "m-00001-of-00002.gguf")]);
    assert.deepEqual(grouped.map((g) => g.path), [join(dir, "a.gguf"), join(dir, "m-00001-of-00002.gguf"), join("/other", "m-00001-of-00002.gguf")]);
    assert.equal(modelFileLabel(join(dir, "m-00002-of-00003.gguf")), "m");
    assert.equal(modelFileLabel(join(dir, "Phi-4-mini.Q8_0.GGUF")), "Phi-4-mini.Q8_0");
  });

  it("takes only finished .gguf files, never partial downloads or hidden files", () => {
    assert.deepEqual(
      ["a.gguf", "A.GGUF", "a.gguf.ipull", "a.gguf.part", "a.gguf.download", "a.gguf.partial", "a.incomplete", ".a.gguf", "a.bin"].filter(isGgufName),
      ["a.gguf", "A.GGUF"],
    );
  });
});

describe("store names", () => {
  it("names Ollama models as Ollama shows them", () => {
    assert.equal(ollamaModelName("registry.ollama.ai", "library", "deepseek-r1", "8b"), "deepseek-r1:8b");
    assert.equal(ollamaModelName("registry.ollama.ai", "someone", "model", "latest"), "someone/model:latest");
    assert.equal(ollamaModelName("hf.co", "unsloth", "Qwen3-8B-GGUF", "Q4_K_M"), "hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M");
  });

  it("maps a model layer's digest to its blob, refusing anything but a sha256 digest", () => {
    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    assert.deepEqual(blobPathOf("/store", digest), { path: join("/store", "blobs", `sha256-${"0123456789abcdef".repeat(4)}`) });
    for (const bad of [undefined, 42, "sha256:../../etc/passwd", `sha512:${"0".repeat(64)}`, `sha256:${"0".repeat(63)}`]) {
      assert.ok("problem" in blobPathOf("/store", bad), String(bad));
    }
  });

  it("names a Hugging Face cache folder by its repository", () => {
    assert.equal(repositoryOfCacheFolder("models--Qwen--QwQ-32B-GGUF"), "Qwen/QwQ-32B-GGUF");
    assert.equal(repositoryOfCacheFolder("models--gpt2"), "gpt2");
    assert.equal(repositoryOfCacheFolder("datasets--x--y"), null);
    assert.equal(repositoryOfCacheFolder("models--"), null);
  });
});
