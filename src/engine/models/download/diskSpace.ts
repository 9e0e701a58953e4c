/** Is there room for the rest of the download? Asked with fs.statfs before any request. */
import { statfs as nodeStatfs } from "node:fs/promises";
import { formatBytes } from "../../../core/format";
import { DownloadError, LOCAL_FILE_HINT } from "./errors";

/** The part of fs.statfs's answer used here (injectable, so tests can fill a disk). */
export interface FreeSpaceInfo {
  readonly bavail: number | bigint;
  readonly bsize: number | bigint;
}
export type StatfsFunction = (path: string) => Promise<FreeSpaceInfo>;

/** Kept free beyond the file itself: 64 MiB, or 1 % of what is still to come if that is more. */
export function diskMargin(remainingBytes: number): number {
  return Math.max(64 * 1024 * 1024, Math.ceil(remainingBytes * 0.01));
}

/** Free bytes for an unprivileged user, or null when the file system cannot say. */
export async function freeBytes(dir: string, statfs: StatfsFunction = nodeStatfs): Promise<number | null> {
  try {
    const info = await statfs(dir);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
}

/**
 * Throws disk-full when `dir` has less than (total − already downloaded + margin) free.
 * A file system that cannot report its space is not refused.
 */
export async function ensureDiskSpace(
  dir: string,
  totalBytes: number,
  alreadyBytes: number,
  statfs?: StatfsFunction,
  margin?: number,
): Promise<void> {
  const remaining = Math.max(0, totalBytes - alreadyBytes);
  const keep = margin ?? diskMargin(remaining);
  const free = await freeBytes(dir, statfs);
  if (free === null || free >= remaining + keep) return;
  const have = alreadyBytes > 0 ? ` (${formatBytes(alreadyBytes)} of it is already downloaded)` : "";
  throw new DownloadError(
    "disk-full",
    `Not enough disk space in ${dir}: the model is ${formatBytes(totalBytes)}${have}, so ${formatBytes(remaining)} more plus ${formatBytes(keep)} to spare are needed, and only ${formatBytes(free)} is free. Free some space or choose another download folder. ${LOCAL_FILE_HINT}`,
    { resumable: alreadyBytes > 0, details: { dir, totalBytes, alreadyBytes, remainingBytes: remaining, marginBytes: keep, freeBytes: free } },
  );
}
