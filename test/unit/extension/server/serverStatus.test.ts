import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultSettings } from "../../../../src/core/settings/validate";
import type { Settings } from "../../../../src/core/settings/registry";
import { currentModelKey, currentModelStatus } from "../../../../src/extension/modelFile";
import { serverModelName, serverStatus } from "../../../../src/extension/server/serverStatus";
import { ModelStatusSchema } from "../../../../src/protocol";

const server = (url: string, model = ""): Settings => ({ ...defaultSettings(), "model.path": "/nonexistent/local.gguf", engine: "server", "server.url": url, "server.model": model });

describe("the model status in server mode", () => {
  it("is the server and its model, not a file (a missing local file does not matter)", async () => {
    const status = await currentModelStatus(server("http://gpu-box:8080/v1", "Qwen3-32B"));
    assert.deepEqual(status, { kind: "server", url: "http://gpu-box:8080/v1", host: "gpu-box:8080", model: "Qwen3-32B" });
    assert.equal(ModelStatusSchema.safeParse(status).success, true);
    assert.equal((await currentModelStatus({ ...server("http://gpu-box:8080"), engine: "local" })).kind, "missing", "local mode: the file");
  });

  it("says when no server address is set", async () => {
    assert.deepEqual(await currentModelStatus(server("")), { kind: "serverNotConfigured" });
    assert.deepEqual(serverStatus(server("")), { kind: "serverNotConfigured" });
  });

  it("names the model as people read it", () => {
    assert.equal(serverModelName({ kind: "server", url: "http://gpu-box:8080", host: "gpu-box:8080", model: "Qwen3-32B" }), "Qwen3-32B on gpu-box:8080");
    assert.equal(serverModelName({ kind: "server", url: "http://gpu-box:8080", host: "gpu-box:8080", model: "" }), "the model of gpu-box:8080");
  });

  it("keeps per-model settings by server and model in server mode, by file otherwise", () => {
    assert.equal(currentModelKey(server("http://gpu-box:8080/", "Qwen3-32B")), "server:http://gpu-box:8080#Qwen3-32B");
    assert.equal(currentModelKey(server("")), "");
    assert.equal(currentModelKey({ ...server("http://gpu-box:8080"), engine: "local" }), "/nonexistent/local.gguf");
  });
});
