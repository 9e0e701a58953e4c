import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ModelProfiles } from "../../../../src/extension/models/modelProfiles";
import { MemoryMemento } from "../helpers/memoryMemento";

describe("per-model settings, stored", () => {
  it("keeps each model's values by path, adds to them, clears them, and says when they change", async () => {
    const memento = new MemoryMemento();
    const profiles = new ModelProfiles(memento);
    let changes = 0;
    profiles.onDidChange(() => changes++);
    await profiles.keep("/m/a.gguf", { "brake.threshold": 0.3, "brake.mode": "adaptive" });
    await profiles.set("/m/a.gguf", "model.contextSize", 8192);
    await profiles.set("/m/b.gguf", "brake.threshold", 0.1);
    assert.deepEqual(profiles.get("/m/a.gguf"), { "brake.threshold": 0.3, "brake.mode": "adaptive", "model.contextSize": 8192 });
    assert.deepEqual(new ModelProfiles(memento).get("/m/b.gguf"), { "brake.threshold": 0.1 }, "survives a restart");
    await profiles.clear("/m/a.gguf");
    assert.deepEqual(profiles.get("/m/a.gguf"), {});
    assert.deepEqual(profiles.get(""), {});
    assert.equal(changes, 4);
  });
});
