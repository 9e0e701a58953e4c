import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { huggingFaceHubRoot, lmStudioDefaultRoots, nodeLlamaCppRoot, ollamaRoots } from "../../../../../src/engine/models/discovery";
import type { RootContext } from "../../../../../src/engine/models/discovery";

const home = join("/home", "ada");
const ctx = (env: Record<string, string | undefined> = {}, platform: NodeJS.Platform = "darwin"): RootContext => ({ homeDir: home, env, platform });

describe("where each store keeps its models", () => {
  it("LM Studio: ~/.lmstudio/models and the older ~/.cache/lm-studio/models", () => {
    assert.deepEqual(lmStudioDefaultRoots(ctx()), [join(home, ".lmstudio", "models"), join(home, ".cache", "lm-studio", "models")]);
  });

  it("Ollama: OLLAMA_MODELS alone when set, else ~/.ollama/models (and the Linux service's store on Linux)", () => {
    assert.deepEqual(ollamaRoots(ctx()), [join(home, ".ollama", "models")]);
    assert.deepEqual(ollamaRoots(ctx({}, "linux")), [join(home, ".ollama", "models"), "/usr/share/ollama/.ollama/models"]);
    assert.deepEqual(ollamaRoots(ctx({ OLLAMA_MODELS: "/data/ollama" }, "linux")), ["/data/ollama"]);
    assert.deepEqual(ollamaRoots(ctx({ OLLAMA_MODELS: "  " })), [join(home, ".ollama", "models")], "a blank variable is not set");
  });

  it("Hugging Face: HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub", () => {
    assert.equal(huggingFaceHubRoot(ctx()), join(home, ".cache", "huggingface", "hub"));
    assert.equal(huggingFaceHubRoot(ctx({ XDG_CACHE_HOME: "/xdg" })), join("/xdg", "huggingface", "hub"));
    assert.equal(huggingFaceHubRoot(ctx({ XDG_CACHE_HOME: "/xdg", HF_HOME: "/hf" })), join("/hf", "hub"));
    assert.equal(huggingFaceHubRoot(ctx({ HF_HOME: "/hf", HUGGINGFACE_HUB_CACHE: "/legacy" })), "/legacy");
    assert.equal(huggingFaceHubRoot(ctx({ HF_HOME: "/hf", HUGGINGFACE_HUB_CACHE: "/legacy", HF_HUB_CACHE: "/hub" })), "/hub");
  });

  it("node-llama-cpp: ~/.node-llama-cpp/models", () => {
    assert.equal(nodeLlamaCppRoot(ctx()), join(home, ".node-llama-cpp", "models"));
  });
});
