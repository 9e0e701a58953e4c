/** Models in plain folders of `.gguf` files: LM Studio's, node-llama-cpp's, the extension's downloads. */
import { dirname, relative, sep } from "node:path";
import type { Candidate } from "./candidate";
import { groupShards, modelFileLabel } from "./shardNames";
import type { ModelSource } from "./types";
import { findGgufFiles } from "./walk";
import type { WalkLimits } from "./walk";

/**
 * The models under `root`. With `storeNameFromFolders`, a model two or more folders down is
 * named by its folders relative to the root (LM Studio's `publisher/model`).
 */
export async function folderCandidates(source: ModelSource, root: string, limits: WalkLimits, storeNameFromFolders = false): Promise<Candidate[]> {
  const { files } = await findGgufFiles(root, limits);
  return groupShards(files).map((model) => {
    const folders = relative(root, dirname(model.path)).split(sep).filter((part) => part.length > 0 && part !== "..");
    const storeName = storeNameFromFolders && folders.length >= 2 ? folders.join("/") : null;
    return { source, path: model.path, expected: model.expected, storeName, fallbackName: modelFileLabel(model.path) };
  });
}
