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

  it("accepts chat requests and rejects out-of-range or oversized ones", () => {
    assert.equal(parseWebviewMessage({ type: "ask", question: "What is 2+2?" }).ok, true);
    assert.equal(parseWebviewMessage({ type: "ask", question: "" }).ok, false);
    assert.equal(parseWebviewMessage({ type: "ask", question: "x".repeat(100_001) }).ok, false);
    assert.equal(parseWebviewMessage({ type: "setThreshold", value: 0.3 }).ok, true);
    assert.equal(parseWebviewMessage({ type: "setThreshold", value: 7 }).ok, false);
    assert.equal(parseWebviewMessage({ type: "setBrakeMode", mode: "turbo" }).ok, false);
    assert.equal(parseWebviewMessage({ type: "continueThinking", turnId: "" }).ok, false);
  });

  it("validates host state messages", () => {
    const state = {
      model: { kind: "notConfigured" },
      engine: { state: "stopped", summary: "", notes: [], scripted: false },
      brakeMode: "adaptive",
      threshold: 0.2,
      maxThinkingTokens: 8192,
      settingProblems: [],
      generating: false,
    };
    assert.equal(parseHostMessage({ type: "state", state }).ok, true);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, threshold: 3 } }).ok, false);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "ready", path: "/m.gguf" } } }).ok, false);
  });
});
