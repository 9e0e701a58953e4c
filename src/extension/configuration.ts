import * as vscode from "vscode";
import type { SettingKey, Settings } from "../core/settings/registry";
import { SETTINGS_SECTION, fullKey } from "../core/settings/registry";
import { readSettings } from "../core/settings/validate";

/**
 * Reads `selfBraking.*` through the core registry: invalid values are replaced by their
 * defaults and each distinct problem is reported to the user once.
 */
export class Configuration implements vscode.Disposable {
  private current: Settings;
  private problems: readonly string[] = [];
  private readonly reported = new Set<string>();
  private readonly changed = new vscode.EventEmitter<Settings>();
  private readonly listener: vscode.Disposable;

  /** Fires with the new settings after the user changes any `selfBraking.*` setting. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.read();
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      this.current = this.read();
      this.changed.fire(this.current);
    });
  }

  get settings(): Settings {
    return this.current;
  }

  /** Human-readable problems with the current settings (already replaced by defaults). */
  get settingProblems(): readonly string[] {
    return this.problems;
  }

  /**
   * Writes a setting where it takes effect: the workspace if the workspace already overrides
   * it, otherwise the user settings (machine-scoped settings always go to the user settings).
   */
  async update<K extends SettingKey>(key: K, value: Settings[K]): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspected = config.inspect(key);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }

  private read(): Settings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const { settings, problems } = readSettings((key) => config.get<unknown>(key));
    this.problems = problems.map((p) => p.message);
    for (const problem of problems) this.report(problem.key, problem.message);
    return settings;
  }

  private report(key: SettingKey, message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, "Open Setting").then((choice) => {
      if (choice === "Open Setting") void vscode.commands.executeCommand("workbench.action.openSettings", fullKey(key));
    });
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
