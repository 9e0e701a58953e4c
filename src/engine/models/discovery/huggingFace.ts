/**
 * Models in the Hugging Face hub cache: `models--<org>--<name>/snapshots/<revision>/**.gguf`,
 * links into the repository's `blobs/` (the size and the header are read through the link; a
 * link whose blob is missing is listed with that problem). Datasets, spaces, `blobs/` itself
 * and unfinished downloads (`blobs/*.incomplete`) are not looked at.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Candidate } from "./candidate";
import { groupShards, modelFileLabel } from "./shardNames";
import { findGgufFiles } from "./walk";
import type { WalkLimits } from "./walk";

/** `models--Qwen--QwQ-32B-GGUF` → `Qwen/QwQ-32B-GGUF` (a repository without an organisation has one part). */
export function repositoryOfCacheFolder(folder: string): string | null {
  if (!folder.startsWith("models--")) return null;
  const parts = folder.slice("models--".length).split("--");
  return parts.every((part) => part.length > 0) ? parts.join("/") : null;
}

export async function huggingFaceCandidates(hubRoot: string, limits: WalkLimits): Promise<Candidate[]> {
  let folders: string[];
  try {
    folders = (await readdir(hubRoot)).sort();
  } catch {
    return [];
  }
  const candidates: Candidate[] = [];
  let entries = folders.length;
  for (const folder of folders) {
    const repository = repositoryOfCacheFolder(folder);
    if (repository === null) continue;
    if (entries >= limits.maxEntries) break;
    const { files, entriesRead } = await findGgufFiles(join(hubRoot, folder, "snapshots"), { maxDepth: limits.maxDepth, maxEntries: limits.maxEntries - entries });
    entries += entriesRead;
    for (const model of groupShards(files)) {
      candidates.push({ source: "huggingface", path: model.path, expected: model.expected, storeName: repository, fallbackName: modelFileLabel(model.path) });
    }
  }
  return candidates;
}
