import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LlamaLog, llamaReason, stripLlamaPrefixes } from "../../../../../src/engine/process/load/llamaLog";

describe("llama.cpp's reason for a failed load", () => {
  it("takes the specific line, not the generic ones after it", () => {
    // As llama.cpp b6 logs a truncated file, then a version it cannot read.
    assert.equal(
      llamaReason([
        "llama_model_load: error loading model: tensor 'blk.0.ffn_down.weight' data is not within the file bounds, model is corrupted or incomplete",
        "llama_model_load_from_file_impl: failed to load model",
      ]),
      "tensor 'blk.0.ffn_down.weight' data is not within the file bounds, model is corrupted or incomplete",
    );
    assert.equal(
      llamaReason([
        "gguf_init_from_reader: this GGUF file is version 9 but this software only supports up to version 3",
        "gguf_init_from_reader: failed to read header",
        "llama_model_load: error loading model: llama_model_loader: failed to load model from /tmp/badver.gguf",
        "llama_model_load_from_file_impl: failed to load model",
      ]),
      "this GGUF file is version 9 but this software only supports up to version 3",
    );
    assert.equal(
      llamaReason([
        "gguf_init_from_reader: tensor 'output_norm.weight' has offset 264324, expected 264320",
        "gguf_init_from_reader: failed to read tensor data",
        "llama_model_load: error loading model: llama_model_loader: failed to load model from /tmp/garbled.gguf",
        "llama_model_load_from_file_impl: failed to load model",
      ]),
      "tensor 'output_norm.weight' has offset 264324, expected 264320",
    );
    assert.equal(llamaReason(["llama_model_load_from_file_impl: failed to load model"]), null);
    assert.equal(llamaReason([]), null);
  });

  it("strips function prefixes only", () => {
    assert.equal(stripLlamaPrefixes("llama_model_load: error loading model: unknown model architecture: 'x'"), "unknown model architecture: 'x'");
  });

  it("keeps error lines only while a load is captured, forwards warnings and errors, and reads Vulkan device lines", () => {
    const forwarded: string[] = [];
    const log = new LlamaLog((level, text) => forwarded.push(`${level} ${text}`));
    log.write("error", "before: not captured");
    const stop = log.startCapture();
    log.write("debug", "ggml_vulkan: 0 = llvmpipe (LLVM 15.0.6, 256 bits) (llvmpipe) | uma: 0");
    log.write("debug", "ggml_vulkan: Warning: Device type is CPU. This is probably not the device you want.");
    log.write("error", "llama_model_load: error loading model: tensor 'x' data is not within the file bounds");
    log.write("error", "llama_model_load_from_file_impl: failed to load model");
    assert.equal(stop(), "tensor 'x' data is not within the file bounds");
    log.write("error", "after: not captured");
    assert.equal(stop(), "tensor 'x' data is not within the file bounds", "the capture ended with the first call");
    assert.deepEqual(log.vulkan.cpuTypeDevices, ["llvmpipe (LLVM 15.0.6, 256 bits) (llvmpipe)"]);
    assert.equal(forwarded.length, 4, "debug lines are not forwarded");
    assert.ok(forwarded.every((line) => line.startsWith("error llama.cpp: ")));
  });
});
