/**
 * The messages between the engine client (parent) and the engine process (the child, a node
 * `fork` of dist/engine.js). Every message is validated with zod on arrival, both ways: a
 * malformed message is a bug, reported as a `protocol` error rather than acted on.
 *
 * Requests carry an `id`; replies and stream events carry the id of the request they belong to.
 */
import * as z from "zod/mini";
import { BACKENDS, BRAKE_MODES, DEVICE_KINDS, BRAKE_REASONS, GPU_CHOICES, PROBE_MODES, PROMPT_FORMATS, SERVER_APIS, SIGNAL_POLICIES, STOP_REASONS, THINKING_MODES } from "../../core/vocabulary";
import { calibratedRatioSchema, savingEstimateSchema } from "../../core/brake/savingEstimateSchema";
import { ENGINE_ERROR_CODES } from "./errors";
import type { EngineErrorData } from "./errors";
import type { AskRequest, EngineStatus, FitEstimate, FitOptions, GenerationEvent, GenerationResult, LoadConfig, LoadReport, MachineState } from "./types";
import { FIT_VERDICTS, SPEED_CLASSES } from "./fit";

const count = z.number().check(z.int(), z.nonnegative());
const finite = z.number();

const serverConfigSchema = z.object({
  url: z.string().check(z.maxLength(2000)),
  model: z.string().check(z.maxLength(1000)),
  apiKey: z.optional(z.string().check(z.maxLength(10_000))),
  api: z.enum(SERVER_APIS),
  promptFormat: z.enum(PROMPT_FORMATS),
  timeoutSeconds: z.number().check(z.positive(), z.lte(86_400)),
});

export const loadConfigSchema = z.object({
  modelPath: z.string(),
  gpu: z.enum(GPU_CHOICES),
  gpuLayers: z.union([z.literal("auto"), count]),
  contextSize: z.union([z.literal("auto"), z.number().check(z.int(), z.positive())]),
  threads: z.union([z.literal("auto"), z.number().check(z.int(), z.positive())]),
  server: z.optional(serverConfigSchema),
});

const brakeOptionsSchema = z.object({
  mode: z.enum(BRAKE_MODES),
  threshold: z.number().check(z.gte(0), z.lte(1)),
  maxThinkingTokens: z.number().check(z.int(), z.positive()),
  cue: z.string().check(z.maxLength(2000)),
  probe: z.enum(PROBE_MODES),
  signal: z.optional(z.enum(SIGNAL_POLICIES)),
});

const generationOptionsSchema = z.object({
  temperature: z.number().check(z.gte(0), z.lte(5)),
  maxAnswerTokens: z.number().check(z.int(), z.positive()),
  thinking: z.boolean(),
  seed: z.optional(z.number().check(z.int())),
  systemPrompt: z.optional(z.string()),
});

const attachedCodeSchema = z.object({
  kind: z.enum(["selection", "file"]),
  label: z.string(),
  language: z.string(),
  startLine: z.number().check(z.int(), z.positive()),
  endLine: z.number().check(z.int(), z.positive()),
  text: z.string(),
});

export const askRequestSchema = z.object({
  question: z.string(),
  attachments: z.optional(z.array(attachedCodeSchema)),
  history: z.array(z.object({ question: z.string(), answer: z.string(), attachments: z.optional(z.array(attachedCodeSchema)) })),
  brake: brakeOptionsSchema,
  generation: generationOptionsSchema,
  recordSignal: z.optional(z.boolean()),
  savingRatio: z.optional(calibratedRatioSchema),
  nativeThoughtBudget: z.optional(z.number().check(z.int(), z.positive())),
});

export const engineErrorSchema = z.object({
  code: z.enum(ENGINE_ERROR_CODES),
  message: z.string(),
  details: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});

const loadReportSchema = z.object({
  modelPath: z.string(),
  modelName: z.string(),
  architecture: z.string(),
  fileBytes: count,
  parameters: count,
  scripted: z.boolean(),
  requestedBackend: z.enum(GPU_CHOICES),
  backend: z.enum(BACKENDS),
  device: z.object({ kind: z.enum(DEVICE_KINDS), note: z.string() }),
  gpuDevices: z.array(z.string()),
  layersOffloaded: count,
  layersTotal: count,
  contextSize: count,
  threads: count,
  threadsReason: z.string(),
  memory: z.object({ ramBytes: count, vramBytes: count, processRssBytes: count }),
  timings: z.object({ importMs: finite, backendMs: finite, modelMs: finite, contextMs: finite, chatFormatMs: finite, totalMs: finite }),
  chatWrapper: z.string(),
  chatWrapperNote: z.nullable(z.string()),
  thinkingSupported: z.boolean(),
  fallbacks: z.array(z.string()),
  warnings: z.array(z.string()),
  server: z.optional(
    z.object({ url: z.string(), host: z.string(), api: z.enum(["llama-server", "openai"]), model: z.string(), promptFormat: z.string(), reportsCache: z.boolean() }),
  ),
});

const brakeReasonSchema = z.enum(BRAKE_REASONS);
const thinkingModeSchema = z.enum(THINKING_MODES);

