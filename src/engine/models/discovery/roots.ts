/**
 * Where each store keeps its models, from the home folder, the environment and the platform
 * alone (no I/O, so it is tested on plain values). LM Studio's configured folder needs a file
 * read: lmStudioSettings.ts adds it.
 */
import { join } from "node:path";
import type { ModelSource } from "./types";

export interface RootContext {
  readonly homeDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
}

/** A folder to look through and the source its models are listed under. */
export interface Root {
  readonly source: ModelSource;
  readonly dir: string;
}

const set = (value: string | undefined): string | null => (value !== undefined && value.trim().length > 0 ? value : null);

/**
 * LM Studio's default models folders: `~/.lmstudio/models` (0.3 and later) and the older
 * `~/.cache/lm-studio/models`, as its documentation ("Import Models") and older releases put them.
 */
export function lmStudioDefaultRoots(ctx: RootContext): string[] {
  return [join(ctx.homeDir, ".lmstudio", "models"), join(ctx.homeDir, ".cache", "lm-studio", "models")];
}

/**
 * Ollama's store: `OLLAMA_MODELS` when set (Ollama then uses it alone), else `~/.ollama/models`,
 * and on Linux also the store of the system service its install script sets up
 * (`/usr/share/ollama/.ollama/models`, the home of the `ollama` user).
 */
export function ollamaRoots(ctx: RootContext): string[] {
  const configured = set(ctx.env.OLLAMA_MODELS);
  if (configured !== null) return [configured];
  const roots = [join(ctx.homeDir, ".ollama", "models")];
  if (ctx.platform === "linux") roots.push("/usr/share/ollama/.ollama/models");
  return roots;
}

/**
 * The Hugging Face hub cache, by huggingface_hub's own rule: `HF_HUB_CACHE` (or its older name
 * `HUGGINGFACE_HUB_CACHE`), else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`. One folder: the environment replaces the default.
 */
export function huggingFaceHubRoot(ctx: RootContext): string {
  const hubCache = set(ctx.env.HF_HUB_CACHE) ?? set(ctx.env.HUGGINGFACE_HUB_CACHE);
  if (hubCache !== null) return hubCache;
  const hfHome = set(ctx.env.HF_HOME);
  if (hfHome !== null) return join(hfHome, "hub");
  const xdg = set(ctx.env.XDG_CACHE_HOME);
  return join(xdg ?? join(ctx.homeDir, ".cache"), "huggingface", "hub");
}

/** node-llama-cpp's models folder (`cliModelsDirectory` in its config.js: `~/.node-llama-cpp/models`), where `pull` and `resolveModelFile` put files by default. */
export function nodeLlamaCppRoot(ctx: RootContext): string {
  return join(ctx.homeDir, ".node-llama-cpp", "models");
}
