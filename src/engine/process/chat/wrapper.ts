/**
 * Chooses the chat wrapper (prompt format) for a model and finds its thinking markers.
 *
 * node-llama-cpp matches the GGUF's chat template against its built-in wrappers. A ChatML-style
 * reasoning template can come out as the plain ChatML wrapper, which has no thought segment:
 * the `<think>` block would then land in the answer and nothing could be braked. When the
 * model clearly has thinking markers but the wrapper has none, a wrapper that knows them is
 * forced instead, and the report says so.
 */
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText } from "node-llama-cpp";
import type * as NodeLlamaCppModule from "node-llama-cpp";

/** The node-llama-cpp module, as `await import("node-llama-cpp")` returns it (never imported statically). */
export type NodeLlamaCpp = typeof NodeLlamaCppModule;

export interface ThoughtFormat {
  /** Opening marker, trimmed (`<think>`). */
  readonly open: string;
  /** Closing marker, trimmed (`</think>`). */
  readonly close: string;
  /**
   * What goes between the end of a thought and the answer in the model's own format (e.g.
   * `\n</think>\n\n`), with special tokens marked. Injected by the brake.
   */
  readonly closeText: LlamaText;
  /** The wrapper opens the thought at the start of every response. */
  readonly openOnResponseStart: boolean;
}

export interface ChatSetup {
  readonly wrapper: ChatWrapper;
  readonly name: string;
  readonly note: string | null;
  readonly thought: ThoughtFormat | null;
}

const THOUGHT_MARK = "QQTHOUGHTMARKQQ";
const ANSWER_MARK = "QQANSWERMARKQQ";

function markerText(lib: NodeLlamaCpp, value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (lib.isLlamaText(value)) return value.toString().trim() || null;
  return null;
}

/**
 * The part of a rendered chat strictly between two plain-text markers, keeping special-token
 * pieces marked as special.
 */
export function sliceBetweenMarkers(lib: NodeLlamaCpp, text: LlamaText, startMark: string, endMark: string): LlamaText | null {
  const pieces: Array<string | InstanceType<NodeLlamaCpp["SpecialTokensText"]> | InstanceType<NodeLlamaCpp["SpecialToken"]>> = [];
  let state: "before" | "inside" | "done" = "before";
  for (const value of text.values) {
    if (state === "done") break;
    const isSpecialText = value instanceof lib.SpecialTokensText;
    const raw = typeof value === "string" ? value : isSpecialText ? value.value : null;
    if (raw === null) {
      if (state === "inside") pieces.push(value as InstanceType<NodeLlamaCpp["SpecialToken"]>);
      continue;
    }
    let s = raw;
    if (state === "before") {
      const at = s.indexOf(startMark);
      if (at < 0) continue;
      s = s.slice(at + startMark.length);
      state = "inside";
    }
    const end = s.indexOf(endMark);
    if (end >= 0) {
      s = s.slice(0, end);
      state = "done";
    }
    if (s.length > 0) pieces.push(isSpecialText ? new lib.SpecialTokensText(s) : s);
  }
  return state === "done" ? lib.LlamaText(pieces) : null;
}

/** Renders a closed thought followed by an answer and returns what lies between them. */
function closeTextOf(lib: NodeLlamaCpp, wrapper: ChatWrapper): LlamaText | null {
  try {
    const history: ChatHistoryItem[] = [
      { type: "user", text: "Q" },
      { type: "model", response: [{ type: "segment", segmentType: "thought", text: THOUGHT_MARK, ended: true }, ANSWER_MARK] },
    ];
    const { contextText } = wrapper.generateContextState({ chatHistory: history });
    return sliceBetweenMarkers(lib, contextText, THOUGHT_MARK, ANSWER_MARK);
  } catch {
    return null;
  }
}