const brakeInfoSchema = z.object({
  reason: brakeReasonSchema,
  explanation: z.string(),
  thinkingTokens: count,
  charOffset: count,
  discardedTokens: count,
  injectedText: z.string(),
  injectedTokens: count,
  score: z.nullable(finite),
  anchoredAnswer: z.nullable(z.string()),
});

const probeInfoSchema = z.object({
  trigger: z.string(),
  confidence: z.number().check(z.gte(0), z.lte(1)),
  answer: z.string(),
  tokens: count,
  braked: z.boolean(),
});

export const generationResultSchema = z.object({
  answer: z.string(),
  thinking: z.string(),
  thinkingMode: thinkingModeSchema,
  braked: z.boolean(),
  brake: z.nullable(brakeInfoSchema),
  probes: z.array(probeInfoSchema),
  stopReason: z.enum(STOP_REASONS),
  tokens: z.object({
    prompt: count,
    promptEvaluated: count,
    thinking: count,
    cue: count,
    probe: count,
    answer: count,
    discarded: count,
    reEvaluated: z.number().check(z.int()),
    savedEstimate: z.nullable(savingEstimateSchema),
  }),
  timings: z.object({
    ttftMs: finite,
    promptEvalMs: finite,
    thinkingMs: finite,
    brakeToAnswerMs: z.nullable(finite),
    totalMs: finite,
    tokensPerSecond: finite,
    engineMs: finite,
  }),
  continued: count,
});

export const generationEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("started"), promptTokens: count, promptEvaluated: count, thinkingMode: thinkingModeSchema, standDown: z.nullable(z.string()) }),
  z.object({ type: z.literal("prompt"), evaluated: count, total: count }),
  z.object({ type: z.literal("thinking"), text: z.string(), tokens: count }),
  z.object({ type: z.literal("answer"), text: z.string(), tokens: count }),
  z.object({
    type: z.literal("meter"),
    thinkingTokens: count,
    score: z.nullable(finite),
    armed: z.boolean(),
    anchoredAnswer: z.nullable(z.string()),
    endOfThinking: z.optional(z.nullable(z.object({ probability: z.number().check(z.gte(0), z.lte(1)), margin: z.number().check(z.nonnegative()) }))),
  }),
  z.object({ type: z.literal("brake"), brake: brakeInfoSchema }),
  z.object({ type: z.literal("probe"), probe: probeInfoSchema }),
  z.object({ type: z.literal("resumed"), charOffset: count }),
]);

const engineStatusSchema = z.object({
  loaded: z.boolean(),
  report: z.nullable(loadReportSchema),
  rssBytes: count,
  generating: z.boolean(),
  canContinue: z.boolean(),
});

const fitOptionsSchema = z.object({
  gpu: z.enum(GPU_CHOICES),
  contextSize: z.union([z.literal("auto"), z.number().check(z.int(), z.positive())]),
  gpuLayers: z.optional(z.union([z.literal("auto"), count])),
});

const fitEstimateSchema = z.object({
  verdict: z.enum(FIT_VERDICTS),
  gpuLayers: count,
  totalLayers: count,
  contextSize: count,
  ramBytes: count,
  vramBytes: count,
  freeRamBytes: count,
  freeVramBytes: count,
  speedClass: z.enum(SPEED_CLASSES),
  reason: z.string(),
});

const machineStateSchema = z.object({
  totalRamBytes: count,
  freeRamBytes: count,
  freeSwapBytes: z.optional(count),
  gpu: z.nullable(z.object({ name: z.string(), totalVramBytes: count, freeVramBytes: count, software: z.optional(z.boolean()) })),
});

const id = z.string().check(z.minLength(1), z.maxLength(100));

/** Parent → child. */
export const engineRequestSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("load"), id, config: loadConfigSchema }),
  z.object({ kind: z.literal("ask"), id, request: askRequestSchema }),
  /** Brake the running request `target` now ("Answer now"). */
  z.object({ kind: z.literal("answerNow"), id, target: id }),
  /** Resume the thinking of `target` (running or the last finished one); streams as request `id`. */
  z.object({ kind: z.literal("continueThinking"), id, target: id, extraThinkingTokens: z.optional(z.number().check(z.int(), z.positive())) }),
  z.object({ kind: z.literal("cancel"), id, target: id }),
  z.object({ kind: z.literal("unload"), id }),
  z.object({ kind: z.literal("status"), id }),
  z.object({ kind: z.literal("shutdown"), id }),
  /** Estimate whether the GGUF at `modelPath` fits this machine (reads its header; loads nothing). */
  z.object({ kind: z.literal("fit"), id, modelPath: z.string(), options: fitOptionsSchema }),
  /** This machine's memory and GPU, as the backend for `gpu` sees them. */
  z.object({ kind: z.literal("machine"), id, gpu: z.enum(GPU_CHOICES) }),
]);
export type EngineRequest =
  | { readonly kind: "load"; readonly id: string; readonly config: LoadConfig }
  | { readonly kind: "ask"; readonly id: string; readonly request: AskRequest }
  | { readonly kind: "answerNow"; readonly id: string; readonly target: string }
  | { readonly kind: "continueThinking"; readonly id: string; readonly target: string; readonly extraThinkingTokens?: number }
  | { readonly kind: "cancel"; readonly id: string; readonly target: string }
  | { readonly kind: "unload"; readonly id: string }
  | { readonly kind: "status"; readonly id: string }
  | { readonly kind: "shutdown"; readonly id: string }
  | { readonly kind: "fit"; readonly id: string; readonly modelPath: string; readonly options: FitOptions }
  | { readonly kind: "machine"; readonly id: string; readonly gpu: FitOptions["gpu"] };

