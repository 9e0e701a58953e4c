/**
 * Models in Ollama's store, read-only: each manifest `manifests/<registry>/<namespace>/<model>/<tag>`
 * (JSON) names its layers; the one of media type `application/vnd.ollama.image.model` is the GGUF
 * file, kept as `blobs/sha256-<hex>` for its digest `sha256:<hex>`. Manifests without a model
 * layer (models that run in Ollama's cloud) are not local models and are skipped; a manifest that
 * cannot be read, or whose blob is missing, is listed with that problem. Nothing is written.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Candidate } from "./candidate";
import type { WalkLimits } from "./walk";

export const OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";
const DEFAULT_REGISTRY = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";
/** Manifests are a few hundred bytes; anything much larger is not one. */
const MAX_MANIFEST_BYTES = 256 * 1024;
const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The name Ollama shows: `deepseek-r1:8b`; `user/model:tag` outside the library; `host/namespace/model:tag` from another registry. */
export function ollamaModelName(registry: string, namespace: string, model: string, tag: string): string {
  if (registry !== DEFAULT_REGISTRY) return `${registry}/${namespace}/${model}:${tag}`;
  return namespace === DEFAULT_NAMESPACE ? `${model}:${tag}` : `${namespace}/${model}:${tag}`;
}

/** The blob a model layer's digest names, or why it names none. */
export function blobPathOf(store: string, digest: unknown): { path: string } | { problem: string } {
  const match = typeof digest === "string" ? DIGEST.exec(digest) : null;
  if (match === null) return { problem: `its model layer has no valid sha256 digest (${JSON.stringify(digest)})` };
  return { path: join(store, "blobs", `sha256-${match[1]}`) };
}

async function sortedDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith(".")).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function sortedFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && !e.name.startsWith(".")).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** The model layer's digest of one manifest file; null for a manifest with no model layer. */
async function readModelDigest(path: string): Promise<{ digest: unknown } | { problem: string } | null> {
  let manifest: unknown;
  try {
    const info = await stat(path);
    if (info.size > MAX_MANIFEST_BYTES) return { problem: `its manifest ${path} is ${info.size} bytes, too large to be an Ollama manifest` };
    manifest = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    return { problem: `its manifest ${path} cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const layers = (manifest as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers)) return { problem: `its manifest ${path} lists no layers` };
  const layer = layers.find((l): l is { digest?: unknown } => typeof l === "object" && l !== null && (l as { mediaType?: unknown }).mediaType === OLLAMA_MODEL_LAYER);
  return layer === undefined ? null : { digest: layer.digest };
}

export async function ollamaCandidates(store: string, limits: WalkLimits): Promise<Candidate[]> {
  const manifests = join(store, "manifests");
  const candidates: Candidate[] = [];
  let entries = 0;
  for (const registry of await sortedDirs(manifests)) {
    for (const namespace of await sortedDirs(join(manifests, registry))) {
      for (const model of await sortedDirs(join(manifests, registry, namespace))) {
        for (const tag of await sortedFiles(join(manifests, registry, namespace, model))) {
          if (++entries > limits.maxEntries) return candidates;
          const manifestPath = join(manifests, registry, namespace, model, tag);
          const name = ollamaModelName(registry, namespace, model, tag);
          const read = await readModelDigest(manifestPath);
          if (read === null) continue;
          const blob = "digest" in read ? blobPathOf(store, read.digest) : read;
          if ("problem" in blob) {
            candidates.push({ source: "ollama", path: manifestPath, expected: [], storeName: name, fallbackName: name, problem: `Ollama's ${name} cannot be used: ${blob.problem}.` });
            continue;
          }
          candidates.push({
            source: "ollama",
            path: blob.path,
            expected: [blob.path],
            storeName: name,
            fallbackName: name,
            missingProblem: `Ollama's manifest for ${name} names the blob ${blob.path}, which is not in its store: pull the model again with \`ollama pull ${name}\`.`,
          });
        }
      }
    }
  }
  return candidates;
}
