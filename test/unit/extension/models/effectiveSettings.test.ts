import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultSettings } from "../../../../src/core/settings/validate";
import type { Settings } from "../../../../src/core/settings/registry";
import type { Configuration } from "../../../../src/extension/configuration";
import { EffectiveSettings } from "../../../../src/extension/models/effectiveSettings";
import { ModelProfiles } from "../../../../src/extension/models/modelProfiles";
import { MemoryMemento } from "../helpers/memoryMemento";

/** The part of Configuration EffectiveSettings uses, recording what the user's settings were given. */
function userSettings(settings: Settings): { configuration: Configuration; written: [string, unknown][] } {
  const written: [string, unknown][] = [];
  const fake = {
    settings,
    update: async (key: string, value: unknown) => {
      written.push([key, value]);
      (settings as Record<string, unknown>)[key] = value;
    },
  };
  // only `settings` and `update` are read (a cast through unknown: the class has more)
  return { configuration: fake as unknown as Configuration, written };
}

describe("the settings in force for the current model", () => {
  it("writes a control's value to the model's own settings when it has that one, else to the user's", async () => {
    const { configuration, written } = userSettings({ ...defaultSettings(), "model.path": "/m/a.gguf", "brake.threshold": 0.2 });
    const profiles = new ModelProfiles(new MemoryMemento());
    const effective = new EffectiveSettings(configuration, profiles);
    await effective.update("brake.threshold", 0.25);
    assert.deepEqual(written, [["brake.threshold", 0.25]], "no model setting yet: the user's");
    const kept = await effective.keepForModel();
    assert.equal(kept["brake.threshold"], 0.25);
    assert.deepEqual(effective.modelKeys, ["brake.threshold", "brake.mode", "brake.signal", "model.contextSize"]);
    await effective.update("brake.threshold", 0.4);
    assert.equal(written.length, 1, "the model's own value changed, not the user's");
    assert.equal(effective.settings["brake.threshold"], 0.4);
    assert.equal(configuration.settings["brake.threshold"], 0.25);
    await effective.clearForModel();
    assert.equal(effective.settings["brake.threshold"], 0.25);
  });

  it("keeps a server's model's settings by server and model, apart from the local file's", async () => {
    const { configuration } = userSettings({ ...defaultSettings(), "model.path": "/m/a.gguf", "brake.threshold": 0.2 });
    const profiles = new ModelProfiles(new MemoryMemento());
    const effective = new EffectiveSettings(configuration, profiles);
    await effective.update("brake.threshold", 0.3);
    await effective.keepForModel();
    const settings = configuration.settings as Record<string, unknown>;
    Object.assign(settings, { engine: "server", "server.url": "http://gpu-box:8080", "server.model": "Qwen3-32B" });
    assert.deepEqual(effective.modelKeys, [], "the local file's own settings do not follow to the server");
    await effective.keepForModel();
    await effective.update("brake.threshold", 0.5);
    assert.equal(profiles.get("server:http://gpu-box:8080#Qwen3-32B")["brake.threshold"], 0.5);
    assert.equal(profiles.get("/m/a.gguf")["brake.threshold"], 0.3);
    settings["engine"] = "local";
    assert.equal(effective.settings["brake.threshold"], 0.3);
  });
});
