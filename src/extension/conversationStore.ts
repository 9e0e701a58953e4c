import type * as vscode from "vscode";
import * as z from "zod/mini";
import type { AttachedCode } from "../core/prompt/attachedCode";
import type { Turn } from "../protocol";
import { MAX_ATTACHMENT_CHARS, TurnSchema, describeIssues } from "../protocol";
import type { SavedChats, SavedConversation } from "./chat/savedChats";
import { singleConversation, titleFrom } from "./chat/savedChats";

/** Where the conversation is kept in the workspace state. */
export const CONVERSATION_KEY = "selfBraking.conversation";
/** Saved data that could not be read is copied under this prefix plus a timestamp, never overwritten. */
export const UNREADABLE_KEY_PREFIX = "selfBraking.conversation.unreadable.";
/** Format 1 held one conversation; format 2 holds several, and the code their questions carried. */
const FORMAT_VERSION = 2;

const VersionOneSchema = z.object({ version: z.literal(1), turns: z.array(z.unknown()) });
const VersionTwoSchema = z.object({
  version: z.literal(2),
  currentId: z.string(),
  conversations: z.array(
    z.object({
      id: z.string().check(z.minLength(1), z.maxLength(64)),
      title: z.string().check(z.maxLength(200)),
      updatedAt: z.number().check(z.int(), z.nonnegative()),
      turns: z.array(z.unknown()),
      code: z.optional(z.record(z.string(), z.unknown())),
    }),
  ),
});

const AttachedCodeListSchema = z.array(
  z.object({
    kind: z.enum(["selection", "file"]),
    label: z.string().check(z.maxLength(1000)),
    language: z.string().check(z.maxLength(64)),
    startLine: z.number().check(z.int(), z.positive()),
    endLine: z.number().check(z.int(), z.positive()),
    text: z.string().check(z.maxLength(MAX_ATTACHMENT_CHARS)),
  }),
);

/** One stored turn that could not be read, and why. */
export interface UnreadableTurn {
  /** Its position in the stored list (1-based, as the log says it). */
  readonly position: number;
  readonly reason: string;
  /** Its question, when one could be read, so the log says which turn it was. */
  readonly question: string | undefined;
}

/** What reading the stored value found: the readable turns and what was not readable. */
export interface StoredConversation {
  readonly chats: SavedChats;
  /** The turns of the conversation on show. */
  readonly turns: Turn[];
  readonly unreadableTurns: readonly UnreadableTurn[];
  /** Set when nothing could be read (not the stored format): why. */
  readonly unreadableWhole: string | undefined;
}

/** Stored data that could not be read, copied aside under `key`. */
export interface KeptAside {
  readonly key: string;
  /** How many stored turns could not be read; undefined when the whole value was unreadable. */
  readonly unreadableTurns: number | undefined;
  readonly storedTurns: number | undefined;
}

export interface LoadedConversation {
  readonly chats: SavedChats;
  /** The turns of the conversation on show. */
  readonly turns: Turn[];
  readonly keptAside: KeptAside | undefined;
}

const EMPTY: SavedChats = singleConversation([]);

/** What the store needs of `vscode.Memento` and the log (small, so tests pass plain objects). */
export type StoreMemento = Pick<vscode.Memento, "get" | "update" | "keys">;
export type StoreLog = Pick<vscode.LogOutputChannel, "warn" | "error">;

function questionOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || !("question" in raw) || typeof raw.question !== "string") return undefined;
  return raw.question.length > 80 ? `${raw.question.slice(0, 80)}…` : raw.question;
}

function versionOf(raw: unknown): unknown {
  return typeof raw === "object" && raw !== null && "version" in raw ? raw.version : undefined;
}

/** Reads the stored value turn by turn: every valid turn is kept, each invalid one is reported. */
export function readStoredConversation(raw: unknown): StoredConversation {
  const one = VersionOneSchema.safeParse(raw);
  const two = one.success ? undefined : VersionTwoSchema.safeParse(raw);
  if (!one.success && !two?.success) {
    const version = versionOf(raw);
    const issues = two && !two.success ? describeIssues(two.error) : describeIssues(one.error);
    const why =
      typeof version === "number" && version > FORMAT_VERSION
        ? `it was saved in format ${version} by a newer version of Self-Braking Reasoner (this one reads format ${FORMAT_VERSION})`
        : `it is not a saved chat (${issues})`;
    return { chats: EMPTY, turns: [], unreadableTurns: [], unreadableWhole: why };
  }
  const stored = one.success
    ? [{ id: "c-restored", title: "", updatedAt: 0, turns: one.data.turns, code: undefined }]
    : (two?.success ? two.data.conversations : []);
  const unreadableTurns: UnreadableTurn[] = [];
  const ids = new Set<string>();
  const conversationIds = new Set<string>();
  const conversations: SavedConversation[] = [];
  let position = 0;
  for (const conversation of stored) {
    const turns: Turn[] = [];
    const repeated = conversationIds.has(conversation.id);
    for (const raw of conversation.turns) {
      position++;
      const unreadable = (reason: string): void => void unreadableTurns.push({ position, reason, question: questionOf(raw) });
      if (repeated) {
        unreadable(`its conversation's id ${JSON.stringify(conversation.id)} repeats an earlier conversation's`);
        continue;
      }
      const parsed = TurnSchema.safeParse(raw);
      if (!parsed.success) {
        unreadable(describeIssues(parsed.error));
        continue;
      }
      if (ids.has(parsed.data.id)) {
        unreadable(`its id ${JSON.stringify(parsed.data.id)} repeats an earlier turn's`);
        continue;
      }
      ids.add(parsed.data.id);
      turns.push(parsed.data);
    }
    if (repeated) continue;
    conversationIds.add(conversation.id);
    const code: Record<string, readonly AttachedCode[]> = {};
    for (const [turnId, list] of Object.entries(conversation.code ?? {})) {
      const parsed = AttachedCodeListSchema.safeParse(list);
      const turn = turns.find((t) => t.id === turnId);
      if (!turn) continue;
      if (parsed.success) code[turnId] = parsed.data;
      // the turn stays; its code is left out (Regenerate then says so) and the stored value kept aside
      else unreadableTurns.push({ position, reason: `the code attached to it could not be read (${describeIssues(parsed.error)})`, question: questionOf(turn) });
    }
    const title = conversation.title !== "" ? conversation.title : titleFrom(turns[0]?.question ?? "");
    conversations.push({ id: conversation.id, title, updatedAt: conversation.updatedAt, turns, code });
  }
  const wanted = two?.success ? two.data.currentId : "c-restored";
  const current = conversations.find((c) => c.id === wanted) ?? conversations[0];
  const chats: SavedChats = current ? { currentId: current.id, conversations } : EMPTY;
  return { chats, turns: [...(current?.turns ?? [])], unreadableTurns, unreadableWhole: undefined };
}

