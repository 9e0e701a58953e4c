import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { SettingKey } from "../../../../src/core/settings/registry";
import { readSettings, validateSetting } from "../../../../src/core/settings/validate";

describe("validateSetting", () => {
  it("accepts valid values of every kind", () => {
    assert.deepEqual(validateSetting("brake.threshold", 0.35), { ok: true, value: 0.35 });
    assert.deepEqual(validateSetting("model.gpu", "vulkan"), { ok: true, value: "vulkan" });
    assert.deepEqual(validateSetting("model.gpuLayers", "auto"), { ok: true, value: "auto" });
    assert.deepEqual(validateSetting("model.gpuLayers", 33), { ok: true, value: 33 });
    assert.deepEqual(validateSetting("model.path", "/models/qwq.gguf"), { ok: true, value: "/models/qwq.gguf" });
    assert.deepEqual(validateSetting("model.idleUnloadMinutes", 0), { ok: true, value: 0 });
  });

  it("trims the model path and asks for an absolute one", () => {
    assert.deepEqual(validateSetting("model.path", " /models/qwq.gguf\n"), { ok: true, value: "/models/qwq.gguf" });
    assert.deepEqual(validateSetting("model.path", "C:\\models\\qwq.gguf"), { ok: true, value: "C:\\models\\qwq.gguf" });
    assert.deepEqual(validateSetting("model.path", "~/models/qwq.gguf"), { ok: true, value: "~/models/qwq.gguf" });
    assert.deepEqual(validateSetting("model.path", "  "), { ok: true, value: "" });
    const relative = validateSetting("model.path", "qwq.gguf");
    assert.ok(!relative.ok);
    assert.match(relative.problem, /selfBraking\.model\.path has an invalid value "qwq\.gguf": it must be an absolute path/);
  });

  it("uses the default when a setting is not set", () => {
    assert.deepEqual(validateSetting("brake.threshold", undefined), { ok: true, value: 0.2 });
    assert.deepEqual(validateSetting("model.contextSize", null), { ok: true, value: "auto" });
  });

  it("explains what is wrong and what it falls back to", () => {
    const result = validateSetting("brake.threshold", 2);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.match(result.problem, /selfBraking\.brake\.threshold/);
    assert.match(result.problem, /a number from 0 to 1/);
    assert.match(result.problem, /default 0\.2/);
  });

  it("rejects wrong types, fractions for integers, unknown enum values and bad 'auto' spellings", () => {
    assert.equal(validateSetting("brake.threshold", "0.3").ok, false);
    assert.equal(validateSetting("brake.maxThinkingTokens", 100.5).ok, false);
    assert.equal(validateSetting("brake.maxThinkingTokens", Number.NaN).ok, false);
    assert.equal(validateSetting("model.gpu", "opencl").ok, false);
    assert.equal(validateSetting("model.gpuLayers", "Auto").ok, false);
    assert.equal(validateSetting("model.gpuLayers", -1).ok, false);
    assert.equal(validateSetting("model.contextSize", 100).ok, false);
    assert.equal(validateSetting("brake.cue", "x".repeat(501)).ok, false);
    assert.equal(validateSetting("model.path", 42).ok, false);
  });
});

describe("readSettings", () => {
  it("replaces each invalid value by its default and reports each problem", () => {
    const raw: Partial<Record<SettingKey, unknown>> = { "brake.threshold": -1, "model.gpu": "tpu", "brake.mode": "budget" };
    const { settings, problems } = readSettings((key) => raw[key]);
    assert.equal(settings["brake.threshold"], 0.2);
    assert.equal(settings["model.gpu"], "auto");
    assert.equal(settings["brake.mode"], "budget");
    assert.deepEqual(
      problems.map((p) => p.key),
      ["model.gpu", "brake.threshold"],
    );
  });

  it("never throws on hostile values", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    const { problems } = readSettings((key) => (key === "brake.cue" ? cyclic : key === "brake.threshold" ? Symbol("x") : undefined));
    assert.equal(problems.length, 2);
  });
});
