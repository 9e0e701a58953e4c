import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { configurationProperties } from "../../../../src/core/settings/contribution";
import { SETTINGS, settingDefinitions } from "../../../../src/core/settings/registry";
import { defaultSettings, validateSetting } from "../../../../src/core/settings/validate";

interface Manifest {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
}
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;
const contributed = manifest.contributes.configuration.properties;
const generated = configurationProperties();

describe("settings registry ↔ package.json", () => {
  it("contributes exactly the registry's keys", () => {
    assert.deepEqual(Object.keys(contributed).sort(), Object.keys(generated).sort());
  });

  for (const [key, schema] of Object.entries(generated)) {
    it(`${key}: same type, default, bounds, enum, scope and description`, () => {
      const actual = contributed[key];
      assert.ok(actual, `${key} is missing from package.json (run npm run sync:settings)`);
      for (const field of ["type", "default", "minimum", "maximum", "enum", "enumDescriptions", "anyOf", "scope", "markdownDescription", "maxLength"]) {
        assert.deepEqual(actual[field], schema[field], `${key}.${field} differs from the registry (run npm run sync:settings)`);
      }
      assert.deepEqual(actual, schema, `${key} has fields the registry does not define`);
    });
  }

  it("has the keys the next issues need, with the documented defaults", () => {
    assert.equal(SETTINGS["brake.threshold"].default, 0.2);
    assert.deepEqual([...SETTINGS["model.gpu"].enum], ["auto", "cuda", "vulkan", "metal", "cpu"]);
    assert.deepEqual([...SETTINGS["brake.mode"].enum], ["off", "adaptive", "budget"]);
    assert.equal(SETTINGS["model.path"].scope, "machine");
    assert.equal(SETTINGS["model.gpuLayers"].default, "auto");
  });

  it("every default passes its own validation and every enum has a description per value", () => {
    for (const def of settingDefinitions()) {
      if (def.type === "enum") assert.equal(def.enum.length, def.enumDescriptions.length, def.key);
      assert.ok(def.description.length > 20, `${def.key} needs a description a user understands`);
    }
    const defaults = defaultSettings();
    assert.equal(defaults["brake.mode"], "adaptive");
    assert.equal(defaults["model.contextSize"], "auto");
  });

  it("rejects a value outside the registry's bounds", () => {
    assert.equal(validateSetting("brake.threshold", 1.5).ok, false);
  });
});
