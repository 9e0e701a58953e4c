import type * as vscode from "vscode";
import type { ModelProfile, ProfileKey } from "../../core/settings/modelProfile";
import { readProfile } from "../../core/settings/modelProfile";
import type { Settings } from "../../core/settings/registry";

const KEY = "selfBraking.modelProfiles";

/** Per-model settings, kept in the extension's global state by model file path. */
export class ModelProfiles {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly state: Pick<vscode.Memento, "get" | "update">) {}

  private all(): Record<string, unknown> {
    const value = this.state.get<unknown>(KEY);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }

  get(modelPath: string): ModelProfile {
    return modelPath === "" ? {} : readProfile(this.all()[modelPath]);
  }

  async set<K extends ProfileKey>(modelPath: string, key: K, value: Settings[K]): Promise<void> {
    if (modelPath === "") return;
    await this.state.update(KEY, { ...this.all(), [modelPath]: { ...this.get(modelPath), [key]: value } });
    this.changed();
  }

  /** Keeps these values for the model (calibration, or "Keep Brake Settings for This Model"). */
  async keep(modelPath: string, profile: ModelProfile): Promise<void> {
    if (modelPath === "") return;
    await this.state.update(KEY, { ...this.all(), [modelPath]: { ...this.get(modelPath), ...profile } });
    this.changed();
  }

  /** The model goes back to the user's settings. */
  async clear(modelPath: string): Promise<void> {
    const all = { ...this.all() };
    delete all[modelPath];
    await this.state.update(KEY, all);
    this.changed();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
