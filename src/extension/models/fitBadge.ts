import { freemem, totalmem } from "node:os";
import { formatBytes } from "../../core/format";

export interface FitView {
  /** A few words for the picker's line: "fits in RAM", "too big". */
  readonly badge: string;
  /** Why, with the numbers. */
  readonly reason: string;
}

/** Weights plus a working margin (context, buffers): the file's size and a quarter more. */
const OVERHEAD = 1.25;

/** A first estimate from the file size and this machine's RAM alone (no GPU figures in the editor's process). */
export function ramFit(sizeBytes: number, freeBytes = freemem(), totalBytes = totalmem()): FitView {
  const need = sizeBytes * OVERHEAD;
  if (need <= freeBytes) return { badge: "fits in RAM", reason: `needs about ${formatBytes(need)}; ${formatBytes(freeBytes)} of RAM is free.` };
  if (need <= totalBytes) return { badge: "tight", reason: `needs about ${formatBytes(need)}; ${formatBytes(freeBytes)} of ${formatBytes(totalBytes)} RAM is free: close other programs, or offload layers to a GPU.` };
  return { badge: "too big", reason: `needs about ${formatBytes(need)}, more than this machine's ${formatBytes(totalBytes)} of RAM.` };
}
