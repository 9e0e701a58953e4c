import type * as vscode from "vscode";

const KEY = "selfBraking.recentModels";
const MAX = 10;

/** Model files used before (newest first), kept in the extension's global state for the picker. */
export class RecentModels {
  constructor(private readonly state: Pick<vscode.Memento, "get" | "update">) {}

  list(): string[] {
    const value = this.state.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, MAX) : [];
  }

  async remember(path: string): Promise<void> {
    if (path.trim() === "") return;
    await this.state.update(KEY, [path, ...this.list().filter((p) => p !== path)].slice(0, MAX));
  }
}
