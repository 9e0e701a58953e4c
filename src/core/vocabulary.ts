/**
 * The product's vocabulary, defined once: brake modes, brake reasons, GPU choices and backends,
 * thinking modes, stop reasons. Settings, both protocols, the engine, the CLI and the webview
 * take their types and their validation lists from here.
 */

/** `off`: never brake. `adaptive`: overthinking detector plus the hard budget. `budget`: only the hard budget. */
export const BRAKE_MODES = ["off", "adaptive", "budget"] as const;
export type BrakeMode = (typeof BRAKE_MODES)[number];

/** `onTransition`: DEER-style trial-answer probes at transition words. */
export const PROBE_MODES = ["off", "onTransition"] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

/**
 * Why the core detector brakes: a confirmed answer's overthink score, the hard budget, a
 * confident probe, or the model's own end-of-thinking signal (`selfBraking.brake.signal`).
 */
export const DETECTOR_BRAKE_REASONS = ["overthinking", "budget", "probe", "signal"] as const;
export type DetectorBrakeReason = (typeof DETECTOR_BRAKE_REASONS)[number];

/** Every reason the thinking can be closed early: the detector's, "Answer now" (`manual`) and a full context. */
export const BRAKE_REASONS = [...DETECTOR_BRAKE_REASONS, "manual", "context"] as const;
export type BrakeReasonKind = (typeof BRAKE_REASONS)[number];

/** What `selfBraking.model.gpu` may say. */
export const GPU_CHOICES = ["auto", "cuda", "vulkan", "metal", "cpu"] as const;
export type GpuChoice = (typeof GPU_CHOICES)[number];

/** The compute backend a model actually runs on (`server`: a remote server runs it). */
export const BACKENDS = ["cuda", "vulkan", "metal", "cpu", "server"] as const;
export type Backend = (typeof BACKENDS)[number];

/** Thinking on, off (the model's no-thinking switch), or not applicable (the format has no thinking segment). */
export const THINKING_MODES = ["on", "off", "not-applicable"] as const;
export type ThinkingMode = (typeof THINKING_MODES)[number];

/** How an answer ended: the model ended it, the answer cap, Stop, or a full context. */
export const STOP_REASONS = ["eos", "answer-cap", "cancelled", "context-full"] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** What the device a model runs on is: a GPU, a software renderer (runs on the CPU), the CPU backend, or a remote server. */
export const DEVICE_KINDS = ["gpu", "software", "cpu", "server"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Where the model runs: in the engine process on this machine, or on a server (`selfBraking.engine`). */
export const ENGINE_KINDS = ["local", "server"] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** Which API a server is spoken to with: `auto` finds out (llama-server answers /props), `llama-server` its own endpoints, `openai` /v1/completions only (vLLM and others). */
export const SERVER_APIS = ["auto", "llama-server", "openai"] as const;
export type ServerApi = (typeof SERVER_APIS)[number];

/** How the prompt is rendered for a server: `auto` from the server's own chat template (llama-server's /props), else ChatML with <think>; or named. */
export const PROMPT_FORMATS = ["auto", "chatml", "deepseek"] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

/** `endOfThinking`: the model's own probability of ending its thinking may brake (opt-in until calibrated). */
export const SIGNAL_POLICIES = ["off", "endOfThinking"] as const;
export type SignalPolicy = (typeof SIGNAL_POLICIES)[number];

/**
 * What a question asks for, as the brake sees it: a number or expression (`math`), an option
 * letter (`choice`), what a program returns (`output`), code (`code`), or an open-ended answer
 * (`open`: explain, compare, design), where a wrong brake is worse than none.
 */
export const QUESTION_KINDS = ["math", "choice", "output", "code", "open"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
