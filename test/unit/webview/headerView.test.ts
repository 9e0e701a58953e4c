/** The chat header for a model file and for a server (rendered in jsdom). */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type * as Header from "../../../src/webview/headerView";
import type { EngineInfo, ViewState } from "../../../src/protocol";
import { installDom } from "./domEnvironment";

let header: typeof Header;
before(async () => {
  installDom();
  header = await import("../../../src/webview/headerView");
});

const stopped: EngineInfo = { state: "stopped", summary: "", notes: [], scripted: false };

function state(model: ViewState["model"], engine: EngineInfo = stopped): ViewState {
  return {
    model,
    engine,
    brakeMode: "adaptive",
    threshold: 0.2,
    settingProblems: [],
    modelSettings: [],
    generating: false,
    runningConversationId: null,
    conversationId: "c1",
    conversations: [],
    attachments: [],
    contextCheck: null,
  };
}

const text = (el: Element): string => (el.textContent ?? "").replace(/\s+/g, " ").trim();
const actions = (el: Element): string[] => [...el.querySelectorAll("[data-action]")].map((b) => b.getAttribute("data-action") ?? "");

describe("the chat header", () => {
  it("shows the server and its model instead of a file, and Switch… selects another of the server's models", () => {
    const server = { kind: "server", url: "http://gpu-box:8080", host: "gpu-box:8080", model: "Qwen3-32B" } as const;
    const bar = header.modelBar({ ...state(server), model: server });
    const name = bar.querySelector(".model-name");
    assert.ok(name);
    assert.equal(text(name), "Qwen3-32B · server gpu-box:8080 Switch…");
    assert.deepEqual(actions(bar), ["selectServerModel"]);
    assert.equal(text(bar.querySelector(".engine-line") ?? bar), "Connects on the first question");
    const loaded = header.modelBar({ ...state(server, { ...stopped, state: "loaded", summary: "llama-server gpu-box:8080 · Qwen3-32B · context 32768" }), model: server });
    assert.equal(text(loaded.querySelector(".engine-line") ?? loaded), "llama-server gpu-box:8080 · Qwen3-32B · context 32768");
    const failed = header.modelBar({ ...state(server, { ...stopped, loadError: "Nothing answers at http://gpu-box:8080." }), model: server });
    assert.equal(text(failed.querySelector(".engine-line") ?? failed), "Could not use the server: Nothing answers at http://gpu-box:8080.");
    const unnamed = { ...server, model: "" };
    assert.match(text(header.modelBar({ ...state(unnamed), model: unnamed })), /^The server's model · server gpu-box:8080/);
  });

  it("keeps the model file's name, size and picker for a local model", () => {
    const file = { kind: "ready", path: "/m/qwq.gguf", fileName: "qwq.gguf", sizeBytes: 2048 } as const;
    const bar = header.modelBar({ ...state(file), model: file });
    assert.match(text(bar), /^qwq\.gguf Switch… 2(\.0)? KiB/);
    assert.deepEqual(actions(bar), ["selectModel"]);
    assert.equal(text(bar.querySelector(".engine-line") ?? bar), "Loads on the first question");
  });

  it("offers a server on the first-run page, and says when server mode has no address", () => {
    assert.ok(actions(header.firstRunView({ kind: "notConfigured" })).includes("useServer"));
    const none = header.firstRunView({ kind: "serverNotConfigured" });
    assert.match(text(none), /^No server address/);
    assert.deepEqual(actions(none), ["useServer", "selectModel", "openSettings"]);
  });
});
