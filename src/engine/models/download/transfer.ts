/**
 * Brings one file's `.partial` to its full length: resumes it with `Range` + `If-Range` when the
 * sidecar says which remote file its bytes belong to, and starts over cleanly when the server
 * ignores ranges (200 instead of 206) or the remote file changed. Verification and the rename
 * are the caller's.
 */
import { open, truncate } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import type { IncomingMessage, IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { formatBytes } from "../../../core/format";
import { ensureDiskSpace } from "./diskSpace";
import type { StatfsFunction } from "./diskSpace";
import { DownloadError, LOCAL_FILE_HINT } from "./errors";
import { cancelled, isNetworkError, openGet, statusError } from "./http";
import type { ProgressMeter } from "./progress";
import { readSidecar, removePartial, sizeOf, writeSidecar } from "./sidecar";
import type { PartPaths, Sidecar } from "./sidecar";

/** Why a download went back to byte 0, or that it resumed. */
export type DownloadNotice =
  | { readonly kind: "resumed"; readonly fileName: string; readonly fromBytes: number; readonly message: string }
  | { readonly kind: "restarted"; readonly fileName: string; readonly reason: "changed-remote" | "ranges-ignored" | "bad-range" | "stale-partial"; readonly message: string };

export interface TransferContext {
  readonly url: string;
  readonly fileName: string;
  readonly dir: string;
  readonly paths: PartPaths;
  readonly expectedBytes?: number;
  readonly signal?: AbortSignal;
  readonly token?: string;
  readonly idleTimeoutMs: number;
  readonly statfs?: StatfsFunction;
  readonly diskMarginBytes?: number;
  readonly meter: ProgressMeter;
  /** Bytes of the model finished before this file (split models), for the progress. */
  readonly baseBytes: number;
  /** The whole model's size for the progress, when known beforehand. */
  readonly modelTotalBytes: number | null;
  readonly part: { readonly index: number; readonly count: number };
  readonly notice: (notice: DownloadNotice) => void;
}

export interface TransferResult {
  /** The remote file's size as the server gave it (null when it did not). */
  readonly announcedBytes: number | null;
  /** Bytes that were already in the partial when this call resumed it (0 for a fresh start). */
  readonly resumedFromBytes: number;
}

/** At most this many fresh starts within one call before the remote is declared unstable. */
const MAX_ATTEMPTS = 3;

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === "string" && value.length > 0 ? value : null;
}

function contentLength(headers: IncomingHttpHeaders): number | null {
  const text = header(headers, "content-length");
  const n = text === null ? NaN : Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `bytes start-end/total` → its numbers (total null for `*`). */
function contentRange(headers: IncomingHttpHeaders): { start: number; end: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(headers, "content-range") ?? "");
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === "*" ? null : Number(match[3]) };
}

/** The validator to send in If-Range: a strong ETag, else Last-Modified, else none. */
function ifRangeValue(sidecar: Sidecar): string | null {
  if (sidecar.etag && !sidecar.etag.startsWith("W/")) return sidecar.etag;
  return sidecar.lastModified;
}

/** Did the remote file change since the sidecar was written (as far as the validators tell)? */
function remoteChanged(sidecar: Sidecar, headers: IncomingHttpHeaders, total: number | null): boolean {
  const etag = header(headers, "etag");
  if (sidecar.etag && etag && sidecar.etag !== etag) return true;
  const modified = header(headers, "last-modified");
  if (!(sidecar.etag && etag) && sidecar.lastModified && modified && sidecar.lastModified !== modified) return true;
  return sidecar.totalBytes !== null && total !== null && sidecar.totalBytes !== total;
}

function discard(response: IncomingMessage): void {
  response.resume();
  response.destroy();
}

function isHuggingFace(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "huggingface.co" || host.endsWith(".huggingface.co") || host === "hf.co";
  } catch {
    return false;
  }
}

