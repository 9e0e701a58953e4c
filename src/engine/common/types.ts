/**
 * Plain data types shared by the engine, its child-process host and its client. No
 * node-llama-cpp and no vscode here: the extension and the CLI import these.
 */
import type { Backend, BrakeMode, BrakeReasonKind, DeviceKind, GpuChoice, ProbeMode, PromptFormat, ServerApi, SignalPolicy, StopReason, ThinkingMode } from "../../core/vocabulary";
import type { EngineErrorData } from "./errors";
import type { CalibratedRatio, SavingEstimate } from "../../core/brake/savingEstimate";
import type { AttachedCode } from "../../core/prompt/attachedCode";

export type { Backend, BrakeMode, BrakeReasonKind, GpuChoice, ProbeMode, SavingEstimate, StopReason, ThinkingMode };

/** How to load a model: `selfBraking.model.*` settings. */
export interface LoadConfig {
  readonly modelPath: string;
  readonly gpu: GpuChoice;
  readonly gpuLayers: "auto" | number;
  readonly contextSize: "auto" | number;
  readonly threads: "auto" | number;
  /** A remote server runs the model instead (`selfBraking.engine: server`); `modelPath` and the local options are then unused. */
  readonly server?: ServerConfig;
}

/** A llama-server, vLLM or other OpenAI-compatible server that runs the model; the brake runs here, on its stream. */
export interface ServerConfig {
  /** Base URL (`http://host:8080`, with or without a trailing `/v1`); every request goes to it and nowhere else. */
  readonly url: string;
  /** The model to ask for (`/v1/models` lists them); empty: the server's only model, or its first. */
  readonly model: string;
  /** Sent as `Authorization: Bearer …`; never logged, never in settings (VS Code's SecretStorage). */
  readonly apiKey?: string;
  readonly api: ServerApi;
  readonly promptFormat: PromptFormat;
  /** No answer for this long (connecting, or between two streamed chunks) fails the request. */
  readonly timeoutSeconds: number;
}

/** What a server engine found when it connected (LoadReport.server). */
export interface ServerReport {
  /** The base URL without credentials or query. */
  readonly url: string;
  readonly host: string;
  readonly api: Exclude<ServerApi, "auto">;
  readonly model: string;
  /** Where the prompt format came from, in words ("the server's chat template", "ChatML with <think> (setting)"). */
  readonly promptFormat: string;
  /** The server reports how much of each prompt came from its cache (llama-server's timings; OpenAI usage.prompt_tokens_details). */
  readonly reportsCache: boolean;
}

/** What was actually loaded: shown to the user as is. */
export interface LoadReport {
  readonly modelPath: string;
  readonly modelName: string;
  readonly architecture: string;
  readonly fileBytes: number;
  readonly parameters: number;
  /** general.description mentions a scripted replay: this is the demo/test model, not a language model. */
  readonly scripted: boolean;
  readonly requestedBackend: GpuChoice;
  readonly backend: Backend;
  /** What the backend means for the user, shown with it: `note` is "GPU", "software renderer — runs on the CPU" (e.g. Vulkan on llvmpipe) or "CPU only". */
  readonly device: { readonly kind: DeviceKind; readonly note: string };
  readonly gpuDevices: readonly string[];
  readonly layersOffloaded: number;
  readonly layersTotal: number;
  readonly contextSize: number;
  readonly threads: number;
  readonly threadsReason: string;
  /** Estimated memory of the model weights plus the context, and the engine process's RSS after loading. */
  readonly memory: { readonly ramBytes: number; readonly vramBytes: number; readonly processRssBytes: number };
  /** importMs: node-llama-cpp import; backendMs: llama.cpp backend; chatFormatMs: matching the chat template to a wrapper. */
  readonly timings: { readonly importMs: number; readonly backendMs: number; readonly modelMs: number; readonly contextMs: number; readonly chatFormatMs: number; readonly totalMs: number };
  readonly chatWrapper: string;
  /** Set when auto-detection was overridden (and why). */
  readonly chatWrapperNote: string | null;
  /** Whether the template has a thinking segment the engine can watch. */
  readonly thinkingSupported: boolean;
  /** Every step where the engine did not get what was asked for, in order (never a silent fallback). */
  readonly fallbacks: readonly string[];
  readonly warnings: readonly string[];
  /** Set when a server runs the model (backend `server`). */
  readonly server?: ServerReport;
}

