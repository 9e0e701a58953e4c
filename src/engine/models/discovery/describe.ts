/**
 * Reads what a candidate's files say: the size of every shard that exists, the facts of the
 * first shard's GGUF header (the parameter count over all shards), and a problem when a file is
 * missing or its header cannot be trusted. Never throws: a model that cannot be read is still
 * listed, with its problem.
 */
import { lstat, readlink, stat } from "node:fs/promises";
import { basename } from "node:path";
import { checkGgufFile } from "../../common/ggufHeader";
import type { Candidate } from "./candidate";
import type { DiscoveredModel, ModelFacts } from "./types";

type FileState = { readonly path: string; readonly bytes: number } | { readonly path: string; readonly bytes: null; readonly why: string };

async function fileState(path: string): Promise<FileState> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { path, bytes: null, why: `${path} is not a file` };
    return { path, bytes: info.size };
  } catch (error) {
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink() === true) {
      const target = await readlink(path).catch(() => "?");
      return { path, bytes: null, why: `${path} is a link to ${target}, which does not exist (an interrupted download?)` };
    }
    const code = (error as NodeJS.ErrnoException).code;
    return { path, bytes: null, why: code === "ENOENT" ? `${path} does not exist` : `${path} cannot be read (${code ?? String(error)})` };
  }
}

function missingShards(states: readonly FileState[]): string {
  const missing = states.filter((s) => s.bytes === null);
  const names = missing.map((s) => basename(s.path)).join(", ");
  return `${missing.length} of its ${states.length} shards ${missing.length === 1 ? "is" : "are"} missing: ${names}. Download the missing ${missing.length === 1 ? "shard" : "shards"} into the same folder.`;
}

export async function describeCandidate(candidate: Candidate): Promise<DiscoveredModel> {
  const states = await Promise.all(candidate.expected.map(fileState));
  const shards = states.filter((s) => s.bytes !== null).map((s) => s.path);
  const sizeBytes = states.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
  const base = { path: candidate.path, shards, sizeBytes, source: candidate.source, storeName: candidate.storeName };
  const unread = (problem: string): DiscoveredModel => ({ ...base, displayName: candidate.fallbackName, facts: null, problem });

  if (candidate.problem !== undefined) return unread(candidate.problem);
  const first = states[0];
  if (first === undefined) return unread("it names no model file");
  if (states.length > 1 && states.some((s) => s.bytes === null)) {
    // The header still names the model when the first shard is there.
    const problem = missingShards(states);
    if (first.bytes === null) return unread(problem);
    const check = await checkGgufFile(first.path);
    if (!check.ok) return unread(`${problem} ${check.message}`);
    return { ...base, displayName: nameOf(check.name, candidate.fallbackName), facts: factsOf(check, null), problem };
  }
  if (first.bytes === null) return unread(candidate.missingProblem ?? first.why);

  const check = await checkGgufFile(first.path);
  if (!check.ok) return unread(check.message);
  let parameterCount = check.parameterCount;
  for (const shard of shards.slice(1)) {
    const other = await checkGgufFile(shard);
    if (!other.ok) return { ...base, displayName: nameOf(check.name, candidate.fallbackName), facts: factsOf(check, null), problem: other.message };
    parameterCount = parameterCount === null || other.parameterCount === null ? null : parameterCount + other.parameterCount;
  }
  return { ...base, displayName: nameOf(check.name, candidate.fallbackName), facts: factsOf(check, parameterCount), problem: null };
}

function nameOf(headerName: string | null, fallback: string): string {
  const name = headerName?.trim() ?? "";
  return name.length > 0 ? name : fallback;
}

function factsOf(header: Omit<ModelFacts, "parameterCount">, parameterCount: number | null): ModelFacts {
  return {
    architecture: header.architecture,
    name: header.name,
    sizeLabel: header.sizeLabel,
    parameterCount,
    fileType: header.fileType,
    quantization: header.quantization,
    contextLength: header.contextLength,
    blockCount: header.blockCount,
    chatTemplateThinks: header.chatTemplateThinks,
  };
}
