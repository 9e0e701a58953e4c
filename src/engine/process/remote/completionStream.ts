/**
 * One raw text completion streamed from the server, the same shape whichever API: llama-server's
 * own `/completion` (token ids per chunk, `cache_prompt`, timings with `prompt_n` / `cache_n`) or
 * the OpenAI-compatible `/v1/completions` (vLLM and others: text per chunk, usage at the end).
 * The prompt is rendered here (the chat template applied client-side), so the server only
 * continues text: after a brake, the next request is the same prompt plus the kept thinking and
 * the cue, and the server's prefix cache serves everything before the cue.
 */
import type { ServerEndpoint } from "./serverHttp";
import { streamEvents } from "./serverHttp";

export type CompletionApi = "llama-server" | "openai";

export interface CompletionRequest {
  /** Text, or token ids (llama-server): ids continue exactly the tokens the server generated, so its cache matches them. */
  readonly prompt: string | readonly number[];
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed: number | undefined;
  /** Texts that end the answer (the template's end of turn, where it is not a special token). */
  readonly stop: readonly string[];
}

export interface CompletionPiece {
  readonly text: string;
  /** Tokens in this piece: exact where the server sends token ids, else 1 per streamed piece. */
  readonly tokens: number;
  /** The token ids, where the server sends them (llama-server; a token that ends inside a character comes without its id, see RemoteGeneration). */
  readonly ids: readonly number[] | null;
  /** Prompt tokens evaluated for this request, as soon as the server says (llama-server's per-token timings). */
  readonly promptEvaluated: number | null;
}

export interface CompletionEnd {
  /** `eos`: the model ended; `limit`: max tokens; `stop`: a stop string; `aborted`: we closed the connection. */
  readonly stop: "eos" | "limit" | "stop" | "aborted" | "unknown";
  /** Prompt tokens as the server counted them (null: not reported). */
  readonly promptTokens: number | null;
  /** Prompt tokens evaluated for this request, i.e. not served from the server's cache (null: not reported). */
  readonly promptEvaluated: number | null;
  /** Completion tokens as the server counted them (null: not reported). */
  readonly completionTokens: number | null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function llamaServerBody(model: string, r: CompletionRequest): Record<string, unknown> {
  return { ...(model ? { model } : {}), prompt: r.prompt, stream: true, cache_prompt: true, n_predict: r.maxTokens, temperature: r.temperature, ...(r.seed === undefined ? {} : { seed: r.seed }), ...(r.stop.length > 0 ? { stop: r.stop } : {}), return_tokens: true, timings_per_token: true };
}

function openAiBody(model: string, r: CompletionRequest): Record<string, unknown> {
  return { model, prompt: r.prompt, stream: true, max_tokens: r.maxTokens, temperature: r.temperature, ...(r.seed === undefined ? {} : { seed: r.seed }), ...(r.stop.length > 0 ? { stop: r.stop } : {}), stream_options: { include_usage: true } };
}

/**
 * Streams one completion: yields the pieces, returns how it ended and what the server said about
 * the prompt. Aborting `signal` ends it with `stop: "aborted"`.
 */
export async function* streamCompletion(api: CompletionApi, ep: ServerEndpoint, model: string, request: CompletionRequest, signal: AbortSignal): AsyncGenerator<CompletionPiece, CompletionEnd, void> {
  let stop: CompletionEnd["stop"] = "unknown";
  let promptTokens: number | null = null;
  let promptEvaluated: number | null = null;
  let completionTokens: number | null = null;
  let predicted = 0;
  const readTimings = (timings: unknown): void => {
    if (typeof timings !== "object" || timings === null) return;
    const t = timings as Record<string, unknown>;
    const evaluated = num(t.prompt_n);
    const cached = num(t.cache_n);
    if (evaluated !== null) promptEvaluated = evaluated;
    if (evaluated !== null && cached !== null) promptTokens = evaluated + cached;
    const predicted = num(t.predicted_n);
    if (predicted !== null) completionTokens = predicted;
  };
  if (api === "llama-server") {
    for await (const event of streamEvents(ep, "/completion", llamaServerBody(model, request), signal)) {
      const text = typeof event.content === "string" ? event.content : "";
      const ids = Array.isArray(event.tokens) && event.tokens.every((t) => typeof t === "number") ? (event.tokens as number[]) : null;
      if (promptTokens === null) promptTokens = num(event.tokens_evaluated);
      // tokens_predicted counts every token, also those the server sent no chunk for (an incomplete character)
      const predictedSoFar = num(event.tokens_predicted);
      const tokens = predictedSoFar !== null && predictedSoFar > predicted ? predictedSoFar - predicted : (ids?.length ?? 1);
      if (predictedSoFar !== null) predicted = Math.max(predicted, predictedSoFar);
      const evaluatedNow = typeof event.timings === "object" && event.timings !== null ? num((event.timings as Record<string, unknown>).prompt_n) : null;
      if (text.length > 0 || (ids?.length ?? 0) > 0) yield { text, tokens, ids, promptEvaluated: evaluatedNow };
      if (event.stop === true) {
        const type = event.stop_type;
        stop = type === "eos" ? "eos" : type === "limit" ? "limit" : type === "word" ? "stop" : "unknown";
        readTimings(event.timings);
      }
    }
  } else {
    for await (const event of streamEvents(ep, "/v1/completions", openAiBody(model, request), signal)) {
      const choice = Array.isArray(event.choices) ? (event.choices[0] as Record<string, unknown> | undefined) : undefined;
      const text = typeof choice?.text === "string" ? choice.text : "";
      if (text.length > 0) yield { text, tokens: 1, ids: null, promptEvaluated: null };
      const finish = choice?.finish_reason;
      if (finish === "stop") stop = "eos";
      else if (finish === "length") stop = "limit";
      const usage = event.usage as Record<string, unknown> | undefined;
      if (usage && typeof usage === "object") {
        promptTokens = num(usage.prompt_tokens) ?? promptTokens;
        completionTokens = num(usage.completion_tokens) ?? completionTokens;
        const details = usage.prompt_tokens_details as Record<string, unknown> | undefined;
        const cached = num(details?.cached_tokens);
        if (cached !== null && promptTokens !== null) promptEvaluated = promptTokens - cached;
      }
      // llama-server's OpenAI endpoint adds its own timings
      if (event.timings) readTimings(event.timings);
    }
  }
  if (signal.aborted) stop = "aborted";
  return { stop, promptTokens, promptEvaluated, completionTokens };
}
