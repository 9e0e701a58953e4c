import type { AttachmentView, ViewState } from "../protocol";
import { h } from "./dom";
import { formatTokens } from "./format";

/** "lines 10–24" or "whole file". */
export function lineRange(a: Pick<AttachmentView, "kind" | "startLine" | "endLine">): string {
  if (a.kind === "file") return "whole file";
  return a.startLine === a.endLine ? `line ${a.startLine}` : `lines ${a.startLine}–${a.endLine}`;
}

function fileName(label: string): string {
  return label.split(/[\\/]/).pop() ?? label;
}

/** One attachment as a chip: its file and lines (click to open), its tokens, and ✕ to remove it (only on the composer's). */
export function attachmentChip(a: AttachmentView, removable: boolean): HTMLElement {
  const tokens = `${a.tokensEstimated ? "~" : ""}${formatTokens(a.tokens)} tokens`;
  return h(
    "span",
    { class: "chip", "data-attachment-id": a.id, title: `${a.label} · ${lineRange(a)} · ${tokens}` },
    h("button", { type: "button", class: "chip-open", "data-action": "openAttachment", "data-id": a.id, "aria-label": `Open ${a.label}, ${lineRange(a)}` }, fileName(a.label)),
    h("span", { class: "chip-detail muted" }, `${lineRange(a)} · ${tokens}`),
    removable ? h("button", { type: "button", class: "chip-remove", "data-action": "removeAttachment", "data-id": a.id, title: "Remove", "aria-label": `Remove ${a.label}` }, "✕") : null,
  );
}

export function attachmentChips(attachments: readonly AttachmentView[]): HTMLElement[] {
  return attachments.map((a) => attachmentChip(a, true));
}

/** The conversation menu (switch), with Rename, Delete and Open in Editor. */
export function conversationBar(state: ViewState): HTMLElement {
  const menu = h("select", { "data-control": "conversation", "aria-label": "Conversation", title: "Switch conversation" });
  for (const c of state.conversations) {
    const option = h("option", { value: c.id }, c.turnCount > 0 ? `${c.title} (${c.turnCount})` : c.title);
    option.selected = c.id === state.conversationId;
    menu.append(option);
  }
  const current = state.conversations.find((c) => c.id === state.conversationId);
  const hasTurns = (current?.turnCount ?? 0) > 0;
  return h(
    "div",
    { class: "conversation-bar" },
    menu,
    hasTurns ? h("button", { type: "button", class: "secondary small", "data-action": "renameConversation", "data-id": state.conversationId, title: "Rename this conversation" }, "Rename") : null,
    hasTurns ? h("button", { type: "button", class: "secondary small", "data-action": "deleteConversation", "data-id": state.conversationId, title: "Delete this conversation" }, "Delete") : null,
    h("button", { type: "button", class: "secondary small", "data-action": "openPanel", title: "Open the chat in an editor tab" }, "Open in Editor"),
  );
}
