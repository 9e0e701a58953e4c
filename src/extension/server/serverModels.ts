/**
 * The models a server offers: one GET of `<url>/v1/models` (the OpenAI-compatible list that
 * llama-server, vLLM, SGLang, Ollama and LM Studio all serve). No vscode here, so a unit test
 * runs it against a local server. The configured address is the only one ever requested: a
 * redirect is reported, never followed. The API key goes in the Authorization header and
 * nowhere else (no message, no log line names it).
 */
import type { EngineErrorCode } from "../../engine/common/errors";
import { redactServerUrl } from "../../core/settings/serverUrl";

export interface ServerModelsRequest {
  /** The server's base address (`http://gpu-box:8080`, with or without `/v1`). */
  readonly url: string;
  readonly apiKey?: string | undefined;
  readonly timeoutSeconds: number;
}

/** Why the list could not be had, for the choice of what to offer next (Set API Key…, Open Settings). */
export type ServerModelsFailure = "refused" | "unknown-host" | "unreachable" | "timeout" | "certificate" | "unauthorized" | "redirect" | "status" | "not-a-list";

export type ServerModelsResult =
  | { readonly ok: true; readonly models: readonly string[]; readonly endpoint: string }
  | { readonly ok: false; readonly code: Extract<EngineErrorCode, "server-unreachable" | "server-error" | "not-a-server">; readonly reason: ServerModelsFailure; readonly message: string };

/** The most a model list may weigh; a larger answer is not a model list. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_MODELS = 1000;
const MAX_ID_CHARS = 1000;

/** `<base>/v1/models`, `<base>/models` when the address already ends in `/v1`. */
export function modelsEndpoint(url: string): string {
  const base = url.trim().replace(/\/+$/, "");
  return /\/v1$/.test(base) ? `${base}/models` : `${base}/v1/models`;
}

const SET_KEY = "Self-Braking: Set Server API Key…";
const BASE_EXAMPLE = "the server's base address, such as http://gpu-box:8080";

export async function listServerModels(request: ServerModelsRequest): Promise<ServerModelsResult> {
  const endpoint = modelsEndpoint(request.url);
  const shown = redactServerUrl(endpoint);
  const seconds = request.timeoutSeconds;
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.apiKey !== undefined && request.apiKey !== "") headers["authorization"] = `Bearer ${request.apiKey}`;
  let response: Response;
  let body: string;
  const signal = AbortSignal.timeout(seconds * 1000);
  try {
    response = await fetch(endpoint, { method: "GET", headers, redirect: "manual", signal });
    body = await readBounded(response);
  } catch (error) {
    return failure(error, shown, seconds);
  }
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (response.status === 401 || response.status === 403) {
    const message =
      headers["authorization"] !== undefined
        ? `The server refused the API key (${status}). Set the right one with ${SET_KEY}`
        : `The server wants an API key (${status}). Set it with ${SET_KEY}`;
    return { ok: false, code: "server-error", reason: "unauthorized", message };
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location");
    return {
      ok: false,
      code: "not-a-server",
      reason: "redirect",
      message: `${shown} redirects elsewhere (${status}${location ? ` to ${redactServerUrl(location)}` : ""}); requests go only to the configured address, so the redirect was not followed. If the server moved, put its new address in selfBraking.server.url.`,
    };
  }
  if (response.status === 404 || response.status === 405) {
    return { ok: false, code: "not-a-server", reason: "status", message: `${shown} answered ${status}: this URL does not answer as an OpenAI-compatible server. Give ${BASE_EXAMPLE}.` };
  }
  if (!response.ok) {
    const said = errorText(body);
    return { ok: false, code: "server-error", reason: "status", message: `The server answered ${status} to ${shown}${said ? `: ${said}` : ""}. Look at the server's log.` };
  }
  const models = modelIds(body);
  if (models === undefined) {
    const type = response.headers.get("content-type")?.split(";")[0]?.trim();
    return {
      ok: false,
      code: "not-a-server",
      reason: "not-a-list",
      message: `${shown} answered, but not with a model list (${type ? `it sent ${type}` : "no JSON"} without a "data" array): this URL does not answer as an OpenAI-compatible server. Give ${BASE_EXAMPLE}.`,
    };
  }
  return { ok: true, models, endpoint };
}

/** The body as text, refused beyond {@link MAX_BODY_BYTES}. */
async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return "";
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The ids of `{"data": [{"id": …}, …]}`; undefined when the body is not such a list. */
function modelIds(body: string): string[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || !Array.isArray((value as { data?: unknown }).data)) return undefined;
  const ids = new Set<string>();
  for (const item of (value as { data: unknown[] }).data) {
    const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined;
    // shown in a quick pick and written to a setting: printable, bounded
    if (typeof id !== "string") continue;
    // eslint-disable-next-line no-control-regex
    const clean = id.replace(/[\u0000-\u001f\u007f]/g, "").trim();
    if (clean !== "" && clean.length <= MAX_ID_CHARS) ids.add(clean);
    if (ids.size >= MAX_MODELS) break;
  }
  return [...ids];
}

/** What an error body says, briefly: OpenAI's `{"error": {"message"}}`, else its first line of text. */
function errorText(body: string): string {
  let text = body;
  try {
    const value = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = value.error;
    text = typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string" ? (error as { message: string }).message : typeof error === "string" ? error : typeof value.message === "string" ? value.message : "";
  } catch {
    if (/^\s*</.test(body)) return "";
  }
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

function failure(error: unknown, shown: string, seconds: number): ServerModelsResult {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return {
      ok: false,
      code: "server-unreachable",
      reason: "timeout",
      message: `${shown} did not answer within ${seconds} s. Is the server running and reachable from this machine (a firewall, a VPN)? A busy server may need a longer selfBraking.server.timeoutSeconds.`,
    };
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : "";
  if (code === "ECONNREFUSED") {
    return { ok: false, code: "server-unreachable", reason: "refused", message: `Nothing answers at ${shown} (connection refused). Is the server running, and are the host and port in selfBraking.server.url right?` };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return { ok: false, code: "server-unreachable", reason: "unknown-host", message: `The server's host name in ${shown} is not known here (${code}). Check the address in selfBraking.server.url.` };
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return { ok: false, code: "server-unreachable", reason: "certificate", message: `${shown}'s TLS certificate is not trusted (${code}). Use a certificate this machine trusts, or plain http:// on a network you trust.` };
  }
  const detail = code !== "" ? code : typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error);
  return { ok: false, code: "server-unreachable", reason: "unreachable", message: `Could not reach ${shown} (${detail}). Is the server running, and is selfBraking.server.url right?` };
}
