import type { Settings } from "../../core/settings/registry";
import type { AskRequest, ConversationTurn, LoadConfig, ServerConfig } from "../../engine/common/types";
import { modelFilePath } from "../modelFile";
import type { AttachedCode } from "../../core/prompt/attachedCode";

/**
 * How to load the model: the GGUF file of `selfBraking.model.*`, or with `selfBraking.engine:
 * server` the server of `selfBraking.server.*` (no model file then). The API key is not a
 * setting: the engine gateway adds the one kept in secret storage ({@link withApiKey}).
 */
export function loadConfigFrom(settings: Settings, apiKey?: string): LoadConfig {
  const local = {
    modelPath: modelFilePath(settings["model.path"]),
    gpu: settings["model.gpu"],
    gpuLayers: settings["model.gpuLayers"],
    contextSize: settings["model.contextSize"],
    threads: settings["model.threads"],
  };
  if (settings.engine !== "server") return local;
  return {
    ...local,
    modelPath: "",
    server: serverConfig(
      { url: settings["server.url"], model: settings["server.model"], api: settings["server.api"], promptFormat: settings["server.promptFormat"], timeoutSeconds: settings["server.timeoutSeconds"] },
      apiKey,
    ),
  };
}

/**
 * The configuration with this API key (none: `undefined` or empty). The fields keep one order
 * whatever the key, so that the engine client, which reloads when the configuration's JSON
 * changes, reloads only when something did change.
 */
export function withApiKey(load: LoadConfig, apiKey: string | undefined): LoadConfig {
  return load.server ? { ...load, server: serverConfig(load.server, apiKey) } : load;
}

function serverConfig(fields: Omit<ServerConfig, "apiKey">, apiKey: string | undefined): ServerConfig {
  return {
    url: fields.url,
    model: fields.model,
    ...(apiKey !== undefined && apiKey !== "" ? { apiKey } : {}),
    api: fields.api,
    promptFormat: fields.promptFormat,
    timeoutSeconds: fields.timeoutSeconds,
  };
}

/** One question to the engine, with the brake and sampling settings in force now. */
export function askRequestFrom(settings: Settings, question: string, history: readonly ConversationTurn[], attachments: readonly AttachedCode[] = []): AskRequest {
  return {
    question,
    ...(attachments.length > 0 ? { attachments } : {}),
    history,
    brake: {
      mode: settings["brake.mode"],
      threshold: settings["brake.threshold"],
      maxThinkingTokens: settings["brake.maxThinkingTokens"],
      cue: settings["brake.cue"],
      probe: settings["brake.probe"],
      signal: settings["brake.signal"],
    },
    generation: {
      temperature: settings["generation.temperature"],
      maxAnswerTokens: settings["generation.maxAnswerTokens"],
      thinking: settings["generation.thinking"],
    },
  };
}
