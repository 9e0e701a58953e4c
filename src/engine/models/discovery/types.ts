/**
 * What discovery finds: GGUF models already on this machine, where people keep them. Plain
 * data, so the extension, the CLI and a later fit estimate can all take it as it is.
 */

import type { GgufHeaderSummary } from "../../common/ggufHeader";

/** Where a model was found, in the order discovery looks (a file found twice keeps the first). */
export const MODEL_SOURCES = ["lmstudio", "ollama", "huggingface", "node-llama-cpp", "downloads", "recent"] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

/**
 * What the GGUF header says about a model (GgufHeaderSummary's fields; for a split model the
 * header of its first shard, with `parameterCount` summed over all shards).
 */
export type ModelFacts = Pick<
  GgufHeaderSummary,
  "architecture" | "name" | "sizeLabel" | "parameterCount" | "fileType" | "quantization" | "contextLength" | "blockCount" | "chatTemplateThinks"
>;

export interface DiscoveredModel {
  /** The file to load: for a split model its first shard (even when that shard is missing). */
  readonly path: string;
  /** Every shard that exists, in order (one entry for a single-file model). */
  readonly shards: readonly string[];
  /** The bytes of all shards that exist. */
  readonly sizeBytes: number;
  readonly source: ModelSource;
  /** For a list: the header's general.name, else the store's name, else the file's name. */
  readonly displayName: string;
  /**
   * The name the store knows it by: the Ollama model ("deepseek-r1:8b"), the Hugging Face
   * repository ("Qwen/QwQ-32B-GGUF"), LM Studio's publisher/model folders. Null for plain folders.
   */
  readonly storeName: string | null;
  /** Null when the header could not be read (then `problem` says why). */
  readonly facts: ModelFacts | null;
  /** Why this model cannot be used as it is (a missing shard or blob, a corrupt header); null when it can. */
  readonly problem: string | null;
}

export interface DiscoveryLimits {
  /** Folder levels below a root that are looked into (default 6). */
  readonly maxDepth?: number;
  /** Folder entries read per root before it is left (default 5000). */
  readonly maxEntriesPerRoot?: number;
  /** Headers read at once (default 4). */
  readonly concurrency?: number;
}

export interface DiscoveryOptions {
  /** The user's home folder (default os.homedir()). */
  readonly homeDir?: string;
  /** Environment variables: OLLAMA_MODELS, HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME … (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Decides the system-wide folders looked at (Ollama's Linux service store); default process.platform. */
  readonly platform?: NodeJS.Platform;
  /** Folders the extension downloads into (source "downloads"), looked through like the others. */
  readonly downloadFolders?: readonly string[];
  /** Model files used before (source "recent"): listed when they still exist, with a problem when not. */
  readonly recentFiles?: readonly string[];
  /** Only these sources (default all). */
  readonly sources?: readonly ModelSource[];
  readonly limits?: DiscoveryLimits;
}
