/**
 * Finds the GGUF models already on this machine where people keep them (LM Studio, Ollama, the
 * Hugging Face hub cache, node-llama-cpp's folder, the extension's downloads, files used
 * before), without scanning the disk: only those folders, a few levels deep, a bounded number
 * of entries each. Every model is read from its GGUF header; one that cannot be read is listed
 * with its problem. A file reached twice (a link, the same blob under two Ollama tags, a recent
 * file inside a store) is listed once, under the first source that found it.
 */
import { homedir } from "node:os";
import { realpath } from "node:fs/promises";
import { resolve } from "node:path";
import type { Candidate } from "./candidate";
import { describeCandidate } from "./describe";
import { folderCandidates } from "./folderSource";
import { huggingFaceCandidates } from "./huggingFace";
import { lmStudioConfiguredRoots } from "./lmStudioSettings";
import { ollamaCandidates } from "./ollama";
import { huggingFaceHubRoot, lmStudioDefaultRoots, nodeLlamaCppRoot, ollamaRoots } from "./roots";
import type { RootContext } from "./roots";
import { modelFileLabel, modelFilesOf } from "./shardNames";
import { MODEL_SOURCES } from "./types";
import type { DiscoveredModel, DiscoveryOptions, ModelSource } from "./types";
import type { WalkLimits } from "./walk";

export const DEFAULT_DISCOVERY_LIMITS = { maxDepth: 6, maxEntriesPerRoot: 5000, concurrency: 4 } as const;

/** Header architectures that are not language models: vision projectors (`mmproj-*.gguf`) beside a model. */
const NOT_MODELS: ReadonlySet<string> = new Set(["clip"]);

async function candidatesOf(source: ModelSource, ctx: RootContext, options: DiscoveryOptions, walk: WalkLimits): Promise<Candidate[]> {
  const all = async (roots: readonly string[], find: (root: string) => Promise<Candidate[]>): Promise<Candidate[]> => {
    const out: Candidate[] = [];
    for (const root of new Set(roots)) out.push(...(await find(root)));
    return out;
  };
  switch (source) {
    case "lmstudio": {
      const roots = [...lmStudioDefaultRoots(ctx), ...(await lmStudioConfiguredRoots(ctx.homeDir))];
      return all(roots, (root) => folderCandidates("lmstudio", root, walk, true));
    }
    case "ollama":
      return all(ollamaRoots(ctx), (root) => ollamaCandidates(root, walk));
    case "huggingface":
      return huggingFaceCandidates(huggingFaceHubRoot(ctx), walk);
    case "node-llama-cpp":
      return folderCandidates("node-llama-cpp", nodeLlamaCppRoot(ctx), walk);
    case "downloads":
      return all(options.downloadFolders ?? [], (root) => folderCandidates("downloads", root, walk));
    case "recent":
      return (options.recentFiles ?? [])
        .filter((path) => path.trim().length > 0)
        .map((path) => {
          const files = modelFilesOf(resolve(path));
          return { source: "recent", path: files.path, expected: files.expected, storeName: null, fallbackName: modelFileLabel(files.path) };
        });
  }
}

/** What makes two candidates the same model: the real path of the file to load. */
async function identity(candidate: Candidate): Promise<string> {
  return realpath(candidate.path).catch(() => resolve(candidate.path));
}

async function mapLimited<T, R>(items: readonly T[], concurrency: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** The models on this machine, by source (in MODEL_SOURCES order), then by path. */
export async function discoverModels(options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const ctx: RootContext = { homeDir: options.homeDir ?? homedir(), env: options.env ?? process.env, platform: options.platform ?? process.platform };
  const limits = { ...DEFAULT_DISCOVERY_LIMITS, ...options.limits };
  const walk: WalkLimits = { maxDepth: limits.maxDepth, maxEntries: limits.maxEntriesPerRoot };
  const wanted = new Set(options.sources ?? MODEL_SOURCES);

  const unique: Candidate[] = [];
  const seen = new Set<string>();
  for (const source of MODEL_SOURCES) {
    if (!wanted.has(source)) continue;
    for (const candidate of await candidatesOf(source, ctx, options, walk)) {
      const key = await identity(candidate);
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(candidate);
    }
  }

  const models = await mapLimited(unique, limits.concurrency, describeCandidate);
  const order = (source: ModelSource): number => MODEL_SOURCES.indexOf(source);
  return models
    .filter((model) => model.facts === null || model.facts.architecture === null || !NOT_MODELS.has(model.facts.architecture))
    .sort((a, b) => order(a.source) - order(b.source) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
