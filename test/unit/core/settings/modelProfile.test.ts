import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyProfile, profileKeys, readProfile } from "../../../../src/core/settings/modelProfile";
import { defaultSettings } from "../../../../src/core/settings/validate";

describe("per-model settings", () => {
  it("puts a model's own threshold, brake mode and context size over the user's settings, and nothing else", () => {
    const settings = { ...defaultSettings(), "brake.threshold": 0.2, "generation.temperature": 0.6 };
    const applied = applyProfile(settings, { "brake.threshold": 0.35, "model.contextSize": 16384 });
    assert.equal(applied["brake.threshold"], 0.35);
    assert.equal(applied["model.contextSize"], 16384);
    assert.equal(applied["brake.mode"], settings["brake.mode"]);
    assert.equal(applied["generation.temperature"], 0.6);
  });

  it("reads a stored profile value by value, as the settings themselves are checked, dropping the rest", () => {
    assert.deepEqual(readProfile({ "brake.threshold": 0.3, "brake.mode": "sideways", "model.contextSize": "auto", "generation.temperature": 2 }), { "brake.threshold": 0.3, "model.contextSize": "auto" });
    assert.deepEqual(readProfile({ "brake.threshold": 7 }), {}, "out of the setting's range");
    assert.deepEqual(readProfile("garbage"), {});
    assert.deepEqual(profileKeys({ "model.contextSize": 8192, "brake.threshold": 0.3 }), ["brake.threshold", "model.contextSize"]);
  });
});
