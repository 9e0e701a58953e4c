/**
 * Per-model settings: the brake threshold, the brake mode and the context size may differ for
 * one model file (calibration writes them; the user can keep the current ones for a model). A
 * profile holds only the keys that differ; the rest comes from the user's settings.
 */
import type { Settings } from "./registry";
import { validateSetting } from "./validate";

export const PROFILE_KEYS = ["brake.threshold", "brake.mode", "brake.signal", "model.contextSize"] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];
export type ModelProfile = { readonly [K in ProfileKey]?: Settings[K] };

/** The settings in force for a model: its profile's values over the user's settings. */
export function applyProfile(settings: Settings, profile: ModelProfile): Settings {
  return { ...settings, ...profile };
}

/** A stored profile as far as it is valid (each value checked as the setting itself is); anything else is dropped. */
export function readProfile(raw: unknown): ModelProfile {
  if (typeof raw !== "object" || raw === null) return {};
  const profile: Partial<Record<ProfileKey, unknown>> = {};
  for (const key of PROFILE_KEYS) {
    if (!(key in raw)) continue;
    const checked = validateSetting(key, (raw as Record<string, unknown>)[key]);
    if (checked.ok) profile[key] = checked.value;
  }
  return profile as ModelProfile;
}

/** The keys a profile sets, in a fixed order (for "for this model" in the UI). */
export function profileKeys(profile: ModelProfile): ProfileKey[] {
  return PROFILE_KEYS.filter((key) => profile[key] !== undefined);
}
