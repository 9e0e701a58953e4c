import { strict as assert } from "node:assert";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BRAKE_MODES, BRAKE_REASONS, THINKING_MODES } from "../../src/core/vocabulary";
import { BrakeViewSchema, TurnSchema, ViewStateSchema, WebviewToHostSchema, parseHostMessage, parseWebviewMessage } from "../../src/protocol";

const WEBVIEW_DIR = join(import.meta.dirname, "..", "..", "src", "webview");

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
    for (const blank of ["   ", "\n\n", "\t \r\n", "\u00a0"]) {
      const parsed = parseWebviewMessage({ type: "ask", question: blank });
      assert.deepEqual(parsed, { ok: false, error: "question: a question needs some text, not only spaces or line breaks" }, JSON.stringify(blank));
    }
    assert.equal(parseWebviewMessage({ type: "ask", question: "  2+2?\n" }).ok, true);
    assert.equal(parseWebviewMessage({ type: "ask", question: "x".repeat(100_001) }).ok, false);
    assert.equal(parseWebviewMessage({ type: "setThreshold", value: 0.3 }).ok, true);
    assert.equal(parseWebviewMessage({ type: "setThreshold", value: 7 }).ok, false);
    assert.equal(parseWebviewMessage({ type: "setBrakeMode", mode: "turbo" }).ok, false);
    assert.equal(parseWebviewMessage({ type: "continueThinking", turnId: "" }).ok, false);
  });

  it("has no message the page never sends: each type is named in the page's source", () => {
    const page = readdirSync(WEBVIEW_DIR)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => readFileSync(join(WEBVIEW_DIR, name), "utf8"))
      .join("\n");
    const types = WebviewToHostSchema.def.options.map((option) => option.def.shape.type.def.values[0]);
    // posted as `{ type: "…" }`, or as a `data-action` whose name is the message type (app.ts onClick)
    const unsent = types.filter((type) => !page.includes(`"${type}"`));
    assert.deepEqual(unsent, []);
    assert.equal(parseWebviewMessage({ type: "copy", text: "x" }).ok, false, "removed: the page never copied through the host");
  });

  it("takes brake modes, brake reasons and thinking modes from the core vocabulary", () => {
    for (const mode of BRAKE_MODES) assert.equal(parseWebviewMessage({ type: "setBrakeMode", mode }).ok, true, mode);
    assert.deepEqual(Object.keys(ViewStateSchema.def.shape.brakeMode.def.entries), [...BRAKE_MODES]);
    assert.deepEqual(Object.keys(BrakeViewSchema.def.shape.reason.def.entries), [...BRAKE_REASONS]);
    assert.deepEqual(Object.keys(TurnSchema.def.shape.thinkingMode.def.entries), [...THINKING_MODES]);
  });

  it("validates host state messages", () => {
    const state = {
      model: { kind: "notConfigured" },
      engine: { state: "stopped", summary: "", notes: [], scripted: false },
      brakeMode: "adaptive",
      threshold: 0.2,
      settingProblems: [],
      modelSettings: ["brake.threshold"],
      generating: false,
      runningConversationId: null,
      conversationId: "c1",
      conversations: [{ id: "c1", title: "New chat", turnCount: 0, updatedAt: 1 }],
      attachments: [{ id: "a1", kind: "selection", label: "src/a.py", uri: "file:///w/src/a.py", language: "python", startLine: 3, endLine: 9, tokens: 40, tokensEstimated: true }],
      contextCheck: { promptTokens: 56, contextTokens: 4096, reserveTokens: 1088, problem: null },
    };
    assert.equal(parseHostMessage({ type: "state", state }).ok, true);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, attachments: [{ ...state.attachments[0], startLine: 0 }] } }).ok, false, "lines are 1-based");
    assert.equal(parseHostMessage({ type: "state", state: { ...state, conversationId: "" } }).ok, false);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, threshold: 3 } }).ok, false);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "ready", path: "/m.gguf" } } }).ok, false);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "server", url: "http://gpu-box:8080", host: "gpu-box:8080", model: "" } } }).ok, true);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "serverNotConfigured" } } }).ok, true);
    assert.equal(parseHostMessage({ type: "state", state: { ...state, model: { kind: "server", url: "http://gpu-box:8080" } } }).ok, false);
  });

  it("validates the code-block, attachment and conversation messages from the page", () => {
    assert.equal(parseWebviewMessage({ type: "codeAction", action: "insert", code: "print(1)", language: "python", turnId: "t1" }).ok, true);
    assert.equal(parseWebviewMessage({ type: "codeAction", action: "run", code: "rm -rf /", language: "sh", turnId: "t1" }).ok, false, "only the four actions");
    assert.equal(parseWebviewMessage({ type: "codeAction", action: "copy", code: "x".repeat(1_000_001), language: "", turnId: "t1" }).ok, false, "bounded");
    assert.equal(parseWebviewMessage({ type: "editAndResend", turnId: "t1", question: "again?" }).ok, true);
    assert.equal(parseWebviewMessage({ type: "editAndResend", turnId: "t1" }).ok, false);
    assert.equal(parseWebviewMessage({ type: "openAttachment", id: "a1" }).ok, true);
    assert.equal(parseWebviewMessage({ type: "switchConversation", id: "" }).ok, false);
    assert.equal(parseHostMessage({ type: "conversation", turns: [] }).ok, false, "a conversation says which one it is");
    assert.equal(parseHostMessage({ type: "focusInput" }).ok, true);
  });
});
