/**
 * Turns what the user gave (an https URL, a loopback http URL, or an `hf:` URI) into the URLs to
 * fetch and the file names to write, without touching the network.
 *
 * Supported `hf:` forms (the file-path subset of node-llama-cpp's parseModelUri syntax):
 *   hf:<user>/<repo>/<path>.gguf            → https://huggingface.co/<user>/<repo>/resolve/main/<path>.gguf
 *   hf:<user>/<repo>/<path>.gguf#<branch>   → …/resolve/<branch>/<path>.gguf
 * The prefixes `hf://`, `huggingface:` and `huggingface://` are read as `hf:`.
 * Not supported: `hf:<user>/<repo>` and `hf:<user>/<repo>:<quant>`, which name no file: node-llama-cpp
 * asks the hub's manifest API which file they mean, and this module does not query anything before
 * the download itself. Such a URI is refused with a message asking for the file's path.
 *
 * Split models: a URL or URI ending in `-0000K-of-0000N.gguf` stands for all N parts; each part
 * is downloaded, and the first part is the model's path (llama.cpp finds the others beside it).
 */
import { DownloadError, LOCAL_FILE_HINT } from "./errors";

export interface DownloadPart {
  readonly url: string;
  /** The finished file's name in the destination folder. */
  readonly fileName: string;
}

export interface ResolvedSource {
  /** The source as given. */
  readonly source: string;
  /** Every file of the model, in order (one unless it is split). */
  readonly parts: readonly DownloadPart[];
}

const HF_PREFIXES = ["hf://", "huggingface://", "hf:", "huggingface:"] as const;
const HF_ENDPOINT = "https://huggingface.co/";
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i;

function invalid(message: string, source: string): DownloadError {
  return new DownloadError("invalid-source", message, { details: { source } });
}

/** `hf:user/repo/path.gguf[#branch]` → the hub's resolve URL. */
export function huggingFaceUrl(uri: string): string {
  const prefix = HF_PREFIXES.find((p) => uri.toLowerCase().startsWith(p));
  if (prefix === undefined) throw invalid(`${uri} is not an hf: URI.`, uri);
  let rest = uri.slice(prefix.length);
  let branch = "main";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    branch = rest.slice(hash + 1) || "main";
    rest = rest.slice(0, hash);
  }
  const [user, repo, ...path] = rest.split("/");
  if (!user || !repo) throw invalid(`${uri} is not a Hugging Face URI: write hf:<user>/<repo>/<file>.gguf.`, uri);
  if (path.length === 0 || path.every((p) => p === "")) {
    throw invalid(
      `${uri} names a repository, not a file. Downloads need the file: write hf:${user}/${repo.split(":")[0]}/<file>.gguf (the exact name from the repository's file list; a ":quant" tag is not resolved here).`,
      uri,
    );
  }
  if (repo.includes(":")) throw invalid(`${uri}: a ":quant" tag cannot be combined with a file path. Write hf:<user>/<repo>/<file>.gguf.`, uri);
  if (path.some((p) => p === "" || p === "." || p === "..")) throw invalid(`${uri} has an empty or relative path segment.`, uri);
  const encoded = [user, repo].map(encodeURIComponent).join("/");
  return `${HF_ENDPOINT}${encoded}/resolve/${encodeURIComponent(branch)}/${path.map(encodeURIComponent).join("/")}`;
}

/** https anywhere; http only to this machine (tests, a local mirror). Throws invalid-source otherwise. */
export function checkUrl(url: string, source: string = url): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`${source} is neither a URL nor an hf: URI. ${LOCAL_FILE_HINT}`, source);
  }
  if (parsed.protocol === "https:") return parsed;
  if (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname)) return parsed;
  if (parsed.protocol === "http:") throw invalid(`${source} uses plain http, which is only accepted for this machine (127.0.0.1, localhost). Use its https address.`, source);
  throw invalid(`${source} uses ${parsed.protocol.replace(/:$/, "")}, not https.`, source);
}

/** The last path segment, decoded; it must be a plain file name ending in .gguf. */
export function fileNameOf(url: URL, source: string): string {
  const last = url.pathname.split("/").pop() ?? "";
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    throw invalid(`${source}: its file name is not valid percent-encoding.`, source);
  }
  checkFileName(name, source);
  return name;
}

export function checkFileName(name: string, source: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) throw invalid(`${source} does not end in a file name.`, source);
  if (!name.toLowerCase().endsWith(".gguf")) throw invalid(`${source} is not a .gguf file (${name}). Only GGUF models can be downloaded.`, source);
}

/** Resolve a source into its parts. `fileName` overrides the name of a single-file model. */
export function resolveSource(source: string, fileName?: string): ResolvedSource {
  const trimmed = source.trim();
  const isHf = HF_PREFIXES.some((p) => trimmed.toLowerCase().startsWith(p));
  const url = checkUrl(isHf ? huggingFaceUrl(trimmed) : trimmed, trimmed);
  const name = fileNameOf(url, trimmed);
  const split = SPLIT_PART.exec(url.pathname);
  const count = split ? Number(split[2]) : 1;
  if (!split || count <= 1 || Number(split[1]) < 1 || Number(split[1]) > count) {
    if (fileName !== undefined) checkFileName(fileName, fileName);
    return { source: trimmed, parts: [{ url: url.href, fileName: fileName ?? name }] };
  }
  const parts: DownloadPart[] = [];
  for (let i = 1; i <= count; i++) {
    const suffix = `-${String(i).padStart(5, "0")}-of-${split[2]}.gguf`;
    const partUrl = new URL(url.href);
    partUrl.pathname = url.pathname.replace(SPLIT_PART, suffix);
    parts.push({ url: partUrl.href, fileName: name.replace(SPLIT_PART, suffix) });
  }
  return { source: trimmed, parts };
}
