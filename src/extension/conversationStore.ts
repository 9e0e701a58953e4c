import type * as vscode from "vscode";
import * as z from "zod/mini";
import type { Turn } from "../protocol";
import { TurnSchema, describeIssues } from "../protocol";

/** Where the conversation is kept in the workspace state. */
export const CONVERSATION_KEY = "selfBraking.conversation";
/** Saved data that could not be read is copied under this prefix plus a timestamp, never overwritten. */
export const UNREADABLE_KEY_PREFIX = "selfBraking.conversation.unreadable.";
const FORMAT_VERSION = 1;

const EnvelopeSchema = z.object({ version: z.literal(FORMAT_VERSION), turns: z.array(z.unknown()) });

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
  readonly turns: Turn[];
  readonly keptAside: KeptAside | undefined;
}

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
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    const version = versionOf(raw);
    const why =
      typeof version === "number" && version > FORMAT_VERSION
        ? `it was saved in format ${version} by a newer version of Self-Braking Reasoner (this one reads format ${FORMAT_VERSION})`
        : `it is not a saved chat (${describeIssues(envelope.error)})`;
    return { turns: [], unreadableTurns: [], unreadableWhole: why };
  }
  const turns: Turn[] = [];
  const unreadableTurns: UnreadableTurn[] = [];
  const ids = new Set<string>();
  envelope.data.turns.forEach((stored, index) => {
    const unreadable = (reason: string): void => void unreadableTurns.push({ position: index + 1, reason, question: questionOf(stored) });
    const parsed = TurnSchema.safeParse(stored);
    if (!parsed.success) return unreadable(describeIssues(parsed.error));
    if (ids.has(parsed.data.id)) return unreadable(`its id ${JSON.stringify(parsed.data.id)} repeats an earlier turn's`);
    ids.add(parsed.data.id);
    turns.push(parsed.data);
  });
  return { turns, unreadableTurns, unreadableWhole: undefined };
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
    if (raw === undefined) return { turns: [], keptAside: undefined };
    const stored = readStoredConversation(raw);
    if (stored.unreadableWhole === undefined && stored.unreadableTurns.length === 0) return { turns: stored.turns, keptAside: undefined };

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
    this.writable = this.keepAside(key, raw, stored.turns);
    return { turns: stored.turns, keptAside };
  }

  save(turns: readonly Turn[]): void {
    const value = { version: FORMAT_VERSION, turns: [...turns] };
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
  private async keepAside(key: string, raw: unknown, readable: readonly Turn[]): Promise<boolean> {
    try {
      await this.memento.update(key, raw);
    } catch (error) {
      this.log.error(`Could not keep the unreadable saved chat aside (${String(error)}). It is left where it was, and this window's chat will not be saved over it.`);
      return false;
    }
    try {
      await this.memento.update(CONVERSATION_KEY, { version: FORMAT_VERSION, turns: readable });
    } catch (error) {
      this.log.warn(`Could not save the readable part of the chat: ${String(error)}`);
    }
    return true;
  }
}