function thoughtOf(lib: NodeLlamaCpp, wrapper: ChatWrapper): { open: string; close: string; openOnResponseStart: boolean } | null {
  const thought = wrapper.settings.segments?.thought;
  if (!thought) return null;
  const close = markerText(lib, thought.suffix);
  const prefix = thought.prefix;
  const openedOnStart = typeof prefix === "object" && !lib.isLlamaText(prefix) && prefix.type === "openedOnStart";
  const open = openedOnStart ? null : markerText(lib, prefix);
  if (close === null) return null;
  return { open: open ?? close.replace("</", "<"), close, openOnResponseStart: openedOnStart || thought.openOnResponseStart === true };
}

/** Whether the model has dedicated thinking markers (template mentions them, or they are single special tokens). */
function hasThinkingMarkers(model: LlamaModel, template: string | undefined): boolean {
  if (template?.includes("<think>") && template.includes("</think>")) return true;
  const one = (text: string): boolean => model.tokenize(text, true).length === 1;
  return one("<think>") && one("</think>");
}

function forcedWrapper(lib: NodeLlamaCpp, model: LlamaModel, template: string | undefined): { wrapper: ChatWrapper; why: string } | null {
  if (template?.includes("<|im_start|>")) return { wrapper: new lib.QwenChatWrapper(), why: "ChatML with <think> (Qwen)" };
  if (template?.includes("<｜Assistant｜>") || template?.includes("<｜User｜>")) return { wrapper: new lib.DeepSeekChatWrapper(), why: "DeepSeek-R1" };
  if (template) {
    try {
      const jinja = new lib.JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
      if (jinja.settings.segments?.thought) return { wrapper: jinja, why: "the model's own Jinja template" };
    } catch {
      // The template does not render with node-llama-cpp's Jinja engine: no forced wrapper.
    }
  }
  return null;
}

/** Picks the chat wrapper and the thinking format for a loaded model. */
export function resolveChatSetup(lib: NodeLlamaCpp, model: LlamaModel): ChatSetup {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  let wrapper: ChatWrapper = lib.resolveChatWrapper(model, { warningLogs: false });
  let note: string | null = null;
  if (thoughtOf(lib, wrapper) === null && hasThinkingMarkers(model, template)) {
    const forced = forcedWrapper(lib, model, template);
    if (forced) {
      note = `auto-detection chose the ${wrapper.wrapperName} format, which has no thinking segment; using ${forced.wrapper.wrapperName} (${forced.why}) so the <think> block is recognised`;
      wrapper = forced.wrapper;
    }
  }
  return { wrapper, name: wrapper.wrapperName, note, thought: thoughtFormatOf(lib, wrapper, template ? { template, tokenizer: model.tokenizer } : null) };
}

/**
 * The thinking format of a wrapper: its markers and the text that closes a thought and leads to
 * the answer, taken from the model's own Jinja template when given and renderable (the most
 * faithful source of what follows `</think>`), else from the wrapper. Null: no thinking segment.
 */
export function thoughtFormatOf(lib: NodeLlamaCpp, wrapper: ChatWrapper, own: { template: string; tokenizer?: LlamaModel["tokenizer"] } | null): ThoughtFormat | null {
  const markers = thoughtOf(lib, wrapper);
  if (markers === null) return null;
  let closeText: LlamaText | null = null;
  if (own) {
    try {
      const jinja = new lib.JinjaTemplateChatWrapper({ template: own.template, ...(own.tokenizer ? { tokenizer: own.tokenizer } : {}) });
      const jinjaMarkers = thoughtOf(lib, jinja);
      if (jinjaMarkers?.close === markers.close) closeText = closeTextOf(lib, jinja);
    } catch {
      closeText = null;
    }
  }
  if (closeText === null || !closeText.toString().includes(markers.close)) closeText = closeTextOf(lib, wrapper);
  if (closeText === null || !closeText.toString().includes(markers.close)) closeText = lib.LlamaText(new lib.SpecialTokensText(`\n${markers.close}\n\n`));
  return { ...markers, closeText };
}