/** Make `paths.partial` a complete copy of the remote file. */
export async function transferPart(ctx: TransferContext): Promise<TransferResult> {
  const { paths } = ctx;
  let sidecar = await readSidecar(paths.sidecar);
  let offset = await sizeOf(paths.partial);
  if (offset > 0 && (sidecar === null || sidecar.url !== ctx.url)) {
    ctx.notice({ kind: "restarted", fileName: ctx.fileName, reason: "stale-partial", message: `${ctx.fileName}: the partial file left by an earlier download is not from ${ctx.url}; starting over.` });
    await removePartial(paths);
    sidecar = null;
    offset = 0;
  }
  if (sidecar === null) offset = 0;
  const resumedFrom = offset;
  const knownTotal = sidecar?.totalBytes ?? ctx.expectedBytes ?? null;
  if (knownTotal !== null) await ensureDiskSpace(ctx.dir, knownTotal, offset, ctx.statfs, ctx.diskMarginBytes);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (ctx.signal?.aborted) throw cancelled(ctx.signal.reason);
    const headers: OutgoingHttpHeaders = {};
    const validator = sidecar && offset > 0 ? ifRangeValue(sidecar) : null;
    if (sidecar && offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (validator) headers["if-range"] = validator;
    }
    const { response } = await openGet(ctx.url, { headers, signal: ctx.signal, idleTimeoutMs: ctx.idleTimeoutMs, token: ctx.token });
    const status = response.statusCode ?? 0;

    // The partial already holds the whole file (a crash after the last byte, before the rename).
    if (status === 416 && sidecar && offset > 0) {
      discard(response);
      const total = contentRange(response.headers)?.total ?? null;
      if (sidecar.totalBytes !== null && offset === sidecar.totalBytes && (total === null || total === offset)) return { announcedBytes: offset, resumedFromBytes: resumedFrom };
      ctx.notice({ kind: "restarted", fileName: ctx.fileName, reason: "bad-range", message: `${ctx.fileName}: the server could not continue at ${formatBytes(offset)}; starting over.` });
      await removePartial(paths);
      sidecar = null;
      offset = 0;
      continue;
    }
    if (status !== 200 && status !== 206) {
      discard(response);
      throw statusError(ctx.url, status, response.statusMessage, isHuggingFace(ctx.url));
    }

    let start: number;
    let total: number | null;
    if (status === 206) {
      const range = contentRange(response.headers);
      total = range?.total ?? null;
      const changed = sidecar !== null && remoteChanged(sidecar, response.headers, total);
      if (!sidecar || offset === 0 || range === null || range.start !== offset || changed) {
        discard(response);
        const reason = changed ? "changed-remote" : "bad-range";
        ctx.notice({
          kind: "restarted",
          fileName: ctx.fileName,
          reason,
          message: changed ? `${ctx.fileName} changed on the server since the download began; starting over.` : `${ctx.fileName}: the server sent a different part than asked; starting over.`,
        });
        await removePartial(paths);
        sidecar = null;
        offset = 0;
        continue;
      }
      start = offset;
    } else {
      total = contentLength(response.headers);
      if (offset > 0 && sidecar) {
        const changed = remoteChanged(sidecar, response.headers, total);
        ctx.notice({
          kind: "restarted",
          fileName: ctx.fileName,
          reason: changed ? "changed-remote" : "ranges-ignored",
          message: changed
            ? `${ctx.fileName} changed on the server since the download began (${formatBytes(offset)} were downloaded); starting over.`
            : `The server does not resume downloads: ${ctx.fileName} starts over (${formatBytes(offset)} were downloaded).`,
        });
      }
      start = 0;
    }

    try {
      if (ctx.expectedBytes !== undefined && total !== null && total !== ctx.expectedBytes) {
        await removePartial(paths);
        throw new DownloadError(
          "size",
          `The server's ${ctx.fileName} is ${formatBytes(total)} (${total} bytes), not the ${formatBytes(ctx.expectedBytes)} (${ctx.expectedBytes} bytes) expected: it is not the file that was meant. Nothing was kept. ${LOCAL_FILE_HINT}`,
          { details: { fileName: ctx.fileName, announcedBytes: total, expectedBytes: ctx.expectedBytes } },
        );
      }
      if (total !== null) await ensureDiskSpace(ctx.dir, total, start, ctx.statfs, ctx.diskMarginBytes);
      if (start === 0) {
        // Empty the partial first, then describe it: a crash in between leaves an empty partial, never a wrong one.
        await truncate(paths.partial).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOENT") throw error;
        });
        sidecar = {
          version: 1,
          url: ctx.url,
          etag: header(response.headers, "etag"),
          lastModified: header(response.headers, "last-modified"),
          totalBytes: total,
          startedAt: new Date().toISOString(),
        };
        await writeSidecar(paths.sidecar, sidecar);
      } else {
        ctx.notice({ kind: "resumed", fileName: ctx.fileName, fromBytes: start, message: `Resuming ${ctx.fileName} at ${formatBytes(start)}${total === null ? "" : ` of ${formatBytes(total)}`}.` });
      }
    } catch (error) {
      discard(response);
      throw error;
    }

    const partTotal = total;
    const modelTotal = ctx.modelTotalBytes ?? (ctx.part.count === 1 || ctx.part.index === ctx.part.count ? (partTotal === null ? null : ctx.baseBytes + partTotal) : null);
    ctx.meter.reset(ctx.baseBytes + start, modelTotal, ctx.part);
    await receiveBody(ctx, response, start, partTotal);
    return { announcedBytes: total, resumedFromBytes: start };
  }
  throw new DownloadError("changed-remote", `${ctx.fileName} kept changing on the server while it was being downloaded (${MAX_ATTEMPTS} fresh starts). Try again later. ${LOCAL_FILE_HINT}`, {
    details: { fileName: ctx.fileName, url: ctx.url },
  });
}

