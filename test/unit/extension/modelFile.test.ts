import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadConfigFrom } from "../../../src/extension/chat/askRequest";
import { modelFilePath, modelStatus } from "../../../src/extension/modelFile";
import { defaultSettings } from "../../../src/core/settings/validate";

describe("model file path", () => {
  it("expands ~ to the home folder and trims, for the status and for the engine alike", async () => {
    assert.equal(modelFilePath("~/models/m.gguf"), join(homedir(), "models/m.gguf"));
    assert.equal(modelFilePath(" /models/m.gguf\n"), "/models/m.gguf");
    assert.equal(modelFilePath("/models/~m.gguf"), "/models/~m.gguf");
    const dir = mkdtempSync(join(tmpdir(), "sb-model-"));
    try {
      const file = join(dir, "m.gguf");
      writeFileSync(file, "GGUF");
      const setting = `${file} `;
      const status = await modelStatus(setting);
      assert.equal(status.kind, "ready");
      assert.equal(loadConfigFrom({ ...defaultSettings(), "model.path": setting }).modelPath, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
