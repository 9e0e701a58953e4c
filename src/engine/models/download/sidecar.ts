/**
 * The files of one download in the destination folder:
 *   <name>.gguf.partial       the bytes received so far (never named .gguf until verified)
 *   <name>.gguf.partial.json  the sidecar: what those bytes are a prefix of
 * The partial's length is the resume offset; the sidecar says which remote file (URL and its
 * validators) the bytes came from, so a later call can ask for the rest with `Range` and
 * `If-Range`, after a cancel, a crash or a restart.
 */
import { rename, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Sidecar {
  readonly version: 1;
  /** The URL asked for (before redirects). */
  readonly url: string;
  /** The strong or weak ETag of the remote file, as the server sent it. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** The remote file's full size, when the server said it. */
  readonly totalBytes: number | null;
  /** When this download started (ISO time). */
  readonly startedAt: string;
}

export interface PartPaths {
  readonly final: string;
  readonly partial: string;
  readonly sidecar: string;
}

export const PARTIAL_SUFFIX = ".partial";
export const SIDECAR_SUFFIX = ".partial.json";

export function partPaths(dir: string, fileName: string): PartPaths {
  const final = join(dir, fileName);
  return { final, partial: final + PARTIAL_SUFFIX, sidecar: final + SIDECAR_SUFFIX };
}

function isSidecar(value: unknown): value is Sidecar {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const strOrNull = (x: unknown): boolean => x === null || typeof x === "string";
  return (
    v.version === 1 &&
    typeof v.url === "string" &&
    strOrNull(v.etag) &&
    strOrNull(v.lastModified) &&
    (v.totalBytes === null || (typeof v.totalBytes === "number" && Number.isSafeInteger(v.totalBytes) && v.totalBytes >= 0)) &&
    typeof v.startedAt === "string"
  );
}

/** The sidecar, or null when it is missing or unreadable (then the partial is not trusted). */
export async function readSidecar(path: string): Promise<Sidecar | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    return isSidecar(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Written to a temporary name and renamed, so a crash leaves the old sidecar or the new one. */
export async function writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(sidecar, null, 2) + "\n", "utf8");
  await rename(temp, path);
}

/** Bytes in the file, 0 when it does not exist. */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

export async function removePartial(paths: PartPaths): Promise<void> {
  await rm(paths.partial, { force: true });
  await rm(paths.sidecar, { force: true });
}
