/**
 * The flags that say how to load the model, shared by the commands that run it (ask,
 * calibrate): their parseArgs specs, their help lines, and the load configuration they make.
 */
import type { LoadConfig, ServerConfig } from "../engine/common/types";
import { apiKeyProblem, checkServerUrl } from "../core/settings/serverUrl";
import { watchdogSeconds } from "../core/settings/serverTimeout";
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

/** The flags of a server that runs the model instead of a local file (`ask --server URL`). */
export const SERVER_OPTIONS = {
  server: { type: "string" },
  "server-model": { type: "string" },
  "api-key-env": { type: "string" },
  "server-api": { type: "string" },
  "prompt-format": { type: "string" },
  timeout: { type: "string" },
} as const;

/** Where the API key is read from when `--api-key-env` is not given. */
export const DEFAULT_API_KEY_ENV = "SELF_BRAKING_API_KEY";

export const SERVER_OPTIONS_HELP = `  --server URL          run the model on llama-server, vLLM or another OpenAI-compatible server
                        at URL (http:// or https://) instead of a local file; the brake runs here
  --server-model NAME   the model to ask the server for (default: its only or first model)
  --api-key-env NAME    the environment variable holding the server's API key (default
                        ${DEFAULT_API_KEY_ENV}); a key is never given on the command line
  --server-api API      ${settingLimits("server.api")}
  --prompt-format F     ${settingLimits("server.promptFormat")}
  --timeout S           seconds the server may stay silent (${settingLimits("server.timeoutSeconds")})`;

export interface ServerOptionValues {
  readonly server?: string | undefined;
  readonly "server-model"?: string | undefined;
  readonly "api-key-env"?: string | undefined;
  readonly "server-api"?: string | undefined;
  readonly "prompt-format"?: string | undefined;
  readonly timeout?: string | undefined;
}

const SERVER_ONLY_FLAGS = ["server-model", "api-key-env", "server-api", "prompt-format", "timeout"] as const;

/**
 * The server the flags name, checked as `selfBraking.server.*` is, with the API key from the
 * environment (never from a flag: a command line is visible to every user of the machine and
 * kept in shell history). Undefined without `--server`.
 */
export function serverOptions(values: ServerOptionValues, env: Readonly<Record<string, string | undefined>>): ServerConfig | undefined {
  if (values.server === undefined) {
    const stray = SERVER_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
    if (stray.length > 0) throw new CliUsageError(`${stray.map((f) => `--${f}`).join(", ")} ${stray.length === 1 ? "goes" : "go"} with --server URL`);
    return undefined;
  }
  const url = checkServerUrl(values.server);
  if (!url.ok) {
    // the address is not repeated: it may hold a password
    throw new CliUsageError(
      url.reason === "credentials"
        ? `--server must not carry a user name or password: give the API key in an environment variable (--api-key-env NAME, default ${DEFAULT_API_KEY_ENV})`
        : `--server must be ${url.expected}`,
    );
  }
  if (url.url === "") throw new CliUsageError("--server needs the server's address, such as http://gpu-box:8080");
  const apiKey = apiKeyFrom(values["api-key-env"], env);
  return {
    url: url.url,
    model: settingOption("--server-model", "server.model", values["server-model"]),
    ...(apiKey !== undefined ? { apiKey } : {}),
    api: settingOption("--server-api", "server.api", values["server-api"]),
    promptFormat: settingOption("--prompt-format", "server.promptFormat", values["prompt-format"]),
    timeoutSeconds: settingOption("--timeout", "server.timeoutSeconds", values.timeout),
  };
}

/** The key in the named variable (the default one may be unset: no key; a named one must be set). */
function apiKeyFrom(name: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new CliUsageError(`--api-key-env takes the name of an environment variable, such as ${DEFAULT_API_KEY_ENV} (letters, digits and _), not the key itself`);
  }
  const variable = name ?? DEFAULT_API_KEY_ENV;
  const key = env[variable]?.trim();
  if (key === undefined || key === "") {
    if (name !== undefined) throw new CliUsageError(`--api-key-env ${name}: the environment variable ${name} is not set (or empty)`);
    return undefined;
  }
  const problem = apiKeyProblem(key);
  if (problem !== undefined) throw new CliUsageError(`the API key in ${variable}: ${problem}`);
  return key;
}

/**
 * `--model PATH` or `--server URL` (one of them), with the local load flags and the watchdog. With
 * a server the model file is empty, and the watchdog waits at least the server timeout.
 */
export function modelOrServerOptions(values: LoadOptionValues & ServerOptionValues, env: Readonly<Record<string, string | undefined>>): { readonly load: LoadConfig; readonly stallTimeoutSeconds: number } {
  const server = serverOptions(values, env);
  if (server && values.model !== undefined) throw new CliUsageError("give --model PATH or --server URL, not both (name the server's model with --server-model)");
  if (!server && values.model === undefined) throw new CliUsageError("--model PATH is required (or --server URL)");
  const { load, stallTimeoutSeconds } = loadOptions(values);
  if (!server) return { load, stallTimeoutSeconds };
  return { load: { ...load, modelPath: "", server }, stallTimeoutSeconds: watchdogSeconds(stallTimeoutSeconds, server) };
}

/** Sampling flags of the commands that answer a set of problems (calibrate, bench): greedy and seeded by default, so runs repeat. */
export const SAMPLING_OPTIONS = {
  temperature: { type: "string" },
  seed: { type: "string" },
  "max-answer": { type: "string" },
} as const;

export function samplingOptions(values: { readonly temperature?: string | undefined; readonly seed?: string | undefined; readonly "max-answer"?: string | undefined }): {
  readonly temperature: number;
  readonly seed: number;
  readonly maxAnswerTokens: number;
} {
  return {
    temperature: values.temperature === undefined ? 0 : settingOption("--temperature", "generation.temperature", values.temperature),
    seed: parseIntegerOption("--seed", values.seed, 1, 0, 2 ** 31 - 1),
    maxAnswerTokens: settingOption("--max-answer", "generation.maxAnswerTokens", values["max-answer"]),
  };
}

/** A whole-number option (`--seed`, `--n`). */
export function parseIntegerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = parseNumberOption(name, raw, fallback, min, max);
  if (!Number.isInteger(value)) throw new CliUsageError(`${name} must be a whole number`);
  return value;
}
