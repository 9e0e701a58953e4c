import type { AttachedCode } from "../../core/prompt/attachedCode";
import type { Turn } from "../../protocol";

/** One conversation as the session keeps and saves it. */
export interface SavedConversation {
  readonly id: string;
  readonly title: string;
  /** Epoch milliseconds of the last change. */
  readonly updatedAt: number;
  readonly turns: readonly Turn[];
  /** The code each turn's question carried (the page gets only its chips), by turn id. */
  readonly code: Readonly<Record<string, readonly AttachedCode[]>>;
}

/** Every conversation of the workspace and the one on show. */
export interface SavedChats {
  readonly currentId: string;
  readonly conversations: readonly SavedConversation[];
}

export const UNTITLED = "New chat";

/** A conversation's title: its first question, on one line, cut at a word near 60 characters. */
export function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, " ").trim();
  if (line.length <= 60) return line === "" ? UNTITLED : line;
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(" ");
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function newConversationId(now = Date.now()): string {
  return `c${now.toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

/** One conversation holding these turns (a chat saved before there were several, or a test's). */
export function singleConversation(turns: readonly Turn[], id = "c-restored", updatedAt = 0): SavedChats {
  const first = turns[0];
  return { currentId: id, conversations: [{ id, title: first ? titleFrom(first.question) : UNTITLED, updatedAt, turns, code: {} }] };
}
