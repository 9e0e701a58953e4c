/** Builders for the discovery tests: GGUF files with chosen metadata, written into fake stores. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { encodeGguf } from "../../../../../src/scripted-model/ggufWriter";
import type { GgufValue } from "../../../../../src/scripted-model/ggufWriter";

export const THINK_TEMPLATE = "{%- for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}<|im_start|>assistant\n<think>\n";
export const PLAIN_TEMPLATE = "{%- for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}<|im_start|>assistant\n";

export interface ModelSpec {
  readonly architecture?: string;
  readonly name?: string;
  readonly sizeLabel?: string;
  readonly fileType?: number;
  readonly contextLength?: number;
  readonly blockCount?: number;
  readonly template?: string;
  /** Extra metadata (a split shard's split.* keys). */
  readonly extra?: ReadonlyArray<readonly [string, GgufValue]>;
  /** Tensor shapes (default one 4×2 tensor: 8 weights). */
  readonly tensors?: ReadonlyArray<readonly number[]>;
}

/** A real GGUF v3 file with the given header (tiny F32 tensors). */
export function modelBytes(spec: ModelSpec): Buffer {
  const arch = spec.architecture ?? "llama";
  const metadata: Array<readonly [string, GgufValue]> = [["general.architecture", { type: "string", value: arch }]];
  if (spec.name !== undefined) metadata.push(["general.name", { type: "string", value: spec.name }]);
  if (spec.sizeLabel !== undefined) metadata.push(["general.size_label", { type: "string", value: spec.sizeLabel }]);
  if (spec.fileType !== undefined) metadata.push(["general.file_type", { type: "u32", value: spec.fileType }]);
  if (spec.contextLength !== undefined) metadata.push([`${arch}.context_length`, { type: "u32", value: spec.contextLength }]);
  if (spec.blockCount !== undefined) metadata.push([`${arch}.block_count`, { type: "u32", value: spec.blockCount }]);
  if (spec.template !== undefined) metadata.push(["tokenizer.chat_template", { type: "string", value: spec.template }]);
  metadata.push(...(spec.extra ?? []));
  const shapes = spec.tensors ?? [[4, 2]];
  const tensors = shapes.map((dims, i) => ({ name: `blk.${i}.weight`, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) }));
  return encodeGguf({ metadata, tensors });
}

export function writeFile(path: string, bytes: Buffer | string): number {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return Buffer.byteLength(bytes);
}

/** A relative symbolic link at `path` pointing at `target` (as the Hugging Face cache makes them). */
export function link(path: string, target: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path);
}

export function ollamaManifest(layers: ReadonlyArray<{ mediaType: string; digest: string; size?: number }>): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", digest: `sha256:${"c".repeat(64)}`, size: 10 },
    layers: layers.map((l) => ({ size: 0, ...l })),
  });
}

export const hex = (char: string): string => char.repeat(64);
