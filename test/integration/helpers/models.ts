/** Scripted GGUF models written to a temporary folder for the integration tests. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeGguf } from "../../../src/scripted-model/ggufWriter";
import type { GgufValue } from "../../../src/scripted-model/ggufWriter";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { ANSWER_CHANGES, DEMO, noThinkingModelSpec, OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import type { AskRequest, LoadConfig } from "../../../src/engine/common/types";

export interface ModelDir {
  readonly dir: string;
  readonly overthinking: string;
  readonly selfEnding: string;
  readonly answerChanges: string;
  readonly noThinking: string;
  readonly demo: string;
  write(name: string, spec: ScriptedModelSpec): string;
  writeRaw(name: string, bytes: Buffer | string): string;
  cleanup(): void;
}

export function makeModels(): ModelDir {
  const dir = mkdtempSync(join(tmpdir(), "self-braking-models-"));
  const write = (name: string, spec: ScriptedModelSpec): string => {
    const path = join(dir, name);
    writeFileSync(path, buildScriptedModel(spec).gguf);
    return path;
  };
  const writeRaw = (name: string, bytes: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  return {
    dir,
    overthinking: write("overthinking.gguf", reasoningModelSpec(OVERTHINKING)),
    selfEnding: write("self-ending.gguf", reasoningModelSpec(SELF_ENDING)),
    answerChanges: write("answer-changes.gguf", reasoningModelSpec(ANSWER_CHANGES)),
    noThinking: write("no-thinking.gguf", noThinkingModelSpec()),
    demo: write("demo.gguf", reasoningModelSpec(DEMO)),
    write,
    writeRaw,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function cpuConfig(modelPath: string, contextSize: number | "auto" = 2048): LoadConfig {
  return { modelPath, gpu: "cpu", gpuLayers: "auto", contextSize, threads: "auto" };
}

export const CUE = "Wait, I've verified my answer. No need to continue thinking.";

export function askRequest(overrides: { question?: string; brake?: Partial<AskRequest["brake"]>; generation?: Partial<AskRequest["generation"]>; history?: AskRequest["history"]; savingRatio?: AskRequest["savingRatio"] } = {}): AskRequest {
  return {
    ...(overrides.savingRatio ? { savingRatio: overrides.savingRatio } : {}),
    question: overrides.question ?? "What is 12 × 3?",
    history: overrides.history ?? [],
    brake: { mode: "adaptive", threshold: 0.2, maxThinkingTokens: 1000, cue: CUE, probe: "off", ...overrides.brake },
    generation: { temperature: 0, maxAnswerTokens: 256, thinking: true, ...overrides.generation },
  };
}

/** A llama GGUF whose header declares a ~850 GiB embedding (8192 × 28 M f32); the tensor data is not there (only the header is read). */
export function oversizedHeader(): Buffer {
  const meta: Array<readonly [string, GgufValue]> = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: "oversized" }],
    ["llama.context_length", { type: "u32", value: 4096 }],
    ["llama.embedding_length", { type: "u32", value: 8192 }],
    ["llama.block_count", { type: "u32", value: 1 }],
    ["llama.feed_forward_length", { type: "u32", value: 32 }],
    ["llama.attention.head_count", { type: "u32", value: 2 }],
    ["llama.attention.head_count_kv", { type: "u32", value: 2 }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["tokenizer.ggml.model", { type: "string", value: "rwkv" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: ["a", "b"] }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: [1, 1] }],
    ["tokenizer.chat_template", { type: "string", value: "{{ messages }}" }],
  ];
  return encodeGguf({ metadata: meta, tensors: [{ name: "token_embd.weight", dims: [8192, 28_000_000], data: null }] });
}

/** A copy of a good scripted model with the offset of `output_norm.weight` moved by 4 bytes: llama.cpp refuses it while loading the weights. */
export function garbledModelBytes(spec: ScriptedModelSpec): Buffer {
  const bytes = Buffer.from(buildScriptedModel(spec).gguf);
  const name = "output_norm.weight";
  const at = bytes.lastIndexOf(name) + name.length; // n_dims, dims (u64 each), type, offset
  const offsetAt = at + 4 + bytes.readUInt32LE(at) * 8 + 4;
  bytes.writeBigUInt64LE(bytes.readBigUInt64LE(offsetAt) + 4n, offsetAt);
  return bytes;
}
