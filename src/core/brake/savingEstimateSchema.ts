/** The saving estimate's shape as both message boundaries (engine ⇄ host, host ⇄ webview) validate it. */
import * as z from "zod/mini";
import { SAVING_BASES } from "./savingEstimate";

const count = z.number().check(z.int(), z.nonnegative());

export const savingEstimateSchema = z.object({
  tokens: count,
  basis: z.enum(SAVING_BASES),
  ratio: z.number().check(z.nonnegative()),
  low: count,
  high: count,
  source: z.string(),
});

/** A ratio measured on the user's own model by calibration (AskRequest.savingRatio). */
export const calibratedRatioSchema = z.object({
  traces: count,
  median: z.number().check(z.nonnegative()),
  q1: z.number().check(z.nonnegative()),
  q3: z.number().check(z.nonnegative()),
  model: z.string(),
});
