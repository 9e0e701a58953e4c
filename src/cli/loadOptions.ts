/**
 * The flags that say how to load the model, shared by the commands that run it (ask,
 * calibrate): their parseArgs specs, their help lines, and the load configuration they make.
 */
import type { LoadConfig } from "../engine/common/types";
import { CliUsageError } from "./command";
import { parseNumberOption } from "./replayOptions";
import { settingLimits, settingOption } from "./settingOptions";

export const LOAD_OPTIONS = {
  gpu: { type: "string" },
  "gpu-layers": { type: "string" },
  context: { type: "string" },
  threads: { type: "string" },
  "stall-timeout": { type: "string" },
} as const;

export const LOAD_OPTIONS_HELP = `  --gpu NAME            ${settingLimits("model.gpu")}
  --gpu-layers N|auto   layers to offload (${settingLimits("model.gpuLayers")})
  --context N|auto      context size in tokens (${settingLimits("model.contextSize")})
  --threads N|auto      CPU threads (${settingLimits("model.threads")})
  --stall-timeout S     stop an engine silent for S seconds while it works (${settingLimits("model.stallTimeoutSeconds")})`;

export interface LoadOptionValues {
  readonly model?: string | undefined;
  readonly gpu?: string | undefined;
  readonly "gpu-layers"?: string | undefined;
  readonly context?: string | undefined;
  readonly threads?: string | undefined;
  readonly "stall-timeout"?: string | undefined;
}

/** The load configuration and the watchdog the flags give, each checked as its setting is. */
export function loadOptions(values: LoadOptionValues): { readonly load: LoadConfig; readonly stallTimeoutSeconds: number } {
  return {
    stallTimeoutSeconds: settingOption("--stall-timeout", "model.stallTimeoutSeconds", values["stall-timeout"]),
    load: {
      modelPath: settingOption("--model", "model.path", values.model),
      gpu: settingOption("--gpu", "model.gpu", values.gpu),
      gpuLayers: settingOption("--gpu-layers", "model.gpuLayers", values["gpu-layers"]),
      contextSize: settingOption("--context", "model.contextSize", values.context),
      threads: settingOption("--threads", "model.threads", values.threads),
    },
  };
}

/** A whole-number option (`--seed`, `--n`). */
export function parseIntegerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = parseNumberOption(name, raw, fallback, min, max);
  if (!Number.isInteger(value)) throw new CliUsageError(`${name} must be a whole number`);
  return value;
}