/**
 * Append the body to the partial, one awaited write per chunk: every byte that arrived is on disk
 * before an error is handled, so a dropped connection keeps all it delivered. Maps what can go
 * wrong on the way to typed errors.
 */
async function receiveBody(ctx: TransferContext, response: IncomingMessage, start: number, total: number | null): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(ctx.paths.partial, start === 0 ? "w" : "a");
  } catch (error) {
    response.destroy();
    throw writeError(ctx, error);
  }
  const onAbort = (): void => {
    response.destroy();
  };
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  let failure: unknown = undefined;
  let writing = false;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      writing = true;
      await file.write(chunk);
      writing = false;
      ctx.meter.add(chunk.length);
      if (ctx.signal?.aborted) break;
    }
  } catch (error) {
    failure = error;
    response.destroy();
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
    await file.close().catch(() => undefined);
    ctx.meter.flush();
  }
  if (ctx.signal?.aborted) throw cancelled(failure ?? ctx.signal.reason);
  if (failure !== undefined) {
    if (writing) throw writeError(ctx, failure);
    throw await incomplete(ctx, total, failure);
  }
  const size = await sizeOf(ctx.paths.partial);
  if (total !== null && size < total) throw await incomplete(ctx, total, undefined);
}

function writeError(ctx: TransferContext, error: unknown): DownloadError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new DownloadError("disk-full", `The disk filled up while downloading ${ctx.fileName} into ${ctx.dir}. Free some space and start the download again: it resumes where it stopped. ${LOCAL_FILE_HINT}`, {
      resumable: true,
      details: { fileName: ctx.fileName, dir: ctx.dir },
      cause: error,
    });
  }
  return new DownloadError("filesystem", `Cannot write ${ctx.paths.partial} (${code}). Choose a download folder you can write to. ${LOCAL_FILE_HINT}`, { resumable: true, details: { path: ctx.paths.partial }, cause: error });
}

async function incomplete(ctx: TransferContext, total: number | null, cause: unknown): Promise<DownloadError> {
  const size = await sizeOf(ctx.paths.partial);
  const of = total === null ? "" : ` of ${formatBytes(total)}`;
  const why = cause === undefined ? "the server ended the transfer early" : isNetworkError(cause) || (cause as NodeJS.ErrnoException | undefined)?.code === "ERR_STREAM_PREMATURE_CLOSE" ? "the connection was lost" : `the transfer failed (${cause instanceof Error ? cause.message : String(cause)})`;
  return new DownloadError(
    "incomplete",
    `The download of ${ctx.fileName} is incomplete: ${why} after ${formatBytes(size)}${of}. The part already downloaded is kept; start the download again to resume it. ${LOCAL_FILE_HINT}`,
    { resumable: true, details: { fileName: ctx.fileName, receivedBytes: size, totalBytes: total ?? "unknown" }, cause },
  );
}
