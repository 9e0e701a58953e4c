import type { FitEstimate, MachineState } from "../../engine/common/types";
import type { CatalogueEntry } from "../../engine/models/catalogue";
import { estimateFitFromSize } from "../../engine/models/fitFromSize";
import { fitRank } from "../../engine/common/fit";
import type { FitView } from "./fitBadge";

/** A fit as the picker shows it, and its rank for sorting (best first). */
export interface RankedFitView extends FitView {
  readonly rank: number;
}

/** The picker's words for a fit estimate: a badge ("partly on GPU · usable") and the engine's reason. */
export function fitView(fit: FitEstimate): RankedFitView {
  const where =
    fit.verdict === "gpu"
      ? "fits on GPU"
      : fit.verdict === "partial"
        ? `partly on GPU (${fit.gpuLayers}/${fit.totalLayers} layers)`
        : fit.verdict === "cpu"
          ? "CPU only"
          : "won't fit";
  return { badge: fit.verdict === "none" ? where : `${where} · ${fit.speedClass}`, reason: fit.reason.replace(/\.?$/, "."), rank: fitRank(fit) };
}

/** The engine's fit for files and a size estimate against the engine's view of the machine for catalogue entries. */
export interface EngineFits {
  file(path: string): Promise<FitEstimate>;
  machine(): Promise<MachineState>;
}

/** Fits for the picker, from the engine; undefined where the engine could not say (the first, RAM-only estimate stays). */
export async function engineFitViews(
  fits: EngineFits,
  files: readonly string[],
  catalogue: readonly CatalogueEntry[],
  contextSize: number | "auto",
): Promise<{ files: Map<string, RankedFitView>; catalogue: Map<string, RankedFitView> }> {
  const fileViews = new Map<string, RankedFitView>();
  for (const path of files) {
    // one at a time: each is a request to the one engine process
    const fit = await fits.file(path).catch(() => undefined);
    if (fit) fileViews.set(path, fitView(fit));
  }
  const catalogueViews = new Map<string, RankedFitView>();
  const machine = await fits.machine().catch(() => undefined);
  if (machine) {
    for (const entry of catalogue) catalogueViews.set(entry.id, fitView(estimateFitFromSize(entry, machine, { contextSize })));
  }
  return { files: fileViews, catalogue: catalogueViews };
}
