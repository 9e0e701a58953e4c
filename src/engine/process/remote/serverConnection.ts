/**
 * Connecting to a server: is it an OpenAI-compatible server (`/v1/models`), which model, is it
 * llama-server (`/props`: its chat template and context size), and which prompt format renders
 * the chat here. The result is what the header shows (LoadReport with `server`).
 */
import type { ChatWrapper } from "node-llama-cpp";
import { EngineError } from "../../common/errors";
import type { LoadReport, ServerConfig } from "../../common/types";
import type { ChatSetup, NodeLlamaCpp } from "../chat/wrapper";
import { thoughtFormatOf } from "../chat/wrapper";
import type { CompletionApi } from "./completionStream";
import type { ServerEndpoint } from "./serverHttp";
import { describeEndpoint, getJson, serverEndpoint } from "./serverHttp";

export interface ServerConnection {
  readonly ep: ServerEndpoint;
  readonly api: CompletionApi;
  readonly model: string;
  readonly setup: ChatSetup;
  /** The server's context size where it says (llama-server), else null. */
  readonly contextSize: number | null;
  /** The end-of-generation token's text (llama-server's /props), for turns the template ends with it. */
  readonly eosText: string | null;
  readonly report: LoadReport;
}

function modelIds(listing: unknown): string[] | null {
  if (typeof listing !== "object" || listing === null) return null;
  const data = (listing as { data?: unknown }).data;
  if (!Array.isArray(data)) return null;
  return data.flatMap((m) => (typeof m === "object" && m !== null && typeof (m as { id?: unknown }).id === "string" ? [(m as { id: string }).id] : []));
}

/** The chat wrapper for the server's model: from its own template where it gives one, else the named or assumed format. */
export function remoteChatSetup(lib: NodeLlamaCpp, format: ServerConfig["promptFormat"], template: string | null): { setup: ChatSetup; source: string } {
  // the server's own template is the most faithful source of what follows `</think>`
  const named = (wrapper: ChatWrapper, source: string, note: string | null = null): { setup: ChatSetup; source: string } => ({
    setup: { wrapper, name: wrapper.wrapperName, note, thought: thoughtFormatOf(lib, wrapper, template === null ? null : { template }) },
    source,
  });
  if (format === "chatml") return named(new lib.QwenChatWrapper(), "ChatML with <think> (selfBraking.server.promptFormat)");
  if (format === "deepseek") return named(new lib.DeepSeekChatWrapper(), "DeepSeek-R1 (selfBraking.server.promptFormat)");
  if (template === null) {
    return named(new lib.QwenChatWrapper(), "ChatML with <think>, assumed: the server does not give its chat template (set selfBraking.server.promptFormat for another)", "the server does not give its chat template; ChatML with <think> is assumed");
  }
  if (template.includes("<|im_start|>")) return named(new lib.QwenChatWrapper(), "the server's chat template (ChatML with <think>)");
  if (template.includes("<｜Assistant｜>") || template.includes("<｜User｜>")) return named(new lib.DeepSeekChatWrapper(), "the server's chat template (DeepSeek-R1)");
  try {
    const jinja = new lib.JinjaTemplateChatWrapper({ template });
    return named(jinja, "the server's chat template (Jinja)", jinja.settings.segments?.thought ? null : "the server's chat template has no thinking segment: nothing can be braked");
  } catch (error) {
    throw new EngineError("no-chat-template", `The server's chat template does not render here (${error instanceof Error ? error.message : String(error)}). Set selfBraking.server.promptFormat to the model's format (chatml or deepseek).`);
  }
}

export async function connectToServer(lib: NodeLlamaCpp, config: ServerConfig, signal?: AbortSignal): Promise<ServerConnection> {
  const started = performance.now();
  const ep = serverEndpoint(config);
  const where = describeEndpoint(ep);
  const listing = await getJson(ep, "/v1/models", signal);
  const ids = modelIds(listing);
  if (ids === null) {
    throw new EngineError("not-a-server", `${where} does not answer /v1/models with a list of models: it does not look like an OpenAI-compatible server (llama-server, vLLM, …). Check selfBraking.server.url.`);
  }
  if (ids.length === 0) throw new EngineError("not-a-server", `The server at ${where} lists no models: load one on the server first.`);
  const model = config.model.trim() === "" ? (ids[0] as string) : config.model.trim();
  if (!ids.includes(model)) {
    throw new EngineError("server-error", `The server at ${where} has no model "${model}"; it has ${ids.slice(0, 8).map((id) => `"${id}"`).join(", ")}${ids.length > 8 ? ", …" : ""}. Choose one with Self-Braking: Select Server Model….`);
  }

  let props: Record<string, unknown> | null = null;
  if (config.api !== "openai") {
    const answer = await getJson(ep, "/props", signal).catch((error: unknown) => {
      if (config.api === "llama-server") throw error;
      return null;
    });
    if (typeof answer === "object" && answer !== null && ("chat_template" in answer || "build_info" in answer)) props = answer as Record<string, unknown>;
  }
  if (config.api === "llama-server" && props === null) {
    throw new EngineError("not-a-server", `${where} does not answer /props as llama-server does; set selfBraking.server.api to "openai" (or "auto") for this server.`);
  }
  const api: CompletionApi = props !== null ? "llama-server" : "openai";
  const template = typeof props?.chat_template === "string" && props.chat_template.length > 0 ? props.chat_template : null;
  const { setup, source } = remoteChatSetup(lib, config.promptFormat, template);
  const generation = props?.default_generation_settings as { n_ctx?: unknown } | undefined;
  const contextSize = typeof generation?.n_ctx === "number" ? generation.n_ctx : null;
  const eosText = typeof props?.eos_token === "string" ? props.eos_token : null;
  const warnings = ["Trial-answer probes and the end-of-thinking signal need the model's next-token probabilities, which the server's stream does not give here: with a server only the text brake and the budget apply."];
  if (setup.note) warnings.unshift(setup.note);
  const host = ep.base.host;
  const report: LoadReport = {
    modelPath: where,
    modelName: model,
    architecture: "remote",
    fileBytes: 0,
    parameters: 0,
    scripted: false,
    requestedBackend: "auto",
    backend: "server",
    device: { kind: "server", note: "on the server" },
    gpuDevices: [],
    layersOffloaded: 0,
    layersTotal: 0,
    contextSize: contextSize ?? 0,
    threads: 0,
    threadsReason: "the server's own",
    memory: { ramBytes: 0, vramBytes: 0, processRssBytes: process.memoryUsage().rss },
    timings: { importMs: 0, backendMs: 0, modelMs: 0, contextMs: 0, chatFormatMs: 0, totalMs: performance.now() - started },
    chatWrapper: setup.name,
    chatWrapperNote: source,
    thinkingSupported: setup.thought !== null,
    fallbacks: [],
    warnings,
    server: { url: where, host, api, model, promptFormat: source, reportsCache: api === "llama-server" },
  };
  return { ep, api, model, setup, contextSize, eosText, report };
}
