import type { Settings } from "../../core/settings/registry";
import type { AskRequest, ConversationTurn, LoadConfig } from "../../engine/common/types";
import { modelFilePath } from "../modelFile";
import type { AttachedCode } from "../../core/prompt/attachedCode";

/** How to load the model, from `selfBraking.model.*`. */
export function loadConfigFrom(settings: Settings): LoadConfig {
  return {
    modelPath: modelFilePath(settings["model.path"]),
    gpu: settings["model.gpu"],
    gpuLayers: settings["model.gpuLayers"],
    contextSize: settings["model.contextSize"],
    threads: settings["model.threads"],
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
