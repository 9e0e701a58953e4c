/**
 * HTTP to the configured server, and nowhere else: every request is built from the configured base
 * URL, redirects are not followed, the API key goes only in the Authorization header and never
 * into a message or a log. Streams are server-sent events (`data: {...}` lines); a stream that
 * sends nothing for the timeout, a connection that drops and an error status all become
 * EngineErrors that say what happened and what to do.
 */
import { EngineError } from "../../common/errors";
import type { ServerConfig } from "../../common/types";

export interface ServerEndpoint {
  /** The server's origin (scheme, host, port). */
  readonly base: URL;
  /** The path the server is mounted under, without a trailing slash or `/v1` ("" at the root). */
  readonly prefix: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
}

/** The base URL as the requests use it: http(s) only, no credentials, no query; a trailing `/` or `/v1` dropped. */
export function serverEndpoint(config: ServerConfig): ServerEndpoint {
  if (config.url.trim() === "") {
    throw new EngineError("not-a-server", "No server is set: run Self-Braking: Use a Server… (or set selfBraking.server.url), or choose a local model file.");
  }
  let url: URL;
  try {
    url = new URL(config.url.trim());
  } catch {
    // not echoed: whatever was typed there may hold a secret
    throw new EngineError("not-a-server", "The server URL is not a URL. Give it as http://host:port (selfBraking.server.url).");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EngineError("not-a-server", `The server URL must start with http:// or https://, not ${url.protocol}// (selfBraking.server.url).`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new EngineError("not-a-server", "The server URL carries a user name or password: remove it and set the API key with Self-Braking: Set Server API Key… instead.");
  }
  const prefix = url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return { base: new URL(url.origin), prefix, apiKey: config.apiKey && config.apiKey.length > 0 ? config.apiKey : undefined, timeoutMs: Math.round(config.timeoutSeconds * 1000) };
}

/** The base URL as people read it (no credentials, no query). */
export function describeEndpoint(ep: ServerEndpoint): string {
  return `${ep.base.origin}${ep.prefix}`;
}

function urlFor(ep: ServerEndpoint, path: string): URL {
  const url = new URL(ep.base.origin);
  url.pathname = `${ep.prefix}${path}`;
  return url;
}

function headers(ep: ServerEndpoint, json: boolean): Record<string, string> {
  return { accept: json ? "application/json" : "text/event-stream", ...(json ? {} : { "content-type": "application/json" }), ...(ep.apiKey ? { authorization: `Bearer ${ep.apiKey}` } : {}) };
}

/** What a connection failure means, in words (Node's fetch hides the cause one level down). */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return "the connection was refused (nothing listens there)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name was not found";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was reset";
  if (typeof code === "string" && /CERT|SSL|TLS/.test(code)) return `the TLS certificate was not accepted (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

function statusError(ep: ServerEndpoint, path: string, status: number, body: string): EngineError {
  const where = describeEndpoint(ep);
  let said = "";
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof message === "string") said = `: ${message.slice(0, 300)}`;
  } catch {
    said = "";
  }
  if (status === 401 || status === 403) {
    return new EngineError("server-error", `The server at ${where} refused the request (HTTP ${status}${said}): set its API key with Self-Braking: Set Server API Key… (the CLI reads it from --api-key-env).`, { status, path });
  }
  if (status >= 300 && status < 400) {
    return new EngineError("server-error", `The server at ${where} redirected ${path} (HTTP ${status}); redirects are not followed. Set selfBraking.server.url to the address it redirects to.`, { status, path });
  }
  return new EngineError("server-error", `The server at ${where} answered ${path} with HTTP ${status}${said}.`, { status, path });
}

/** Aborts `controller` when nothing happened for `ms` (call `touch` on activity). */
class Stall {
  private timer: NodeJS.Timeout | null = null;
  fired = false;
  constructor(
    private readonly controller: AbortController,
    private readonly ms: number,
  ) {
    this.touch();
  }
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.ms);
  }
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function linked(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}

function unreachable(ep: ServerEndpoint, error: unknown, stall: Stall, path: string): EngineError {
  const where = describeEndpoint(ep);
  if (stall.fired) {
    return new EngineError("server-unreachable", `The server at ${where} sent nothing for ${Math.round(ep.timeoutMs / 1000)} s (${path}). Check that it is running and not overloaded, or raise selfBraking.server.timeoutSeconds.`, { path });
  }
  return new EngineError("server-unreachable", `Could not reach the server at ${where} (${path}): ${networkReason(error)}. Check selfBraking.server.url and that the server is running.`, { path });
}

/** GET returning JSON; `null` for a 404 (the caller decides what a missing route means). */
export async function getJson(ep: ServerEndpoint, path: string, signal?: AbortSignal): Promise<unknown> {
  const controller = linked(signal);
  const stall = new Stall(controller, ep.timeoutMs);
  try {
    const response = await fetch(urlFor(ep, path), { headers: headers(ep, true), redirect: "manual", signal: controller.signal });
    const body = await response.text();
    if (response.status === 404) return null;
    if (!response.ok) throw statusError(ep, path, response.status, body);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new EngineError("not-a-server", `${describeEndpoint(ep)}${path} did not answer with JSON (it began "${body.slice(0, 60).replace(/\s+/g, " ")}"): this URL does not look like an OpenAI-compatible server.`, { path });
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if (signal?.aborted) throw new EngineError("cancelled", "Stopped.");
    throw unreachable(ep, error, stall, path);
  } finally {
    stall.clear();
  }
}

/** POST returning JSON (small requests such as /tokenize). */
export async function postJson(ep: ServerEndpoint, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  const controller = linked(signal);
  const stall = new Stall(controller, ep.timeoutMs);
  try {
    const response = await fetch(urlFor(ep, path), { method: "POST", headers: { ...headers(ep, true), "content-type": "application/json" }, body: JSON.stringify(body), redirect: "manual", signal: controller.signal });
    const text = await response.text();
    if (!response.ok) throw statusError(ep, path, response.status, text);
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if (signal?.aborted) throw new EngineError("cancelled", "Stopped.");
    if (error instanceof SyntaxError) throw new EngineError("server-error", `${describeEndpoint(ep)}${path} answered with something that is not JSON.`, { path });
    throw unreachable(ep, error, stall, path);
  } finally {
    stall.clear();
  }
}

/**
 * POSTs `body` and yields each server-sent event's JSON until the stream ends (or `[DONE]`).
 * Aborting `signal` closes the connection (the server stops generating) and ends the iteration
 * quietly; the caller knows it asked for that.
 */
export async function* streamEvents(ep: ServerEndpoint, path: string, body: unknown, signal: AbortSignal): AsyncGenerator<Record<string, unknown>, void, void> {
  const controller = linked(signal);
  const stall = new Stall(controller, ep.timeoutMs);
  let response: Response;
  try {
    response = await fetch(urlFor(ep, path), { method: "POST", headers: headers(ep, false), body: JSON.stringify(body), redirect: "manual", signal: controller.signal });
  } catch (error) {
    stall.clear();
    if (signal.aborted) return;
    throw unreachable(ep, error, stall, path);
  }
  if (!response.ok || response.body === null) {
    const text = await response.text().catch(() => "");
    stall.clear();
    throw statusError(ep, path, response.status, text);
  }
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  const events = new SseParser();
  const parse = (data: string): Record<string, unknown> | "done" | null => {
    if (data === "[DONE]") return "done";
    if (data.trim().length === 0) return null;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      throw new EngineError("server-error", `The server at ${describeEndpoint(ep)} streamed something that is not JSON on ${path} ("${data.slice(0, 80)}").`, { path });
    }
    if (typeof event !== "object" || event === null) return null;
    const error = (event as { error?: unknown }).error;
    if (error !== undefined && error !== null) {
      const message = typeof error === "string" ? error : typeof error === "object" && typeof (error as { message?: unknown }).message === "string" ? (error as { message: string }).message : "unknown error";
      throw new EngineError("server-error", `The server at ${describeEndpoint(ep)} reported an error mid-stream: ${message.slice(0, 300)}.`, { path });
    }
    return event as Record<string, unknown>;
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        const e = unreachable(ep, error, stall, path);
        throw stall.fired ? e : new EngineError("server-unreachable", `The server at ${describeEndpoint(ep)} closed the connection in the middle of the answer (${networkReason(error)}). What was streamed is kept; check the server, then ask again.`, { path });
      }
      stall.touch();
      const datas = chunk.done ? events.end(decoder.decode()) : events.push(decoder.decode(chunk.value, { stream: true }));
      for (const data of datas) {
        const event = parse(data);
        if (event === "done") return;
        if (event !== null) yield event;
      }
      if (chunk.done) return;
    }
  } finally {
    stall.clear();
    controller.abort();
    try {
      reader.releaseLock();
    } catch {
      // a read still pending after the abort: the stream is closed either way
    }
  }
}

/**
 * Server-sent events: lines end with CRLF, LF or CR; `data:` lines accumulate until a blank line
 * ends the event; other fields and comments are ignored. Returns each complete event's data.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // a CR at the very end may be the first half of a CRLF: wait for the next chunk
      if (match === null || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line, out);
    }
    return out;
  }

  /** End of stream: a last line without its line break, and an event without its blank line, still count. */
  end(text = ""): string[] {
    const out = this.push(text);
    if (this.buffer.length > 0) this.line(this.buffer.replace(/\r$/, ""), out);
    this.buffer = "";
    if (this.data.length > 0) out.push(this.data.join("\n"));
    this.data = [];
    return out;
  }

  private line(line: string, out: string[]): void {
    if (line === "") {
      if (this.data.length > 0) out.push(this.data.join("\n"));
      this.data = [];
      return;
    }
    if (line.startsWith("data:")) this.data.push(line.slice(5).replace(/^ /, ""));
  }
}
