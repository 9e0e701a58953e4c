/**
 * The single source of truth for every `selfBraking.*` setting: key, JSON type, default,
 * bounds, enum and the description users read. package.json's `contributes.configuration`
 * is generated from this list (`npm run sync:settings`) and a unit test checks they agree.
 */
import { BRAKE_MODES, ENGINE_KINDS, GPU_CHOICES, PROBE_MODES, PROMPT_FORMATS, SERVER_APIS, SIGNAL_POLICIES } from "../vocabulary";

export type SettingScope = "application" | "machine" | "machine-overridable" | "window" | "resource";

interface BaseSetting<T> {
  readonly key: string;
  readonly default: T;
  readonly description: string;
  readonly scope: SettingScope;
  readonly order: number;
}

export interface BooleanSetting extends BaseSetting<boolean> {
  readonly type: "boolean";
}

export interface NumberSetting extends BaseSetting<number> {
  readonly type: "number" | "integer";
  readonly minimum: number;
  readonly maximum: number;
}

export interface StringSetting extends BaseSetting<string> {
  readonly type: "string";
  readonly maxLength?: number;
  /** Machine-specific file path: shown with a file-path hint. */
  readonly isPath?: boolean;
  /** A server's base address: http:// or https://, no credentials, no query or fragment (empty: not set). */
  readonly isServerUrl?: boolean;
}

export interface EnumSetting<E extends string = string> extends BaseSetting<E> {
  readonly type: "enum";
  readonly enum: readonly E[];
  readonly enumDescriptions: readonly string[];
}

/** `"auto"` or an integer within bounds. */
export interface AutoOrIntegerSetting extends BaseSetting<"auto" | number> {
  readonly type: "autoOrInteger";
  readonly minimum: number;
  readonly maximum: number;
}

export type SettingDefinition = BooleanSetting | NumberSetting | StringSetting | EnumSetting | AutoOrIntegerSetting;

export const DEFAULT_BRAKE_CUE = "Wait, I've verified my answer. No need to continue thinking.";

