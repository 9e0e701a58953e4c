import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadConfigFrom } from "../../../src/extension/chat/askRequest";
import { modelFilePath, modelStatus } from "../../../src/extension/modelFile";
import { defaultSettings } from "../../../src/core/settings/validate";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import { reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";

describe("model file path", () => {
  it("expands ~ to the home folder and trims, for the status and for the engine alike", async () => {
    assert.equal(modelFilePath("~/models/m.gguf"), join(homedir(), "models/m.gguf"));
    assert.equal(modelFilePath(" /models/m.gguf\n"), "/models/m.gguf");
    assert.equal(modelFilePath("/models/~m.gguf"), "/models/~m.gguf");
    const dir = mkdtempSync(join(tmpdir(), "sb-model-"));
    try {
      const file = join(dir, "m.gguf");
      writeFileSync(file, buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
      const setting = `${file} `;
      const status = await modelStatus(setting);
      assert.equal(status.kind, "ready");
      assert.equal(loadConfigFrom({ ...defaultSettings(), "model.path": setting }).modelPath, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("model status", () => {
  it("checks the chosen file's header: a usable GGUF is ready, anything else says what it is and what to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-model-"));
    try {
      const good = join(dir, "good.gguf");
      writeFileSync(good, buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf);
      assert.deepEqual(await modelStatus(good), { kind: "ready", path: good, fileName: "good.gguf", sizeBytes: statSync(good).size });

      const html = join(dir, "page.gguf");
      writeFileSync(html, "<!DOCTYPE html><html>Not found</html>");
      const notGguf = await modelStatus(html);
      assert.equal(notGguf.kind, "invalid");
      assert.match(notGguf.kind === "invalid" ? notGguf.message : "", /not a GGUF model.*text file/);

      // A 1 KB file whose first key claims 512 MiB: refused from the header, nothing allocated.
      const liar = join(dir, "liar.gguf");
      const header = Buffer.alloc(1024);
      header.write("GGUF", 0, "latin1");
      header.writeUInt32LE(3, 4);
      header.writeBigUInt64LE(0n, 8);
      header.writeBigUInt64LE(1n, 16);
      header.writeBigUInt64LE(512n * 1024n * 1024n, 24);
      writeFileSync(liar, header);
      const lying = await modelStatus(liar);
      assert.equal(lying.kind, "invalid");

      const gone = await modelStatus(join(dir, "gone.gguf"));
      assert.equal(gone.kind, "missing");
      assert.match(gone.kind === "missing" ? gone.message : "", /does not exist.*Choose another \.gguf file/);

      // The same file changed on disk is checked again.
      writeFileSync(good, "not a model any more");
      assert.equal((await modelStatus(good)).kind, "invalid");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