export interface BrakeOptions {
  readonly mode: BrakeMode;
  /** τ1 of the detector (selfBraking.brake.threshold). */
  readonly threshold: number;
  readonly maxThinkingTokens: number;
  readonly cue: string;
  readonly probe: ProbeMode;
  /** The model's own end-of-thinking signal may brake (selfBraking.brake.signal; absent: off). */
  readonly signal?: SignalPolicy;
}

/** The model's end-of-thinking signal at the last step boundary (see BrakeEvidence.endOfThinking). */
export interface EndOfThinkingReading {
  /** Probability that the end-of-thinking token (`</think>`) came next. */
  readonly probability: number;
  /** ln(top probability) − ln(probability), nats, ≥ 0: 0 when it was the most likely next token. */
  readonly margin: number;
}

export interface GenerationOptions {
  readonly temperature: number;
  /** Cap on the answer after the thinking (selfBraking.generation.maxAnswerTokens). */
  readonly maxAnswerTokens: number;
  /** Thinking on (the model reasons first) or off (Qwen3-style switch; an empty think block otherwise). */
  readonly thinking: boolean;
  readonly seed?: number;
  readonly systemPrompt?: string;
}

export interface ConversationTurn {
  readonly question: string;
  readonly answer: string;
  /** Code from the editor that went with the question (the model reads it before the question). */
  readonly attachments?: readonly AttachedCode[];
}

export interface AskRequest {
  /** The user's words; the brake reads the question's kind from these, not from attached code. */
  readonly question: string;
  /** Code from the editor sent with the question, as fenced blocks before it (core/prompt/attachedCode). */
  readonly attachments?: readonly AttachedCode[];
  /** Earlier turns of the conversation (their thinking is not replayed to the model). */
  readonly history: readonly ConversationTurn[];
  readonly brake: BrakeOptions;
  readonly generation: GenerationOptions;
  /**
   * Engine-only (calibration; not a user setting): read the model's end-of-thinking signal at
   * every step boundary as the `endOfThinking` policy does and report each reading in the meter
   * event that follows it, without giving it to the detector (nothing brakes on it). Where the
   * brake already reads the signal this changes nothing. At temperature 0 the text is the same
   * as without it; at T > 0 the sampler is reseeded after each reading, as with the policy.
   */
  readonly recordSignal?: boolean;
  /**
   * The saving ratio calibration measured on this model (remaining / kept thinking after a brake):
   * the saving estimate rests on it instead of the recorded traces. Absent: the recorded traces.
   */
  readonly savingRatio?: CalibratedRatio;
  /**
   * Engine-only (the `native` variant of `self-braking bench`; not a user setting): answer through
   * node-llama-cpp's own chat loop, `LlamaChat.generateResponse` with `budgets.thoughtTokens` set to
   * this many tokens, instead of the engine's token loop. `brake` is then ignored (nothing brakes
   * but node-llama-cpp's budget), and neither "Answer now" nor "Continue thinking" applies. A
   * model whose chat format has no thought segment is refused (`no-thought-segment`). See
   * docs/ENGINE.md, "node-llama-cpp's thought budget".
   */
  readonly nativeThoughtBudget?: number;
}

export interface BrakeInfo {
  readonly reason: BrakeReasonKind;
  readonly explanation: string;
  /** Thinking tokens kept before the cue. */
  readonly thinkingTokens: number;
  /** Thinking characters kept before the cue. */
  readonly charOffset: number;
  /** Tokens the model had already generated past the brake point (dropped, never re-evaluated). */
  readonly discardedTokens: number;
  readonly injectedText: string;
  readonly injectedTokens: number;
  /** Overthink score and its parts when the detector braked. */
  readonly score: number | null;
  readonly anchoredAnswer: string | null;
}

export interface ProbeInfo {
  readonly trigger: string;
  readonly confidence: number;
  readonly answer: string;
  readonly tokens: number;
  readonly braked: boolean;
}

