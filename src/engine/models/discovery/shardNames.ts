/**
 * Split GGUF files, named as llama.cpp's `gguf-split` names them: `<base>-00001-of-00003.gguf`
 * (five digits each, counted from 1). The shards of one model count as one model.
 */
import { basename, dirname, join } from "node:path";

/** More shards than this is not a split model but an odd file name. */
const MAX_SHARDS = 512;
const SHARD = /^(.+)-(\d{5})-of-(\d{5})\.gguf$/i;

export interface ShardName {
  /** The name before `-00001-of-00003.gguf`. */
  readonly base: string;
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShardName(fileName: string): ShardName | null {
  const match = SHARD.exec(fileName);
  if (match === null) return null;
  const index = Number(match[2]);
  const count = Number(match[3]);
  if (count < 2 || count > MAX_SHARDS || index < 1 || index > count) return null;
  return { base: match[1] ?? "", index, count };
}

export function shardFileName(base: string, index: number, count: number): string {
  const five = (n: number): string => String(n).padStart(5, "0");
  return `${base}-${five(index)}-of-${five(count)}.gguf`;
}

/** A model as files: one file, or every shard a split model should have (existing or not). */
export interface ModelFiles {
  /** The first shard (or the file). */
  readonly path: string;
  /** All of the model's files in order; for a split model, the names its shards must have. */
  readonly expected: readonly string[];
}

/** The files a path stands for: a shard stands for all the shards of its model. */
export function modelFilesOf(path: string): ModelFiles {
  const shard = parseShardName(basename(path));
  if (shard === null) return { path, expected: [path] };
  const dir = dirname(path);
  const expected = Array.from({ length: shard.count }, (_, i) => join(dir, shardFileName(shard.base, i + 1, shard.count)));
  return { path: expected[0] ?? path, expected };
}

/** Collapses the shards of each split model into one entry (in the order first seen). */
export function groupShards(paths: readonly string[]): ModelFiles[] {
  const byFirst = new Map<string, ModelFiles>();
  for (const path of paths) {
    const files = modelFilesOf(path);
    if (!byFirst.has(files.path)) byFirst.set(files.path, files);
  }
  return [...byFirst.values()];
}

/** A file's name for a list: without `.gguf` and without the shard suffix. */
export function modelFileLabel(path: string): string {
  const name = basename(path);
  const shard = parseShardName(name);
  if (shard !== null) return shard.base;
  return name.replace(/\.gguf$/i, "");
}
