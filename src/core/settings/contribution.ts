import type { SettingDefinition } from "./registry";
import { SETTINGS_SECTION, settingDefinitions } from "./registry";

/** One property of package.json's `contributes.configuration.properties`. */
export type ConfigurationProperty = Record<string, unknown>;

function schemaOf(def: SettingDefinition): ConfigurationProperty {
  switch (def.type) {
    case "boolean":
      return { type: "boolean", default: def.default };
    case "number":
    case "integer":
      return { type: def.type, default: def.default, minimum: def.minimum, maximum: def.maximum };
    case "string":
      return { type: "string", default: def.default, ...(def.maxLength !== undefined ? { maxLength: def.maxLength } : {}) };
    case "enum":
      return { type: "string", default: def.default, enum: [...def.enum], enumDescriptions: [...def.enumDescriptions] };
    case "autoOrInteger":
      return {
        type: ["string", "integer"],
        default: def.default,
        anyOf: [
          { type: "string", enum: ["auto"] },
          { type: "integer", minimum: def.minimum, maximum: def.maximum },
        ],
      };
  }
}

/** package.json's `contributes.configuration.properties`, generated from the registry. */
export function configurationProperties(): Record<string, ConfigurationProperty> {
  const out: Record<string, ConfigurationProperty> = {};
  for (const def of settingDefinitions()) {
    out[`${SETTINGS_SECTION}.${def.key}`] = {
      ...schemaOf(def),
      markdownDescription: def.description,
      scope: def.scope,
      order: def.order,
    };
  }
  return out;
}