export const SETTINGS = {
  "model.path": {
    key: "model.path",
    type: "string",
    isPath: true,
    default: "",
    maxLength: 4096,
    scope: "machine",
    order: 0,
    description:
      "Absolute path of the GGUF model file to run (for example a DeepSeek-R1 distill, QwQ or Qwen3; `~` stands for your home folder). Leave empty to choose one with the **Self-Braking: Choose Model File** command.",
  },
  "model.gpu": {
    key: "model.gpu",
    type: "enum",
    enum: GPU_CHOICES,
    enumDescriptions: [
      "Try CUDA, then Vulkan, then Metal, and fall back to the CPU; the backend actually used is shown when the model loads.",
      "NVIDIA GPUs through CUDA (needs the optional CUDA binaries).",
      "NVIDIA, AMD and Intel GPUs through Vulkan.",
      "Apple Silicon GPUs through Metal.",
      "CPU only, no GPU offload.",
    ],
    default: "auto",
    scope: "machine",
    order: 1,
    description: "Which compute backend runs the model. If the chosen GPU backend is unavailable the model falls back to the CPU, and the extension says so.",
  },
  "model.gpuLayers": {
    key: "model.gpuLayers",
    type: "autoOrInteger",
    default: "auto",
    minimum: 0,
    maximum: 1024,
    scope: "machine",
    order: 2,
    description:
      "How many of the model's layers to offload to the GPU: `\"auto\"` fits as many as the free video memory allows, a number sets it exactly (0 keeps the model on the CPU).",
  },
  "model.contextSize": {
    key: "model.contextSize",
    type: "autoOrInteger",
    default: "auto",
    minimum: 512,
    maximum: 1048576,
    scope: "machine",
    order: 3,
    description:
      "Context window in tokens (prompt, thinking and answer together): `\"auto\"` picks the largest the model and free memory allow, a number sets it.",
  },
  "model.threads": {
    key: "model.threads",
    type: "autoOrInteger",
    default: "auto",
    minimum: 1,
    maximum: 256,
    scope: "machine",
    order: 4,
    description:
      "CPU threads for inference: `\"auto\"` chooses from this machine's cores (more threads than physical cores is much slower), a number sets it.",
  },
  "model.idleUnloadMinutes": {
    key: "model.idleUnloadMinutes",
    type: "integer",
    default: 15,
    minimum: 0,
    maximum: 1440,
    scope: "machine",
    order: 5,
    description: "Unload the model and free its memory after this many idle minutes (0 keeps it loaded until VS Code closes).",
  },
  "model.stallTimeoutSeconds": {
    key: "model.stallTimeoutSeconds",
    type: "integer",
    default: 60,
    minimum: 0,
    maximum: 3600,
    scope: "machine",
    order: 6,
    description:
      "The engine's watchdog: when the engine sends nothing for this many seconds while it loads a model or answers, it is considered stuck (a frozen process, a driver hang) and is stopped; the question fails with an error and the next one starts a fresh engine. 0 turns the watchdog off. Measured, a working engine was silent for at most 1.7 s on a loaded machine; raise it for very large models on a CPU, whose trial-answer probes can take long.",
  },
  "model.downloadFolder": {
    key: "model.downloadFolder",
    type: "string",
    isPath: true,
    default: "",
    maxLength: 4096,
    scope: "machine",
    order: 7,
    description:
      "Folder where **Self-Braking: Select Model** and **Download Model** put downloaded GGUF files (`~` stands for your home folder). Empty: the extension's own storage. Partial downloads stay there as `*.gguf.partial` until they finish and are resumed after a cancel or a restart.",
  },
  "brake.mode": {
    key: "brake.mode",
    type: "enum",
    enum: BRAKE_MODES,
    enumDescriptions: [
      "Never brake: the model thinks as long as it wants (up to the context).",
      "Brake when further thinking looks redundant: the answer has been stated and confirmed and the overthink score passes the threshold.",
      "Only a fixed thinking budget (`selfBraking.brake.maxThinkingTokens`), then the model answers.",
    ],
    default: "adaptive",
    scope: "window",
    order: 10,
    description: "How the model's thinking is braked.",
  },
  "brake.threshold": {
    key: "brake.threshold",
    type: "number",
    default: 0.2,
    minimum: 0,
    maximum: 1,
    scope: "window",
    order: 11,
    description:
      "Overthink score at which the adaptive brake arms (0–1). Lower brakes earlier and saves more tokens; higher waits longer and risks less accuracy. 0.2 is the Self-Braking Tuning paper's τ1.",
  },
  "brake.maxThinkingTokens": {
    key: "brake.maxThinkingTokens",
    type: "integer",
    default: 8192,
    minimum: 16,
    maximum: 1048576,
    scope: "window",
    order: 12,
    description:
      "Hard thinking budget in tokens: thinking is closed at this length in every mode except off, and the model still writes its answer.",
  },
  "brake.cue": {
    key: "brake.cue",
    type: "string",
    default: DEFAULT_BRAKE_CUE,
    maxLength: 500,
    scope: "window",
    order: 13,
    description: "The braking sentence written into the model's thinking before it is closed, so the model answers instead of thinking on.",
  },
  "brake.probe": {
    key: "brake.probe",
    type: "enum",
    enum: PROBE_MODES,
    enumDescriptions: [
      "No probes: the brake decides from the thinking text alone.",
      "At transition words (\"Wait\", \"Alternatively\", …) ask the model for a trial answer and brake when it is already confident (DEER-style). Costs extra tokens per probe.",
    ],
    default: "off",
    scope: "window",
    order: 14,
    description: "Trial-answer probes that let the brake fire when the model is already confident of its answer.",
  },
  "brake.signal": {
    key: "brake.signal",
    type: "enum",
    enum: SIGNAL_POLICIES,
    enumDescriptions: [
      "The model's own end-of-thinking probability is not used.",
      "At each step boundary, read the probability that the model ends its thinking (`</think>`) from the next-token distribution, and brake there when it is nearly the most likely next token (within 1 nat of it). Adaptive mode only; costs no extra evaluation.",
    ],
    default: "off",
    scope: "window",
    order: 15,
    description:
      "Opt-in and not yet validated: the model's own signal that it is about to stop thinking may brake. Off by default until calibration on your model can validate the threshold; it was never measured on recorded traces (they carry no probabilities).",
  },
  "generation.temperature": {
    key: "generation.temperature",
    type: "number",
    default: 0.6,
    minimum: 0,
    maximum: 2,
    scope: "window",
    order: 20,
    description: "Sampling temperature (0 is greedy). Reasoning models are usually run at 0.6.",
  },
  "generation.maxAnswerTokens": {
    key: "generation.maxAnswerTokens",
    type: "integer",
    default: 2048,
    minimum: 16,
    maximum: 131072,
    scope: "window",
    order: 21,
    description: "Cap on the answer written after the thinking, in tokens.",
  },
  "generation.thinking": {
    key: "generation.thinking",
    type: "boolean",
    default: true,
    scope: "window",
    order: 22,
    description: "Let the model think before it answers. Turning it off uses the model's no-thinking switch where it has one (Qwen3) and otherwise starts with an empty thinking block.",
  },
  "calibration.tolerancePoints": {
    key: "calibration.tolerancePoints",
    type: "number",
    default: 0,
    minimum: 0,
    maximum: 100,
    scope: "window",
    order: 30,
    description:
      "Accuracy loss **Self-Braking: Calibrate the Brake for This Model** may accept when it recommends a setting, in percentage points. 0: none beyond the calibration problems' noise (the recommended setting's 95 % paired interval against no brake reaches 0). Above 0: its measured loss may be up to this many points, for a larger saving.",
  },
  engine: {
    key: "engine",
    type: "enum",
    enum: ENGINE_KINDS,
    enumDescriptions: [
      "On this machine: the engine process loads the GGUF file in `selfBraking.model.path` through llama.cpp.",
      "On a server: llama-server, vLLM or another OpenAI-compatible server at `selfBraking.server.url` runs the model, and the brake runs here on the thinking it streams.",
    ],
    default: "local",
    scope: "machine",
    order: 40,
    description:
      "Where the model runs: on this machine (a GGUF file) or on a server you run elsewhere, for example a bigger GPU on your network. The brake works the same either way. **Self-Braking: Use a Server…** sets this and the URL.",
  },
  "server.url": {
    key: "server.url",
    type: "string",
    isServerUrl: true,
    default: "",
    maxLength: 2000,
    scope: "machine",
    order: 41,
    description:
      "Base address of the server when `selfBraking.engine` is `server`, for example `http://gpu-box:8080` (llama-server) or `http://gpu-box:8000/v1` (vLLM): `http://` or `https://` only. Requests go to this address and nowhere else. Never put an API key or password in it: use **Self-Braking: Set Server API Key…** (kept in VS Code's secret storage, sent only to the server it was set for).",
  },
  "server.model": {
    key: "server.model",
    type: "string",
    default: "",
    maxLength: 1000,
    scope: "window",
    order: 42,
    description:
      "The model to ask the server for, as its `/v1/models` list names it. Empty: the server's only model, or its first. **Self-Braking: Select Server Model…** lists them.",
  },
  "server.api": {
    key: "server.api",
    type: "enum",
    enum: SERVER_APIS,
    enumDescriptions: [
      "Find out: a server that answers llama-server's `/props` is spoken to as llama-server, any other as an OpenAI-compatible server.",
      "llama-server's own endpoints (its chat template, prompt cache and timings).",
      "The OpenAI-compatible `/v1/completions` endpoint only (vLLM, SGLang and others).",
    ],
    default: "auto",
    scope: "window",
    order: 43,
    description: "Which API the server is spoken to with.",
  },
  "server.promptFormat": {
    key: "server.promptFormat",
    type: "enum",
    enum: PROMPT_FORMATS,
    enumDescriptions: [
      "The server's own chat template where it tells it (llama-server), otherwise ChatML with `<think>`.",
      "ChatML (`<|im_start|>` … `<|im_end|>`) with `<think>`: Qwen3, QwQ and the R1 Qwen distills.",
      "DeepSeek's format (`<｜User｜>` … `<｜Assistant｜>`) with `<think>`: DeepSeek-R1 and its Llama distills.",
    ],
    default: "auto",
    scope: "window",
    order: 44,
    description: "How the prompt is written for the server's model. The brake writes into the model's thinking, so the prompt is rendered here, not by the server's chat endpoint.",
  },
  "server.timeoutSeconds": {
    key: "server.timeoutSeconds",
    type: "integer",
    default: 120,
    minimum: 5,
    maximum: 3600,
    scope: "window",
    order: 45,
    description:
      "How long to wait for the server: connecting, or between two pieces of a streamed answer. A server that stays silent longer fails the question with an error saying so. Raise it for a server that reads long prompts slowly.",
  },
} as const satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<D> = D extends { type: "boolean" }
  ? boolean
  : D extends { type: "number" | "integer" }
    ? number
    : D extends { type: "enum"; enum: readonly (infer E)[] }
      ? E
      : D extends { type: "autoOrInteger" }
        ? "auto" | number
        : string;

/** Every setting, validated, with its typed value. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

export const SETTINGS_SECTION = "selfBraking";

export function fullKey(key: SettingKey): string {
  return `${SETTINGS_SECTION}.${key}`;
}

export function settingDefinitions(): readonly SettingDefinition[] {
  return Object.values(SETTINGS) as readonly SettingDefinition[];
}
