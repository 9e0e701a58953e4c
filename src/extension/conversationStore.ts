import type * as vscode from "vscode";
import * as z from "zod/mini";
import type { Turn } from "../protocol";
import { TurnSchema } from "../protocol";

const KEY = "selfBraking.conversation";
const StoredSchema = z.object({ version: z.literal(1), turns: z.array(TurnSchema) });

/** Keeps the conversation per workspace, so it survives reloads; unreadable data is dropped. */
export class ConversationStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  load(): Turn[] {
    const raw = this.memento.get<unknown>(KEY);
    if (raw === undefined) return [];
    const parsed = StoredSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn("The saved conversation could not be read and was discarded.");
      return [];
    }
    return parsed.data.turns;
  }

  save(turns: readonly Turn[]): void {
    this.memento.update(KEY, { version: 1, turns }).then(undefined, (error: unknown) => {
      this.log.warn(`Could not save the conversation: ${String(error)}`);
    });
  }
}