export interface TokenAccounting {
  /** Prompt tokens of this turn's rendered chat. */
  readonly prompt: number;
  /** Prompt tokens that had to be evaluated (the rest came from the KV cache). */
  readonly promptEvaluated: number;
  readonly thinking: number;
  /** Tokens injected by the brake (cue and end of thinking). */
  readonly cue: number;
  /** Tokens evaluated for trial answers and thrown away again. */
  readonly probe: number;
  readonly answer: number;
  /** Generated past the brake point and dropped. */
  readonly discarded: number;
  /** Thought tokens evaluated again because of the brake (measured with llama.cpp's token meter; 0 by design). */
  readonly reEvaluated: number;
  /**
   * Thinking the brake is estimated to have made unnecessary (kept × a ratio measured on recorded
   * traces, or on this model by calibration; src/core/brake/savingEstimate.ts). Null where nothing
   * can honestly be claimed: no brake, budget and context brakes (the limit the user set), and
   * "Answer now" (credited to the user). The thinking kept is `thinking`.
   */
  readonly savedEstimate: SavingEstimate | null;
}

export interface Timings {
  /** From the request reaching the engine to the first generated token. */
  readonly ttftMs: number;
  readonly promptEvalMs: number;
  readonly thinkingMs: number;
  /** From the brake decision to the first answer token (null without a brake). */
  readonly brakeToAnswerMs: number | null;
  readonly totalMs: number;
  /** Generated tokens (thinking + answer) per second of generation time. */
  readonly tokensPerSecond: number;
  /** Time spent in the engine's own per-token work (detokenizing, splitting, the detector, events), outside llama.cpp. */
  readonly engineMs: number;
}

export interface GenerationResult {
  readonly answer: string;
  readonly thinking: string;
  readonly thinkingMode: ThinkingMode;
  readonly braked: boolean;
  readonly brake: BrakeInfo | null;
  readonly probes: readonly ProbeInfo[];
  readonly stopReason: StopReason;
  readonly tokens: TokenAccounting;
  readonly timings: Timings;
  /** How many times "Continue thinking" resumed this answer. */
  readonly continued: number;
}

/** Streamed while a request runs. */
export type GenerationEvent =
  /** `standDown`: why the adaptive brake will not fire on this question (the detector's evidence), or null. */
  | { readonly type: "started"; readonly promptTokens: number; readonly promptEvaluated: number; readonly thinkingMode: ThinkingMode; readonly standDown: string | null }
  /** Reading a long prompt: `evaluated` of the `total` prompt tokens not already in the cache (sent between slices). */
  | { readonly type: "prompt"; readonly evaluated: number; readonly total: number }
  | { readonly type: "thinking"; readonly text: string; readonly tokens: number }
  | { readonly type: "answer"; readonly text: string; readonly tokens: number }
  /** `endOfThinking`: present when the engine reads the model's signal on this answer, null until the first step boundary; with `AskRequest.recordSignal` (the brake not reading it) only on the meter right after each reading. */
  | { readonly type: "meter"; readonly thinkingTokens: number; readonly score: number | null; readonly armed: boolean; readonly anchoredAnswer: string | null; readonly endOfThinking?: EndOfThinkingReading | null }
  | { readonly type: "brake"; readonly brake: BrakeInfo }
  | { readonly type: "probe"; readonly probe: ProbeInfo }
  /** "Continue thinking": the cue and the answer so far were dropped; thinking resumes after `charOffset`. */
  | { readonly type: "resumed"; readonly charOffset: number };

/** Events the client adds around a request. */
export type ClientEvent =
  | { readonly type: "engine-starting" }
  | { readonly type: "loading"; readonly progress: number }
  | { readonly type: "loaded"; readonly report: LoadReport };

export type AskEvent = GenerationEvent | ClientEvent;

export interface EngineStatus {
  readonly loaded: boolean;
  readonly report: LoadReport | null;
  readonly rssBytes: number;
  readonly generating: boolean;
  readonly canContinue: boolean;
}

export type { EngineErrorData };

export type { FitEstimate, FitVerdict, MachineGpu, MachineState, SpeedClass } from "./fit";

/** The model settings a fit estimate depends on (selfBraking.model.gpu, .contextSize, .gpuLayers). */
export interface FitOptions {
  readonly gpu: GpuChoice;
  readonly contextSize: "auto" | number;
  /** Default "auto": what node-llama-cpp would put on the GPU. */
  readonly gpuLayers?: "auto" | number;
}
