import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { parseHostMessage, parseWebviewMessage } from "../../src/protocol";

describe("webview protocol validation", () => {
  it("accepts the messages the page sends", () => {
    assert.deepEqual(parseWebviewMessage({ type: "ready" }), { ok: true, message: { type: "ready" } });
    assert.deepEqual(parseWebviewMessage({ type: "openSettings", query: "selfBraking.brake" }), {
      ok: true,
      message: { type: "openSettings", query: "selfBraking.brake" },
    });
  });

  it("rejects malformed page messages with a reason", () => {
    for (const raw of [null, 42, "ready", {}, { type: "deleteEverything" }, { type: "openSettings", query: 5 }, { type: "openSettings", query: "x".repeat(201) }]) {
      const result = parseWebviewMessage(raw);
      assert.equal(result.ok, false, JSON.stringify(raw));
      assert.ok(!result.ok && result.error.length > 0);
    }
  });

  it("validates host state messages", () => {
    const state = { model: { kind: "notConfigured" }, brakeMode: "adaptive", threshold: 0.2, settingProblems: [] };
    assert.equal(parseHostMessage({ type: "state", state }).ok, true);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, threshold: 3 } }).ok, false);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "ready", path: "/m.gguf" } } }).ok, false);
  });
});