/** What the user is told, once, when saved chat turns could not be read. */
export function keptAsideNotice(keptAside: KeptAside): string {
  const what =
    keptAside.unreadableTurns === undefined
      ? "The saved chat of this workspace could not be read"
      : `${keptAside.unreadableTurns} of ${keptAside.storedTurns ?? "?"} saved chat turns could not be read`;
  return `Self-Braking: ${what}. It was kept aside, not deleted; the log says where and why.`;
}

/**
 * Keeps the conversation per workspace, so it survives reloads. Reading keeps every valid turn;
 * whatever could not be read is copied aside under its own key (a timestamped
 * {@link UNREADABLE_KEY_PREFIX} key no save ever writes) before anything is written over it.
 */
export class ConversationStore {
  /** Saves wait for this: false when unreadable data could not be kept aside (then nothing is written over it). */
  private writable: Promise<boolean> = Promise.resolve(true);

  constructor(
    private readonly memento: StoreMemento,
    private readonly log: StoreLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  load(): LoadedConversation {
    const raw = this.memento.get<unknown>(CONVERSATION_KEY);
    if (raw === undefined) return { chats: EMPTY, turns: [], keptAside: undefined };
    const stored = readStoredConversation(raw);
    if (stored.unreadableWhole === undefined && stored.unreadableTurns.length === 0) return { chats: stored.chats, turns: stored.turns, keptAside: undefined };

    const key = this.asideKey();
    const storedTurns = stored.unreadableWhole === undefined ? stored.turns.length + stored.unreadableTurns.length : undefined;
    const keptAside: KeptAside = { key, unreadableTurns: stored.unreadableWhole === undefined ? stored.unreadableTurns.length : undefined, storedTurns };
    const where = `kept aside, not deleted, under the workspace-state key "${key}" (the saved chat as it was, unchanged)`;
    if (stored.unreadableWhole !== undefined) {
      this.log.warn(`The saved chat could not be read: ${stored.unreadableWhole}. It was ${where}; the chat starts empty.`);
    } else {
      const lines = stored.unreadableTurns.map((t) => `  turn ${t.position}${t.question !== undefined ? ` (${JSON.stringify(t.question)})` : ""}: ${t.reason}`);
      this.log.warn(
        `${stored.unreadableTurns.length} of ${storedTurns} saved chat turns could not be read and were left out; the other ${stored.turns.length} were restored. The saved chat was ${where}.\n${lines.join("\n")}`,
      );
    }
    this.writable = this.keepAside(key, raw, stored.chats);
    return { chats: stored.chats, turns: stored.turns, keptAside };
  }

  save(chats: SavedChats): void {
    const value = encode(chats);
    void this.writable.then(async (writable) => {
      if (!writable) return;
      try {
        await this.memento.update(CONVERSATION_KEY, value);
      } catch (error) {
        this.log.warn(`Could not save the conversation: ${String(error)}`);
      }
    });
  }

  /** A key no earlier copy has (a timestamp, with a counter if that one is taken). */
  private asideKey(): string {
    const taken = new Set(this.memento.keys());
    const base = `${UNREADABLE_KEY_PREFIX}${this.now().toISOString()}`;
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    return key;
  }

  /** Copies the stored value aside; only then replaces it by its readable turns (so the next start has nothing to report). */
  private async keepAside(key: string, raw: unknown, readable: SavedChats): Promise<boolean> {
    try {
      await this.memento.update(key, raw);
    } catch (error) {
      this.log.error(`Could not keep the unreadable saved chat aside (${String(error)}). It is left where it was, and this window's chat will not be saved over it.`);
      return false;
    }
    try {
      await this.memento.update(CONVERSATION_KEY, encode(readable));
    } catch (error) {
      this.log.warn(`Could not save the readable part of the chat: ${String(error)}`);
    }
    return true;
  }
}

function encode(chats: SavedChats): unknown {
  return { version: FORMAT_VERSION, currentId: chats.currentId, conversations: chats.conversations.map((c) => ({ ...c, turns: [...c.turns] })) };
}
