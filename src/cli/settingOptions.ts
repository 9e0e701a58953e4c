/**
 * Flags that stand for a `selfBraking.*` setting (`ask --max-answer` is
 * `generation.maxAnswerTokens`): read from text, then checked by the setting's own definition,
 * so a flag accepts exactly what the setting accepts.
 */
import type { SettingDefinition, SettingKey, Settings } from "../core/settings/registry";
import { SETTINGS } from "../core/settings/registry";
import type { RangeWording } from "../core/settings/validate";
import { expectedValue, validateSetting } from "../core/settings/validate";
import { CliUsageError } from "./command";
import { readDecimal } from "./replayOptions";

const between: RangeWording = (minimum, maximum) => `between ${minimum} and ${maximum}`;

function fromText(def: SettingDefinition, raw: string): unknown {
  switch (def.type) {
    case "number":
    case "integer":
      return readDecimal(raw);
    case "autoOrInteger":
      return raw === "auto" ? "auto" : readDecimal(raw);
    default:
      return raw;
  }
}

/** The value `flag` gives setting `key`: the setting's default when the flag is absent; a usage error naming what is allowed when it is invalid. */
export function settingOption<K extends SettingKey>(flag: string, key: K, raw: string | undefined): Settings[K] {
  const def: SettingDefinition = SETTINGS[key];
  const result = validateSetting(key, raw === undefined ? undefined : fromText(def, raw));
  if (!result.ok) throw new CliUsageError(`${flag} must be ${expectedValue(def, between)} (got ${JSON.stringify(raw !== undefined && raw.length > 60 ? `${raw.slice(0, 57)}…` : raw)})`);
  return result.value;
}

/** The setting's limits and default for a flag's help line: "16–131072, default 2048". */
export function settingLimits(key: SettingKey): string {
  const def: SettingDefinition = SETTINGS[key];
  switch (def.type) {
    case "number":
    case "integer":
      return `${def.minimum}–${def.maximum}, default ${def.default}`;
    case "autoOrInteger":
      return `auto or ${def.minimum}–${def.maximum}, default ${def.default}`;
    case "enum":
      return `${def.enum.join(", ")}; default ${def.default}`;
    case "string":
      return def.maxLength === undefined ? "text" : `at most ${def.maxLength} characters`;
    case "boolean":
      return `default ${def.default}`;
  }
}
