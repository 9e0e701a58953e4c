import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfigFrom, withApiKey } from "../../../../src/extension/chat/askRequest";
import { defaultSettings } from "../../../../src/core/settings/validate";
import type { Settings } from "../../../../src/core/settings/registry";
import { loadConfigSchema } from "../../../../src/engine/common/protocol";
import { must } from "../../../harness/must";

const SERVER: Settings = {
  ...defaultSettings(),
  "model.path": "/models/local.gguf",
  engine: "server",
  "server.url": "http://gpu-box:8080",
  "server.model": "Qwen3-32B",
  "server.api": "llama-server",
  "server.promptFormat": "chatml",
  "server.timeoutSeconds": 300,
};

describe("the load configuration", () => {
  it("is the local model file by default, with no server", () => {
    const load = loadConfigFrom({ ...defaultSettings(), "model.path": "/models/local.gguf" });
    assert.deepEqual(load, { modelPath: "/models/local.gguf", gpu: "auto", gpuLayers: "auto", contextSize: "auto", threads: "auto" });
  });

  it("in server mode names the server and no model file, and passes the engine protocol's check", () => {
    const load = loadConfigFrom(SERVER, "sk-1");
    assert.equal(load.modelPath, "");
    assert.deepEqual(load.server, { url: "http://gpu-box:8080", model: "Qwen3-32B", apiKey: "sk-1", api: "llama-server", promptFormat: "chatml", timeoutSeconds: 300 });
    assert.equal(loadConfigSchema.safeParse(load).success, true);
    assert.equal(must(loadConfigFrom(SERVER).server, "server").apiKey, undefined, "no key: none sent");
    assert.equal("apiKey" in must(loadConfigFrom(SERVER, "").server, "server"), false, "an empty key is no key");
  });

  it("adds the key with the fields in one order, so the engine reloads only when something changed", () => {
    const withKey = withApiKey(loadConfigFrom(SERVER), "sk-1");
    assert.equal(JSON.stringify(withKey), JSON.stringify(loadConfigFrom(SERVER, "sk-1")));
    assert.equal(JSON.stringify(withApiKey(withKey, "sk-1")), JSON.stringify(withKey), "the same key again: the same configuration");
    assert.notEqual(JSON.stringify(withApiKey(withKey, "sk-2")), JSON.stringify(withKey), "a new key: a new configuration (the engine reconnects)");
    assert.equal(JSON.stringify(withApiKey(withKey, undefined)), JSON.stringify(loadConfigFrom(SERVER)), "the key cleared");
    const local = loadConfigFrom(defaultSettings());
    assert.equal(withApiKey(local, "sk-1"), local, "a local model takes no key");
  });
});
