/**
 * downloadModel: fetch a GGUF model (all parts of a split one) into a folder, resumably.
 * The only function of this module that touches the network, and only when called.
 *
 * Per file: `<name>.gguf.partial` receives the bytes and `<name>.gguf.partial.json` (the sidecar)
 * records the URL, ETag / Last-Modified and total size; a later call resumes with Range/If-Range.
 * When the partial is complete its size, SHA-256 (when given) and GGUF header are checked, and only
 * then is it renamed to `<name>.gguf` (a rename within one folder: atomic).
 */
import { mkdir, rename, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { formatBytes } from "../../../core/format";
import { checkGgufFile } from "../../common/ggufHeader";
import { ensureDiskSpace } from "./diskSpace";
import type { StatfsFunction } from "./diskSpace";
import { DownloadError, LOCAL_FILE_HINT } from "./errors";
import { cancelled } from "./http";
import { ProgressMeter } from "./progress";
import type { DownloadProgress } from "./progress";
import { partPaths, removePartial, sizeOf } from "./sidecar";
import { resolveSource } from "./source";
import { transferPart } from "./transfer";
import type { DownloadNotice } from "./transfer";
import { normaliseSha256, verifyDownloadedFile } from "./verify";

export interface DownloadModelOptions {
  /** `https://…/x.gguf`, `http://127.0.0.1:…/x.gguf`, or `hf:<user>/<repo>/<path>.gguf[#branch]` (see source.ts). */
  readonly source: string;
  /** The folder the model goes into (created when missing). */
  readonly destinationDir: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Resumes and fresh starts, with a sentence for the user. */
  readonly onNotice?: (notice: DownloadNotice) => void;
  /** The file's size in bytes; for a split model, the sum of all parts. */
  readonly expectedSize?: number;
  /** The file's SHA-256 (hex); for a split model, one per part, in order. */
  readonly sha256?: string | readonly string[];
  /** Name of the finished file (single-file models only); default: the URL's last segment. */
  readonly fileName?: string;
  /** A Hugging Face (or other) access token, sent only to the source's own host. */
  readonly token?: string;
  /** Download again even when the finished .gguf is already there (default false). */
  readonly overwrite?: boolean;
  /** Milliseconds of silence after which the connection counts as lost (default 60 000). */
  readonly idleTimeoutMs?: number;
  /** Space to keep free beyond the file (default: 64 MiB or 1 % of the download, the larger). */
  readonly diskMarginBytes?: number;
  /** Tests: replace fs.statfs. */
  readonly statfs?: StatfsFunction;
  /** Least time between two progress events (default 200 ms). */
  readonly progressIntervalMs?: number;
}

export interface DownloadedPart {
  readonly path: string;
  readonly bytes: number;
  /** Present when a SHA-256 was given and checked. */
  readonly sha256: string | null;
  /** Bytes that were already downloaded by an earlier attempt and resumed. */
  readonly resumedFromBytes: number;
  /** The finished file was already there; nothing was downloaded. */
  readonly alreadyPresent: boolean;
}

export interface DownloadModelResult {
  /** The model's path: the file, or the first part of a split model. */
  readonly path: string;
  readonly parts: readonly DownloadedPart[];
  /** All parts together. */
  readonly bytes: number;
  readonly notices: readonly DownloadNotice[];
}

/** Destinations being written by this process: a second call for one of them is refused (busy). */
const active = new Set<string>();

export async function downloadModel(options: DownloadModelOptions): Promise<DownloadModelResult> {
  const resolved = resolveSource(options.source, options.fileName);
  const count = resolved.parts.length;
  const hashes = typeof options.sha256 === "string" ? [options.sha256] : (options.sha256 ?? []);
  if (hashes.length > 0 && hashes.length !== count) {
    throw new DownloadError("invalid-source", `${count} SHA-256 checksums are needed for this ${count}-part model, ${hashes.length} were given.`, { details: { source: options.source } });
  }
  const sha256 = hashes.map(normaliseSha256);
  if (options.expectedSize !== undefined && !(Number.isSafeInteger(options.expectedSize) && options.expectedSize > 0)) {
    throw new DownloadError("invalid-source", `The expected size ${options.expectedSize} is not a positive number of bytes.`, { details: { source: options.source } });
  }
  const dir = resolve(options.destinationDir);
  const signal = options.signal;
  if (signal?.aborted) throw cancelled(signal.reason);
  const all = resolved.parts.map((part) => ({ ...part, paths: partPaths(dir, part.fileName) }));
  const busy = all.find((part) => active.has(part.paths.final));
  if (busy) throw new DownloadError("busy", `${busy.fileName} is already being downloaded into ${dir}. Wait for that download or cancel it.`, { details: { path: busy.paths.final } });
  // Claimed before the first await, so two calls started together cannot both pass the check.
  for (const part of all) active.add(part.paths.final);

  const notices: DownloadNotice[] = [];
  const notice = (n: DownloadNotice): void => {
    notices.push(n);
    options.onNotice?.(n);
  };
  const meter = new ProgressMeter(options.onProgress, options.progressIntervalMs);
  try {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new DownloadError("filesystem", `Cannot create the download folder ${dir} (${code}). Choose another folder. ${LOCAL_FILE_HINT}`, { details: { dir }, cause: error });
    }
    // A split model's total is checked up front when it is known; single files are checked in transferPart.
    if (count > 1 && options.expectedSize !== undefined) {
      let already = 0;
      for (const part of all) already += (await exists(part.paths.final)) ? await sizeOf(part.paths.final) : await sizeOf(part.paths.partial);
      await ensureDiskSpace(dir, options.expectedSize, already, options.statfs, options.diskMarginBytes);
    }
    const done: DownloadedPart[] = [];
    let baseBytes = 0;
    for (const [i, part] of all.entries()) {
      if (signal?.aborted) throw cancelled(signal.reason);
      const partInfo = { index: i + 1, count };
      const expectedBytes = count === 1 ? options.expectedSize : undefined;
      const hash = sha256[i];
      if (!options.overwrite && (await exists(part.paths.final))) {
        const present = await checkGgufFile(part.paths.final);
        if (present.ok && (expectedBytes === undefined || present.fileBytes === expectedBytes)) {
          done.push({ path: part.paths.final, bytes: present.fileBytes, sha256: null, resumedFromBytes: 0, alreadyPresent: true });
          baseBytes += present.fileBytes;
          continue;
        }
      }
      const transfer = await transferPart({
        url: part.url,
        fileName: part.fileName,
        dir,
        paths: part.paths,
        expectedBytes,
        signal,
        token: options.token,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        statfs: options.statfs,
        diskMarginBytes: options.diskMarginBytes,
        meter,
        baseBytes,
        modelTotalBytes: options.expectedSize ?? null,
        part: partInfo,
        notice,
      });
      let verified: { bytes: number; sha256: string | null };
      try {
        verified = await verifyDownloadedFile(part.paths.partial, part.fileName, { announcedBytes: transfer.announcedBytes, expectedBytes, sha256: hash, signal });
      } catch (error) {
        if (signal?.aborted) throw cancelled(error);
        if (error instanceof DownloadError) await removePartial(part.paths);
        throw error;
      }
      await rename(part.paths.partial, part.paths.final);
      await removePartial(part.paths);
      done.push({ path: part.paths.final, bytes: verified.bytes, sha256: verified.sha256, resumedFromBytes: transfer.resumedFromBytes, alreadyPresent: false });
      baseBytes += verified.bytes;
    }
    if (count > 1 && options.expectedSize !== undefined && baseBytes !== options.expectedSize) {
      throw new DownloadError("size", `The ${count} parts of the model add up to ${formatBytes(baseBytes)} (${baseBytes} bytes), not the ${formatBytes(options.expectedSize)} (${options.expectedSize} bytes) expected. ${LOCAL_FILE_HINT}`, {
        details: { bytes: baseBytes, expectedBytes: options.expectedSize },
      });
    }
    return { path: done[0]!.path, parts: done, bytes: baseBytes, notices };
  } catch (error) {
    if (signal?.aborted && !(error instanceof DownloadError && error.code === "cancelled")) throw cancelled(error);
    throw error;
  } finally {
    for (const part of all) active.delete(part.paths.final);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
