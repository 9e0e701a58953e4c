/**
 * The typed messages between the chat webview (src/webview) and its host (src/extension).
 * Imported by both sides; every message that crosses the boundary is validated with these
 * schemas on arrival, so a malformed message is rejected and reported, never acted on.
 */
import * as z from "zod/mini";
import { BRAKE_MODES, BRAKE_REASONS, THINKING_MODES } from "./core/vocabulary";
import { savingEstimateSchema } from "./core/brake/savingEstimateSchema";

const count = z.number().check(z.int(), z.nonnegative());
const finite = z.number().check(z.refine(Number.isFinite, "must be a finite number"));
const turnId = z.string().check(z.minLength(1), z.maxLength(64));

/** Where the model stands, as the chat view shows it. */
export const ModelStatusSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("notConfigured") }),
  z.object({ kind: z.literal("missing"), path: z.string(), message: z.string() }),
  /** The file is there but is not a usable GGUF model (its header was checked when it was chosen). */
  z.object({ kind: z.literal("invalid"), path: z.string(), message: z.string() }),
  z.object({ kind: z.literal("ready"), path: z.string(), fileName: z.string(), sizeBytes: count }),
]);
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

/** What the engine reports once the model is loaded (shown under the model name). */
export const EngineInfoSchema = z.object({
  state: z.enum(["stopped", "loading", "loaded", "crashed"]),
  /** e.g. "Vulkan · NVIDIA RTX 4060 · 33/33 layers" or "CPU · 2 threads". */
  summary: z.string(),
  /** Fallbacks and warnings the user should see. */
  notes: z.array(z.string()),
  loadProgress: z.optional(z.number().check(z.gte(0), z.lte(1))),
  scripted: z.boolean(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const ViewStateSchema = z.object({
  model: ModelStatusSchema,
  engine: EngineInfoSchema,
  brakeMode: z.enum(BRAKE_MODES),
  threshold: z.number().check(z.gte(0), z.lte(1)),
  settingProblems: z.array(z.string()),
  generating: z.boolean(),
});
export type ViewState = z.infer<typeof ViewStateSchema>;

export const BrakeViewSchema = z.object({
  reason: z.enum(BRAKE_REASONS),
  explanation: z.string(),
  /** Where in the thinking text the brake cut (characters). */
  charOffset: count,
  thinkingTokens: count,
  score: z.nullable(finite),
  anchoredAnswer: z.nullable(z.string()),
  cue: z.string(),
});
export type BrakeView = z.infer<typeof BrakeViewSchema>;

/**
 * A finished turn's accounting. Turns stored before the estimate existed carry `savedTokens`
 * (the budget left when the brake fired, an upper bound no longer shown): it is dropped on
 * reading, and such a turn has no `savedEstimate`.
 */
export const TurnStatsSchema = z.object({
  promptTokens: count,
  /** Thinking tokens kept (measured). */
  thinkingTokens: count,
  answerTokens: count,
  cueTokens: count,
  probeTokens: count,
  /** The estimated saving of a detector brake; absent without one (no brake, budget, context, Answer now). */
  savedEstimate: z.optional(savingEstimateSchema),
  reEvaluatedTokens: z.number().check(z.int()),
  ttftMs: finite,
  tokensPerSecond: finite,
  totalMs: finite,
});
export type TurnStats = z.infer<typeof TurnStatsSchema>;

export const TurnStatusSchema = z.enum(["queued", "loading", "thinking", "answering", "done", "stopped", "error"]);
export type TurnStatus = z.infer<typeof TurnStatusSchema>;

/** One question and the model's thinking and answer. */
export const TurnSchema = z.object({
  id: turnId,
  question: z.string(),
  thinking: z.string(),
  answer: z.string(),
  status: TurnStatusSchema,
  thinkingMode: z.enum(THINKING_MODES),
  /**
   * Live meter while thinking: tokens so far, the overthink score, and — when the model's own
   * signal is read — the end-of-thinking probability at the last step boundary and its margin to
   * the most likely token (nats).
   */
  meter: z.nullable(
    z.object({
      thinkingTokens: count,
      score: z.nullable(finite),
      armed: z.boolean(),
      endOfThinking: z.optional(z.nullable(z.object({ probability: z.number().check(z.gte(0), z.lte(1)), margin: finite }))),
    }),
  ),
  brake: z.nullable(BrakeViewSchema),
  /** Why the adaptive brake stood down on this question (the detector's sentence); absent when it did not. */
  brakeStoodDown: z.optional(z.string()),
  /** While a long prompt is read, before the thinking starts: prompt tokens read of those not already cached. */
  promptRead: z.optional(z.object({ evaluated: count, total: count })),
  stats: z.nullable(TurnStatsSchema),
  error: z.nullable(z.string()),
  queuePosition: z.optional(count),
  canContinue: z.boolean(),
});
export type Turn = z.infer<typeof TurnSchema>;

/** The longest question the chat accepts (characters). */
export const MAX_QUESTION_CHARS = 100_000;

/** True for a question with nothing but whitespace in it (the page never sends one; the host refuses it). */
export function isBlankQuestion(question: string): boolean {
  return question.trim() === "";
}

const question = z.string().check(
  z.maxLength(MAX_QUESTION_CHARS),
  z.refine((text) => !isBlankQuestion(text), "a question needs some text, not only spaces or line breaks"),
);

/** Page → host. */
export const WebviewToHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("chooseModel") }),
  z.object({ type: z.literal("openSettings"), query: z.optional(z.string().check(z.maxLength(200))) }),
  z.object({ type: z.literal("ask"), question }),
  z.object({ type: z.literal("stop") }),
  z.object({ type: z.literal("answerNow") }),
  z.object({ type: z.literal("continueThinking"), turnId }),
  z.object({ type: z.literal("newChat") }),
  z.object({ type: z.literal("setThreshold"), value: z.number().check(z.gte(0), z.lte(1)) }),
  z.object({ type: z.literal("setBrakeMode"), mode: z.enum(BRAKE_MODES) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** Host → page. */
export const HostToWebviewSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), state: ViewStateSchema }),
  /** The whole conversation (on ready, after a new chat). */
  z.object({ type: z.literal("conversation"), turns: z.array(TurnSchema) }),
  /** One turn changed (status, brake, stats…). Its text fields are complete. */
  z.object({ type: z.literal("turn"), turn: TurnSchema }),
  /** Text streamed onto a turn's thinking or answer. */
  z.object({ type: z.literal("append"), turnId, channel: z.enum(["thinking", "answer"]), text: z.string() }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** The first few problems a schema found, as "path: message" (for logs and error messages). */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join(".") : "message"}: ${issue.message}`)
    .join("; ");
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewToHost> {
  const result = WebviewToHostSchema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describeIssues(result.error) };
}

export function parseHostMessage(raw: unknown): ParseResult<HostToWebview> {
  const result = HostToWebviewSchema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describeIssues(result.error) };
}
