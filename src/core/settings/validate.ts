import type { SettingDefinition, SettingKey, Settings } from "./registry";
import { SETTINGS, fullKey, settingDefinitions } from "./registry";
import { checkServerUrl, redactServerUrl } from "./serverUrl";

export type Validation<T> = { ok: true; value: T } | { ok: false; problem: string };

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** How bounds are worded: "from 0 to 1" in a setting's problem, "between 0 and 1" for a CLI flag. */
export type RangeWording = (minimum: number, maximum: number) => string;

const fromTo: RangeWording = (minimum, maximum) => `from ${minimum} to ${maximum}`;

/** What a valid value of the setting looks like, for people: "a whole number from 16 to 131072". */
export function expectedValue(def: SettingDefinition, range: RangeWording = fromTo): string {
  switch (def.type) {
    case "boolean":
      return "true or false";
    case "number":
      return `a number ${range(def.minimum, def.maximum)}`;
    case "integer":
      return `a whole number ${range(def.minimum, def.maximum)}`;
    case "string":
      return def.maxLength !== undefined ? `text of at most ${def.maxLength} characters` : "text";
    case "enum":
      return `one of ${def.enum.map((e) => `"${e}"`).join(", ")}`;
    case "autoOrInteger":
      return `"auto" or a whole number ${range(def.minimum, def.maximum)}`;
  }
}

function inRange(value: number, def: { minimum: number; maximum: number }): boolean {
  return Number.isFinite(value) && value >= def.minimum && value <= def.maximum;
}

function check(def: SettingDefinition, value: unknown): boolean {
  switch (def.type) {
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" && inRange(value, def);
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && inRange(value, def);
    case "string":
      return typeof value === "string" && (def.maxLength === undefined || value.length <= def.maxLength);
    case "enum":
      return typeof value === "string" && (def.enum as readonly string[]).includes(value);
    case "autoOrInteger":
      return value === "auto" || (typeof value === "number" && Number.isInteger(value) && inRange(value, def));
  }
}

/** `/m.gguf`, `C:\m.gguf`, `\\server\m.gguf`, and `~/m.gguf` (the home folder; the extension expands it). */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\|~(?:[\\/]|$))/;

/** Checks one raw value against its definition; `undefined` means "not set" and yields the default. */
export function validateSetting<K extends SettingKey>(key: K, value: unknown): Validation<Settings[K]> {
  const def: SettingDefinition = SETTINGS[key];
  if (value === undefined || value === null) return { ok: true, value: def.default as Settings[K] };
  // a server address may carry a password or a key: the message (logged, shown) never repeats it
  const shown = def.type === "string" && def.isServerUrl === true && typeof value === "string" ? redactServerUrl(value) : value;
  const invalid = (what: string): Validation<Settings[K]> => ({
    ok: false,
    problem: `Setting ${fullKey(key)} has an invalid value ${describeValue(shown)}: it must be ${what}. Using the default ${describeValue(def.default)} instead.`,
  });
  if (!check(def, value)) return invalid(expectedValue(def));
  if (def.type === "string" && def.isServerUrl === true && typeof value === "string") {
    const url = checkServerUrl(value);
    return url.ok ? { ok: true, value: url.url as Settings[K] } : invalid(url.expected);
  }
  if (def.type === "string" && def.isPath === true && typeof value === "string") {
    // a path pasted with a stray space or newline would look right and not be found
    const path = value.trim();
    if (path !== "" && !ABSOLUTE_PATH.test(path)) return invalid("an absolute path (for example /home/you/models/model.gguf or C:\\models\\model.gguf)");
    return { ok: true, value: path as Settings[K] };
  }
  return { ok: true, value: value as Settings[K] };
}

export interface SettingProblem {
  readonly key: SettingKey;
  readonly message: string;
}

export interface ReadSettingsResult {
  readonly settings: Settings;
  readonly problems: readonly SettingProblem[];
}

/**
 * Reads every setting through `get` (which returns the raw configured value, or undefined),
 * replacing each invalid value by its default and describing the problem.
 */
export function readSettings(get: (key: SettingKey) => unknown): ReadSettingsResult {
  const settings: Partial<Record<SettingKey, unknown>> = {};
  const problems: SettingProblem[] = [];
  for (const def of settingDefinitions()) {
    const key = def.key as SettingKey;
    const result = validateSetting(key, get(key));
    if (result.ok) {
      settings[key] = result.value;
    } else {
      settings[key] = def.default;
      problems.push({ key, message: result.problem });
    }
  }
  return { settings: settings as Settings, problems };
}

export function defaultSettings(): Settings {
  return readSettings(() => undefined).settings;
}