/** Child → parent. */
export const engineMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hello"), pid: z.number().check(z.int()), version: z.string() }),
  z.object({ kind: z.literal("loadProgress"), id, progress: z.number().check(z.gte(0), z.lte(1)) }),
  /** A long request is still being worked on (sent while loading, which may report no progress for a while). */
  z.object({ kind: z.literal("working"), id }),
  z.object({ kind: z.literal("loaded"), id, report: loadReportSchema }),
  z.object({ kind: z.literal("event"), id, event: generationEventSchema }),
  z.object({ kind: z.literal("done"), id, result: generationResultSchema }),
  z.object({ kind: z.literal("ok"), id }),
  z.object({ kind: z.literal("status"), id, status: engineStatusSchema }),
  z.object({ kind: z.literal("fit"), id, fit: fitEstimateSchema }),
  z.object({ kind: z.literal("machine"), id, machine: machineStateSchema }),
  z.object({ kind: z.literal("error"), id: z.nullable(id), error: engineErrorSchema }),
  z.object({ kind: z.literal("log"), level: z.enum(["debug", "info", "warn", "error"]), message: z.string() }),
]);
export type EngineMessage =
  | { readonly kind: "hello"; readonly pid: number; readonly version: string }
  | { readonly kind: "loadProgress"; readonly id: string; readonly progress: number }
  | { readonly kind: "working"; readonly id: string }
  | { readonly kind: "loaded"; readonly id: string; readonly report: LoadReport }
  | { readonly kind: "event"; readonly id: string; readonly event: GenerationEvent }
  | { readonly kind: "done"; readonly id: string; readonly result: GenerationResult }
  | { readonly kind: "ok"; readonly id: string }
  | { readonly kind: "status"; readonly id: string; readonly status: EngineStatus }
  | { readonly kind: "fit"; readonly id: string; readonly fit: FitEstimate }
  | { readonly kind: "machine"; readonly id: string; readonly machine: MachineState }
  | { readonly kind: "error"; readonly id: string | null; readonly error: EngineErrorData }
  | { readonly kind: "log"; readonly level: "debug" | "info" | "warn" | "error"; readonly message: string };

/** Validates one inbound message; the problem is described in one line when it is invalid. */
export function parseMessage<T>(schema: z.ZodMiniType<T>, raw: unknown): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join(".")}` : "";
  return { ok: false, problem: `invalid message${where}: ${issue?.message ?? "unknown problem"}` };
}

// Compile-time checks: the schemas and the hand-written types in types.ts describe the same data.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _ProtocolTypeChecks = [
  Assert<Same<z.infer<typeof loadConfigSchema>, LoadConfig>>,
  Assert<Same<z.infer<typeof askRequestSchema>, DeepMutable<AskRequest>>>,
  Assert<Same<z.infer<typeof loadReportSchema>, DeepMutable<LoadReport>>>,
  Assert<Same<z.infer<typeof generationResultSchema>, DeepMutable<GenerationResult>>>,
  Assert<Same<z.infer<typeof generationEventSchema>, DeepMutable<GenerationEvent>>>,
  Assert<Same<z.infer<typeof engineErrorSchema>, DeepMutable<EngineErrorData>>>,
  Assert<Same<z.infer<typeof engineStatusSchema>, DeepMutable<EngineStatus>>>,
  Assert<Same<z.infer<typeof fitOptionsSchema>, DeepMutable<FitOptions>>>,
  Assert<Same<z.infer<typeof fitEstimateSchema>, DeepMutable<FitEstimate>>>,
  Assert<Same<z.infer<typeof machineStateSchema>, DeepMutable<MachineState>>>,
  Assert<Same<z.infer<typeof engineRequestSchema>, DeepMutable<EngineRequest>>>,
  Assert<Same<z.infer<typeof engineMessageSchema>, DeepMutable<EngineMessage>>>,
];
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

/** Validates a message from the parent. */
export function parseEngineRequest(raw: unknown): { readonly ok: true; readonly value: EngineRequest } | { readonly ok: false; readonly problem: string } {
  return parseMessage<EngineRequest>(engineRequestSchema, raw);
}

/** Validates a message from the engine process. */
export function parseEngineMessage(raw: unknown): { readonly ok: true; readonly value: EngineMessage } | { readonly ok: false; readonly problem: string } {
  return parseMessage<EngineMessage>(engineMessageSchema, raw);
}
