import { composeQuestion, fenceFor } from "../../core/prompt/attachedCode";
import type { ConversationTurn } from "../../engine/common/types";

function block(title: string, text: string): string {
  const f = fenceFor(text);
  return `### ${title}\n\n${f}text\n${text}\n${f}\n`;
}

/**
 * "Show prompt": the messages a turn was sent with, as a markdown document. The engine wraps them
 * in the model's chat template (and opens the thinking) before the model reads them.
 */
export function promptDocument(prompt: { readonly history: readonly ConversationTurn[]; readonly message: string }): string {
  const parts = [
    "# What the model was sent",
    "",
    "The messages below, in the model's chat template (the engine applies it, then opens the thinking). Earlier turns' thinking is not sent again.",
    "",
  ];
  prompt.history.forEach((turn, index) => {
    parts.push(block(`Earlier question ${index + 1}`, composeQuestion(turn.question, turn.attachments ?? [])));
    parts.push(block(`Earlier answer ${index + 1}`, turn.answer));
  });
  parts.push(block(prompt.history.length > 0 ? "This question" : "The question", prompt.message));
  return parts.join("\n");
}
