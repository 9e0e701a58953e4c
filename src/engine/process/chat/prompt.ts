/** Renders a question and its conversation into prompt tokens through the chat wrapper. */
import type { ChatHistoryItem, ChatModelResponse, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import type { AskRequest, ThinkingMode } from "../../common/types";
import type { ChatSetup, NodeLlamaCpp } from "./wrapper";
import { composeQuestion } from "../../../core/prompt/attachedCode";

export interface RenderedPrompt {
  readonly tokens: Token[];
  readonly text: string;
  readonly thinkingMode: ThinkingMode;
  /** The prompt ends inside an opened thought. */
  readonly startInThought: boolean;
  /** Texts that end the answer (end-of-generation tokens are handled separately). */
  readonly stopTexts: readonly string[];
}

export function stopTextOf(lib: NodeLlamaCpp, trigger: LlamaText): string | null {
  let text = "";
  for (const value of trigger.values) {
    if (typeof value === "string") text += value;
    else if (value instanceof lib.SpecialTokensText) text += value.value;
    else return null; // a builtin special token (EOS, EOT): detected as an end-of-generation token
  }
  return text.length > 0 ? text : null;
}

/**
 * The conversation as node-llama-cpp's chat history, ending with the model's response to come
 * (empty, or an opened or closed empty thought as the thinking mode asks).
 */
export function chatHistoryFor(setup: ChatSetup, request: AskRequest): { readonly history: ChatHistoryItem[]; readonly thinkingMode: ThinkingMode } {
  const history: ChatHistoryItem[] = [];
  if (request.generation.systemPrompt) history.push({ type: "system", text: request.generation.systemPrompt });
  for (const turn of request.history) {
    history.push({ type: "user", text: composeQuestion(turn.question, turn.attachments ?? []) });
    history.push({ type: "model", response: [turn.answer] });
  }
  history.push({ type: "user", text: composeQuestion(request.question, request.attachments ?? []) });

  const thought = setup.thought;
  const thinkingMode: ThinkingMode = thought === null ? "not-applicable" : request.generation.thinking ? "on" : "off";
  let response: ChatModelResponse["response"] = [];
  if (thinkingMode === "off") response = [{ type: "segment", segmentType: "thought", text: "", ended: true }];
  else if (thinkingMode === "on" && thought?.openOnResponseStart) response = [{ type: "segment", segmentType: "thought", text: "", ended: false }];
  history.push({ type: "model", response });
  return { history, thinkingMode };
}

export function renderPrompt(lib: NodeLlamaCpp, setup: ChatSetup, model: LlamaModel, request: AskRequest): RenderedPrompt {
  const { history, thinkingMode } = chatHistoryFor(setup, request);
  const thought = setup.thought;
  const state = setup.wrapper.generateContextState({ chatHistory: history });
  const text = state.contextText.toString();
  const startInThought = thinkingMode === "on" && thought !== null && text.trimEnd().endsWith(thought.open);
  const stopTexts = state.stopGenerationTriggers.map((t) => stopTextOf(lib, t)).filter((t): t is string => t !== null);
  return { tokens: state.contextText.tokenize(model.tokenizer), text, thinkingMode, startInThought, stopTexts };
}
