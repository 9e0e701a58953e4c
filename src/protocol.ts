/**
 * The typed messages between the chat webview (src/webview) and its host (src/extension).
 * Imported by both sides; every message that crosses the boundary is validated with these
 * schemas on arrival, so a malformed message is rejected and reported, never acted on.
 */
import * as z from "zod/mini";
import { BRAKE_MODES, BRAKE_REASONS, THINKING_MODES } from "./core/vocabulary";
import { savingEstimateSchema } from "./core/brake/savingEstimateSchema";
import { PROFILE_KEYS } from "./core/settings/modelProfile";

const count = z.number().check(z.int(), z.nonnegative());
const finite = z.number().check(z.refine(Number.isFinite, "must be a finite number"));
const turnId = z.string().check(z.minLength(1), z.maxLength(64));

/** What a code block in an answer offers. */
export const CODE_ACTIONS = ["copy", "insert", "apply", "newFile"] as const;
export type CodeAction = (typeof CODE_ACTIONS)[number];

/** Where the model stands, as the chat view shows it. */
export const ModelStatusSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("notConfigured") }),
  z.object({ kind: z.literal("missing"), path: z.string(), message: z.string() }),
  /** The file is there but is not a usable GGUF model (its header was checked when it was chosen). */
  z.object({ kind: z.literal("invalid"), path: z.string(), message: z.string() }),
  z.object({ kind: z.literal("ready"), path: z.string(), fileName: z.string(), sizeBytes: count }),
  /** A server runs the model (`selfBraking.engine: server`): its address (never with credentials), host and the model asked for ("": the server's own). */
  z.object({ kind: z.literal("server"), url: z.string(), host: z.string(), model: z.string() }),
  /** `selfBraking.engine` is `server` but no server address is set. */
  z.object({ kind: z.literal("serverNotConfigured") }),
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
  /** Why the last load failed (shown until a load succeeds). */
  loadError: z.optional(z.string()),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

/** The longest text one attachment may carry (characters); larger files are refused when attached. */
export const MAX_ATTACHMENT_CHARS = 1_000_000;

const attachmentId = z.string().check(z.minLength(1), z.maxLength(64));

/**
 * Code from the editor that goes with the next question (or went with a turn): a selection or a
 * whole file. The page shows it as a chip; the prompt carries it as a fenced block.
 */
export const AttachmentViewSchema = z.object({
  id: attachmentId,
  kind: z.enum(["selection", "file"]),
  /** As people read it: workspace-relative where it can be, else the file name. */
  label: z.string().check(z.maxLength(1000)),
  /** The document's URI, for "open" and "Apply to file" (host side only acts on it after checks). */
  uri: z.string().check(z.maxLength(4096)),
  /** The editor's language id ("python", "typescript", …). */
  language: z.string().check(z.maxLength(64)),
  /** 1-based, inclusive; a whole file spans all its lines. */
  startLine: z.number().check(z.int(), z.positive()),
  endLine: z.number().check(z.int(), z.positive()),
  /** Tokens it adds to the prompt (the model's tokenizer when loaded, else an estimate). */
  tokens: count,
  tokensEstimated: z.boolean(),
});
export type AttachmentView = z.infer<typeof AttachmentViewSchema>;

/** Whether the next question fits the model's context, and if not what to do. */
export const ContextCheckSchema = z.object({
  /** Prompt tokens the question, the history and the attachments need (estimate before the model loads). */
  promptTokens: count,
  /** Tokens the model's context holds; null while unknown (no model loaded and no fixed setting). */
  contextTokens: z.nullable(count),
  /** Tokens kept free for thinking and the answer. */
  reserveTokens: count,
  /** Set when the question cannot be sent as it is: what to remove, in words. */
  problem: z.nullable(z.string()),
});
export type ContextCheck = z.infer<typeof ContextCheckSchema>;

