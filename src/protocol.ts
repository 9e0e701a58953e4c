/**
 * The typed messages between the chat webview (src/webview) and its host (src/extension).
 * Imported by both sides; every message that crosses the boundary is validated with these
 * schemas on arrival, so a malformed message is rejected and reported, never acted on.
 */
import * as z from "zod/mini";

/** Where the model stands, as the chat view shows it. */
export const ModelStatusSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("notConfigured") }),
  z.object({ kind: z.literal("missing"), path: z.string(), message: z.string() }),
  z.object({ kind: z.literal("ready"), path: z.string(), fileName: z.string(), sizeBytes: z.number().check(z.nonnegative()) }),
]);
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

export const ViewStateSchema = z.object({
  model: ModelStatusSchema,
  brakeMode: z.enum(["off", "adaptive", "budget"]),
  threshold: z.number().check(z.gte(0), z.lte(1)),
  settingProblems: z.array(z.string()),
});
export type ViewState = z.infer<typeof ViewStateSchema>;

/** Page → host. */
export const WebviewToHostSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("chooseModel") }),
  z.object({ type: z.literal("openSettings"), query: z.optional(z.string().check(z.maxLength(200))) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** Host → page. */
export const HostToWebviewSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("state"), state: ViewStateSchema })]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
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
