import type { ModelProfile, ProfileKey } from "../../core/settings/modelProfile";
import { PROFILE_KEYS, applyProfile, profileKeys } from "../../core/settings/modelProfile";
import type { Settings } from "../../core/settings/registry";
import type { Configuration } from "../configuration";
import { currentModelKey } from "../modelFile";
import type { ModelProfiles } from "./modelProfiles";

/**
 * The settings in force: the user's, with the current model's own threshold, brake mode and
 * context size over them where it has them. The chat's controls write where a value comes from.
 */
export class EffectiveSettings {
  constructor(
    private readonly configuration: Configuration,
    private readonly profiles: ModelProfiles,
  ) {}

  /** The model file, or in server mode the server and model (`server:<url>#<model>`). */
  private get modelPath(): string {
    return currentModelKey(this.configuration.settings);
  }

  get settings(): Settings {
    return applyProfile(this.configuration.settings, this.profiles.get(this.modelPath));
  }

  /** The keys the current model sets itself. */
  get modelKeys(): ProfileKey[] {
    return profileKeys(this.profiles.get(this.modelPath));
  }

  /** Writes a value where it comes from: the model's own when it has one, else the user's settings. */
  async update<K extends ProfileKey>(key: K, value: Settings[K]): Promise<void> {
    if (this.modelKeys.includes(key)) await this.profiles.set(this.modelPath, key, value);
    else await this.configuration.update(key, value);
  }

  /** Keeps the threshold, brake mode and context size in force now for the current model. */
  async keepForModel(): Promise<ModelProfile> {
    const settings = this.settings;
    const profile: ModelProfile = Object.fromEntries(PROFILE_KEYS.map((key) => [key, settings[key]]));
    await this.profiles.keep(this.modelPath, profile);
    return profile;
  }

  /** The current model goes back to the user's settings. */
  async clearForModel(): Promise<void> {
    await this.profiles.clear(this.modelPath);
  }

  get hasModel(): boolean {
    return this.modelPath !== "";
  }
}