/** One conversation in the list (its turns come with `conversation` messages). */
export const ConversationSummarySchema = z.object({
  id: attachmentId,
  title: z.string().check(z.maxLength(200)),
  turnCount: count,
  /** Epoch milliseconds of the last change. */
  updatedAt: count,
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ViewStateSchema = z.object({
  model: ModelStatusSchema,
  engine: EngineInfoSchema,
  brakeMode: z.enum(BRAKE_MODES),
  threshold: z.number().check(z.gte(0), z.lte(1)),
  settingProblems: z.array(z.string()),
  /** Settings the current model has its own values for (shown "for this model"). */
  modelSettings: z.array(z.enum(PROFILE_KEYS)),
  generating: z.boolean(),
  /** The conversation whose answer is being generated (Stop, Answer Now and Escape act there only). */
  runningConversationId: z.nullable(attachmentId),
  /** The conversation this page shows, and all of them (newest first). */
  conversationId: attachmentId,
  conversations: z.array(ConversationSummarySchema),
  /** What goes with the next question. */
  attachments: z.array(AttachmentViewSchema),
  contextCheck: z.nullable(ContextCheckSchema),
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
  /** Code from the editor that went with the question. */
  attachments: z.optional(z.array(AttachmentViewSchema)),
  /** When the thinking started (epoch ms) and, once it ended, how long it took: "Thought for 4.1 s". */
  thinkingStartedAt: z.optional(count),
  thinkingMs: z.optional(count),
  /** Why a braked answer cannot continue thinking (after a reload). */
  continueUnavailable: z.optional(z.string()),
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
  /** The first-run button: the scripted demo model shipped for trying the extension out. */
  z.object({ type: z.literal("useDemoModel") }),
  /** The model picker (models on this machine, recommended downloads, a file of your own). */
  z.object({ type: z.literal("selectModel") }),
  /** The models the configured server lists (`/v1/models`), to pick one. */
  z.object({ type: z.literal("selectServerModel") }),
  /** Enter a server address and run the model there. */
  z.object({ type: z.literal("useServer") }),
  /** Keep the threshold, brake mode and context size in force for the current model / drop them. */
  z.object({ type: z.literal("keepSettingsForModel") }),
  z.object({ type: z.literal("useGlobalSettings") }),
  z.object({ type: z.literal("openSettings"), query: z.optional(z.string().check(z.maxLength(200))) }),
  z.object({ type: z.literal("ask"), question }),
  z.object({ type: z.literal("stop") }),
  z.object({ type: z.literal("answerNow") }),
  z.object({ type: z.literal("continueThinking"), turnId }),
  z.object({ type: z.literal("newChat") }),
  z.object({ type: z.literal("setThreshold"), value: z.number().check(z.gte(0), z.lte(1)) }),
  z.object({ type: z.literal("setBrakeMode"), mode: z.enum(BRAKE_MODES) }),
  /** A code block's buttons: the code as shown, its fence language, and the turn it came from. */
  z.object({
    type: z.literal("codeAction"),
    action: z.enum(CODE_ACTIONS),
    code: z.string().check(z.maxLength(MAX_ATTACHMENT_CHARS)),
    language: z.string().check(z.maxLength(64)),
    turnId,
  }),
  z.object({ type: z.literal("attachActiveFile") }),
  z.object({ type: z.literal("addFile") }),
  z.object({ type: z.literal("removeAttachment"), id: attachmentId }),
  z.object({ type: z.literal("openAttachment"), turnId: z.optional(turnId), id: attachmentId }),
  z.object({ type: z.literal("regenerate"), turnId }),
  /** A failed or interrupted turn's question, asked again as a new turn with the code it carried. */
  z.object({ type: z.literal("askAgain"), turnId }),
  z.object({ type: z.literal("editAndResend"), turnId, question }),
  z.object({ type: z.literal("showPrompt"), turnId }),
  z.object({ type: z.literal("switchConversation"), id: attachmentId }),
  z.object({ type: z.literal("renameConversation"), id: attachmentId }),
  z.object({ type: z.literal("deleteConversation"), id: attachmentId }),
  z.object({ type: z.literal("openPanel") }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** Host → page. */
export const HostToWebviewSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), state: ViewStateSchema }),
  /** The whole conversation (on ready, after a new chat). */
  z.object({ type: z.literal("conversation"), conversationId: attachmentId, turns: z.array(TurnSchema) }),
  /** One turn changed (status, brake, stats…). Its text fields are complete. */
  z.object({ type: z.literal("turn"), turn: TurnSchema }),
  /** Text streamed onto a turn's thinking or answer. */
  z.object({ type: z.literal("append"), turnId, channel: z.enum(["thinking", "answer"]), text: z.string() }),
  /** Put the cursor in the question box (after "Ask About Selection", after Escape stopped an answer). */
  z.object({ type: z.literal("focusInput") }),
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

/** A message checked against its schema: the message, or what is wrong with it. */
export function parseMessage<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describeIssues(result.error) };
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewToHost> {
  return parseMessage(WebviewToHostSchema, raw);
}

export function parseHostMessage(raw: unknown): ParseResult<HostToWebview> {
  return parseMessage(HostToWebviewSchema, raw);
}
