import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bufferSource, checkGgufFile, walkGgufHeader } from "../../../../../src/engine/common/ggufHeader";
import { discoverModels } from "../../../../../src/engine/models/discovery";
import type { DiscoveredModel, DiscoveryOptions, ModelFacts } from "../../../../../src/engine/models/discovery";
import { buildScriptedModel } from "../../../../../src/scripted-model/scriptedModel";
import { reasoningModelSpec, SELF_ENDING } from "../../../../../src/scripted-model/scripts";
import { hex, link, modelBytes, ollamaManifest, PLAIN_TEMPLATE, THINK_TEMPLATE, writeFile } from "./fakeStores";

const MODEL_LAYER = "application/vnd.ollama.image.model";
const NO_FACTS: ModelFacts = { architecture: null, name: null, sizeLabel: null, parameterCount: null, fileType: null, quantization: null, contextLength: null, blockCount: null, chatTemplateThinks: null };
const facts = (f: Partial<ModelFacts>): ModelFacts => ({ ...NO_FACTS, architecture: "llama", ...f });

describe("discoverModels: fake LM Studio, Ollama, Hugging Face, node-llama-cpp and download trees", () => {
  const tmp = mkdtempSync(join(tmpdir(), "self-braking-discovery-"));
  const home = join(tmp, "home");
  const at = (...parts: string[]): string => join(tmp, ...parts);
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** A model as the test sees it: paths and problems with the temp folder written `<tmp>`. */
  const view = (m: DiscoveredModel): unknown => {
    const rel = (text: string): string => text.split(tmp).join("<tmp>");
    return { ...m, path: rel(m.path), shards: m.shards.map(rel), problem: m.problem === null ? null : rel(m.problem) };
  };
  const options = (extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions => ({
    homeDir: home,
    env: {},
    platform: "darwin",
    downloadFolders: [at("downloads")],
    recentFiles: [
      at("downloads", "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"),
      at("elsewhere", "mine.gguf"),
      at("elsewhere", "gone.gguf"),
      join(home, ".lmstudio", "models", "lmstudio-community", "Qwen3-8B-GGUF", "Qwen3-8B-Q4_K_M.gguf"),
    ],
    ...extra,
  });

  const size = { qwen: 0, big1: 0, big2: 0, big3: 0, half: 0, broken: 0, custom: 0, old: 0, deepseek: 0, some: 0, qwq: 0, phi: 0, r1: 0, mine: 0 };
  const scripted = buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf;
  let brokenProblem = "";

  before(async () => {
    // LM Studio: the current default folder, the older one, and the folder chosen in its settings.
    const lms = (...parts: string[]): string => join(home, ".lmstudio", "models", ...parts);
    size.qwen = writeFile(lms("lmstudio-community", "Qwen3-8B-GGUF", "Qwen3-8B-Q4_K_M.gguf"), modelBytes({ architecture: "qwen3", name: "Qwen3 8B", sizeLabel: "8B", fileType: 15, contextLength: 40960, blockCount: 36, template: THINK_TEMPLATE, tensors: [[4, 2], [5]] }));
    writeFile(lms("lmstudio-community", "Qwen3-8B-GGUF", "mmproj-Qwen3-8B-F16.gguf"), modelBytes({ architecture: "clip", name: "vision projector", fileType: 1 }));
    const big = (i: number): string => lms("unsloth", "Big-GGUF", `Big-Q8_0-0000${i}-of-00003.gguf`);
    const split = (i: number): ReadonlyArray<readonly [string, { type: "u32"; value: number }]> => [["split.no", { type: "u32", value: i - 1 }], ["split.count", { type: "u32", value: 3 }]];
    size.big1 = writeFile(big(1), modelBytes({ name: "Big", sizeLabel: "70B", fileType: 7, contextLength: 131072, blockCount: 80, template: PLAIN_TEMPLATE, extra: split(1), tensors: [[10, 10]] }));
    size.big2 = writeFile(big(2), modelBytes({ extra: split(2), tensors: [[20, 10]] }));
    size.big3 = writeFile(big(3), modelBytes({ extra: split(3), tensors: [[30, 10], [7]] }));
    size.half = writeFile(lms("someone", "Half-GGUF", "Half-00001-of-00002.gguf"), modelBytes({ name: "Half", fileType: 14 }));
    size.broken = writeFile(lms("someone", "Broken-GGUF", "broken.gguf"), "<!DOCTYPE html><html>rate limited</html>");
    const brokenCheck = await checkGgufFile(lms("someone", "Broken-GGUF", "broken.gguf"));
    brokenProblem = brokenCheck.ok ? "" : brokenCheck.message.split(tmp).join("<tmp>");
    writeFile(lms("someone", "Partial-GGUF", "partial.gguf.part"), modelBytes({ name: "partial" }));
    writeFile(lms("someone", "Partial-GGUF", "other.gguf.download"), modelBytes({ name: "partial" }));
    writeFile(lms("someone", "Partial-GGUF", ".hidden.gguf"), modelBytes({ name: "hidden" }));
    mkdirSync(lms("loop"), { recursive: true });
    symlinkSync("..", lms("loop", "back")); // a link loop back to the models folder
    writeFileSync(join(home, ".lmstudio", "settings.json"), JSON.stringify({ downloadsFolder: at("custom-lmstudio"), other: 1 }));
    size.custom = writeFile(at("custom-lmstudio", "pub", "Custom-GGUF", "custom-Q5_K_M.gguf"), modelBytes({ name: "Custom", fileType: 17 }));
    size.old = writeFile(join(home, ".cache", "lm-studio", "models", "old-pub", "Old-GGUF", "old.gguf"), modelBytes({ contextLength: 2048 }));

    // Ollama: two tags of one blob, a manifest whose blob is missing, a cloud model, another registry, an unreadable manifest, a partial blob.
    const ollama = (...parts: string[]): string => join(home, ".ollama", "models", ...parts);
    const manifest = (registry: string, namespace: string, model: string, tag: string, body: string): void => void writeFile(ollama("manifests", registry, namespace, model, tag), body);
    size.deepseek = writeFile(ollama("blobs", `sha256-${hex("a")}`), scripted);
    manifest("registry.ollama.ai", "library", "deepseek-r1", "8b", ollamaManifest([{ mediaType: "application/vnd.ollama.image.template", digest: `sha256:${hex("9")}` }, { mediaType: MODEL_LAYER, digest: `sha256:${hex("a")}` }]));
    manifest("registry.ollama.ai", "library", "deepseek-r1", "latest", ollamaManifest([{ mediaType: MODEL_LAYER, digest: `sha256:${hex("a")}` }]));
    manifest("registry.ollama.ai", "library", "gone", "1b", ollamaManifest([{ mediaType: MODEL_LAYER, digest: `sha256:${hex("b")}` }]));
    manifest("registry.ollama.ai", "library", "cloudy", "cloud", ollamaManifest([{ mediaType: "application/vnd.ollama.image.template", digest: `sha256:${hex("9")}` }]));
    manifest("registry.ollama.ai", "library", "mangled", "latest", "{ not json");
    size.some = writeFile(ollama("blobs", `sha256-${hex("d")}`), modelBytes({ architecture: "phi3", name: "Some Model", fileType: 30, template: PLAIN_TEMPLATE }));
    manifest("hf.co", "bartowski", "Some-GGUF", "Q4_K_M", ollamaManifest([{ mediaType: MODEL_LAYER, digest: `sha256:${hex("d")}` }]));
    writeFile(ollama("blobs", `sha256-${hex("e")}-partial`), modelBytes({ name: "partial" }));

    // Hugging Face hub cache: snapshots link into blobs; two revisions share a blob; one link's blob is missing.
    const repo = (...parts: string[]): string => join(home, ".cache", "huggingface", "hub", "models--Qwen--QwQ-32B-GGUF", ...parts);
    size.qwq = writeFile(repo("blobs", "1111"), modelBytes({ architecture: "qwen2", name: "QwQ 32B", sizeLabel: "32B", fileType: 15, contextLength: 40960, blockCount: 64, template: THINK_TEMPLATE }));
    writeFile(repo("blobs", "3333.incomplete"), modelBytes({ name: "incomplete" }));
    link(repo("snapshots", "rev1", "qwq-32b-q4_k_m.gguf"), repo("blobs", "1111"));
    link(repo("snapshots", "rev2", "qwq-32b-q4_k_m.gguf"), repo("blobs", "1111"));
    link(repo("snapshots", "rev1", "qwq-32b-q8_0.gguf"), repo("blobs", "2222"));
    writeFile(join(home, ".cache", "huggingface", "hub", "datasets--x--y", "snapshots", "r", "data.gguf"), modelBytes({ name: "a dataset" }));

    // node-llama-cpp's models folder, with a download in progress (ipull's `.ipull` suffix).
    size.phi = writeFile(join(home, ".node-llama-cpp", "models", "hf_bartowski_phi.Q4_K_M.gguf"), modelBytes({ architecture: "phi3", fileType: 15, template: PLAIN_TEMPLATE }));
    writeFile(join(home, ".node-llama-cpp", "models", "hf_bartowski_other.Q4_K_M.gguf.ipull"), modelBytes({ name: "in progress" }));

    // The extension's downloads, and files used before.
    size.r1 = writeFile(at("downloads", "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"), modelBytes({ architecture: "qwen2", name: "DeepSeek R1 Distill Qwen 1.5B", sizeLabel: "1.5B", fileType: 15, contextLength: 131072, blockCount: 28, template: THINK_TEMPLATE }));
    size.mine = writeFile(at("elsewhere", "mine.gguf"), modelBytes({ name: "Mine", tensors: [[3, 3]] }));
  });

  it("lists every model once, by source then path, with its header facts, sizes, shards and problems", async () => {
    const scriptedHeader = await walkGgufHeader(bufferSource(scripted));
    assert.ok(scriptedHeader.ok);
    const lms = "<tmp>/home/.lmstudio/models";
    const ollama = "<tmp>/home/.ollama/models";
    const snapshots = "<tmp>/home/.cache/huggingface/hub/models--Qwen--QwQ-32B-GGUF/snapshots";
    const models = (await discoverModels(options())).map(view);
    assert.deepEqual(models, [
      { path: "<tmp>/custom-lmstudio/pub/Custom-GGUF/custom-Q5_K_M.gguf", shards: ["<tmp>/custom-lmstudio/pub/Custom-GGUF/custom-Q5_K_M.gguf"], sizeBytes: size.custom, source: "lmstudio", storeName: "pub/Custom-GGUF", displayName: "Custom", facts: facts({ name: "Custom", fileType: 17, quantization: "Q5_K_M", parameterCount: 8 }), problem: null },
      { path: "<tmp>/home/.cache/lm-studio/models/old-pub/Old-GGUF/old.gguf", shards: ["<tmp>/home/.cache/lm-studio/models/old-pub/Old-GGUF/old.gguf"], sizeBytes: size.old, source: "lmstudio", storeName: "old-pub/Old-GGUF", displayName: "old", facts: facts({ contextLength: 2048, parameterCount: 8 }), problem: null },
      { path: `${lms}/lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf`, shards: [`${lms}/lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf`], sizeBytes: size.qwen, source: "lmstudio", storeName: "lmstudio-community/Qwen3-8B-GGUF", displayName: "Qwen3 8B", facts: facts({ architecture: "qwen3", name: "Qwen3 8B", sizeLabel: "8B", parameterCount: 13, fileType: 15, quantization: "Q4_K_M", contextLength: 40960, blockCount: 36, chatTemplateThinks: true }), problem: null },
      { path: `${lms}/someone/Broken-GGUF/broken.gguf`, shards: [`${lms}/someone/Broken-GGUF/broken.gguf`], sizeBytes: size.broken, source: "lmstudio", storeName: "someone/Broken-GGUF", displayName: "broken", facts: null, problem: brokenProblem },
      {
        path: `${lms}/someone/Half-GGUF/Half-00001-of-00002.gguf`,
        shards: [`${lms}/someone/Half-GGUF/Half-00001-of-00002.gguf`],
        sizeBytes: size.half,
        source: "lmstudio",
        storeName: "someone/Half-GGUF",
        displayName: "Half",
        facts: facts({ name: "Half", fileType: 14, quantization: "Q4_K_S" }),
        problem: "1 of its 2 shards is missing: Half-00002-of-00002.gguf. Download the missing shard into the same folder.",
      },
      {
        path: `${lms}/unsloth/Big-GGUF/Big-Q8_0-00001-of-00003.gguf`,
        shards: [1, 2, 3].map((i) => `${lms}/unsloth/Big-GGUF/Big-Q8_0-0000${i}-of-00003.gguf`),
        sizeBytes: size.big1 + size.big2 + size.big3,
        source: "lmstudio",
        storeName: "unsloth/Big-GGUF",
        displayName: "Big",
        facts: facts({ name: "Big", sizeLabel: "70B", parameterCount: 100 + 200 + 307, fileType: 7, quantization: "Q8_0", contextLength: 131072, blockCount: 80, chatTemplateThinks: false }),
        problem: null,
      },
      {
        path: `${ollama}/blobs/sha256-${hex("a")}`,
        shards: [`${ollama}/blobs/sha256-${hex("a")}`],
        sizeBytes: size.deepseek,
        source: "ollama",
        storeName: "deepseek-r1:8b",
        displayName: SELF_ENDING.name,
        facts: facts({ name: SELF_ENDING.name, parameterCount: scriptedHeader.parameterCount, contextLength: 4096, blockCount: scriptedHeader.blockCount, chatTemplateThinks: true }),
        problem: null,
      },
      {
        path: `${ollama}/blobs/sha256-${hex("b")}`,
        shards: [],
        sizeBytes: 0,
        source: "ollama",
        storeName: "gone:1b",
        displayName: "gone:1b",
        facts: null,
        problem: `Ollama's manifest for gone:1b names the blob ${ollama}/blobs/sha256-${hex("b")}, which is not in its store: pull the model again with \`ollama pull gone:1b\`.`,
      },
      { path: `${ollama}/blobs/sha256-${hex("d")}`, shards: [`${ollama}/blobs/sha256-${hex("d")}`], sizeBytes: size.some, source: "ollama", storeName: "hf.co/bartowski/Some-GGUF:Q4_K_M", displayName: "Some Model", facts: facts({ architecture: "phi3", name: "Some Model", parameterCount: 8, fileType: 30, quantization: "IQ4_XS", chatTemplateThinks: false }), problem: null },
      {
        path: `${ollama}/manifests/registry.ollama.ai/library/mangled/latest`,
        shards: [],
        sizeBytes: 0,
        source: "ollama",
        storeName: "mangled:latest",
        displayName: "mangled:latest",
        facts: null,
        problem: `Ollama's mangled:latest cannot be used: its manifest ${ollama}/manifests/registry.ollama.ai/library/mangled/latest cannot be read (${jsonError("{ not json")}).`,
      },
      { path: `${snapshots}/rev1/qwq-32b-q4_k_m.gguf`, shards: [`${snapshots}/rev1/qwq-32b-q4_k_m.gguf`], sizeBytes: size.qwq, source: "huggingface", storeName: "Qwen/QwQ-32B-GGUF", displayName: "QwQ 32B", facts: facts({ architecture: "qwen2", name: "QwQ 32B", sizeLabel: "32B", parameterCount: 8, fileType: 15, quantization: "Q4_K_M", contextLength: 40960, blockCount: 64, chatTemplateThinks: true }), problem: null },
      { path: `${snapshots}/rev1/qwq-32b-q8_0.gguf`, shards: [], sizeBytes: 0, source: "huggingface", storeName: "Qwen/QwQ-32B-GGUF", displayName: "qwq-32b-q8_0", facts: null, problem: `${snapshots}/rev1/qwq-32b-q8_0.gguf is a link to ../../blobs/2222, which does not exist (an interrupted download?)` },
      { path: "<tmp>/home/.node-llama-cpp/models/hf_bartowski_phi.Q4_K_M.gguf", shards: ["<tmp>/home/.node-llama-cpp/models/hf_bartowski_phi.Q4_K_M.gguf"], sizeBytes: size.phi, source: "node-llama-cpp", storeName: null, displayName: "hf_bartowski_phi.Q4_K_M", facts: facts({ architecture: "phi3", parameterCount: 8, fileType: 15, quantization: "Q4_K_M", chatTemplateThinks: false }), problem: null },
      { path: "<tmp>/downloads/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", shards: ["<tmp>/downloads/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"], sizeBytes: size.r1, source: "downloads", storeName: null, displayName: "DeepSeek R1 Distill Qwen 1.5B", facts: facts({ architecture: "qwen2", name: "DeepSeek R1 Distill Qwen 1.5B", sizeLabel: "1.5B", parameterCount: 8, fileType: 15, quantization: "Q4_K_M", contextLength: 131072, blockCount: 28, chatTemplateThinks: true }), problem: null },
      { path: "<tmp>/elsewhere/gone.gguf", shards: [], sizeBytes: 0, source: "recent", storeName: null, displayName: "gone", facts: null, problem: "<tmp>/elsewhere/gone.gguf does not exist" },
      { path: "<tmp>/elsewhere/mine.gguf", shards: ["<tmp>/elsewhere/mine.gguf"], sizeBytes: size.mine, source: "recent", storeName: null, displayName: "Mine", facts: facts({ name: "Mine", parameterCount: 9 }), problem: null },
    ]);
  });

  it("looks only in the sources asked for", async () => {
    const models = await discoverModels(options({ sources: ["ollama", "recent"] }));
    assert.deepEqual([...new Set(models.map((m) => m.source))], ["ollama", "recent"]);
    // Without the downloads source, the downloaded file used before is listed as recent.
    assert.ok(models.some((m) => m.source === "recent" && m.path.endsWith("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")));
  });

  it("keeps to its depth and entry limits", async () => {
    const shallow = await discoverModels(options({ sources: ["lmstudio", "node-llama-cpp"], limits: { maxDepth: 1 } }));
    assert.deepEqual(shallow.map((m) => m.source), ["node-llama-cpp"], "LM Studio's models are two folders down");
    const few = await discoverModels(options({ sources: ["node-llama-cpp"], limits: { maxEntriesPerRoot: 0 } }));
    assert.deepEqual(few, []);
  });

  it("reads Ollama's and the Hugging Face cache's folders from OLLAMA_MODELS and HF_HUB_CACHE", async () => {
    const ollamaStore = at("ollama-elsewhere");
    writeFile(join(ollamaStore, "blobs", `sha256-${hex("f")}`), modelBytes({ name: "Moved" }));
    writeFile(join(ollamaStore, "manifests", "registry.ollama.ai", "someone", "moved", "q4"), ollamaManifest([{ mediaType: MODEL_LAYER, digest: `sha256:${hex("f")}` }]));
    const hub = at("hub-elsewhere");
    writeFile(join(hub, "models--solo", "blobs", "4444"), modelBytes({ name: "Solo" }));
    link(join(hub, "models--solo", "snapshots", "main", "sub", "solo.gguf"), join(hub, "models--solo", "blobs", "4444"));
    const models = await discoverModels(options({ env: { OLLAMA_MODELS: ollamaStore, HF_HUB_CACHE: hub }, sources: ["ollama", "huggingface"] }));
    assert.deepEqual(
      models.map((m) => [m.source, m.storeName, m.displayName]),
      [
        ["ollama", "someone/moved:q4", "Moved"],
        ["huggingface", "solo", "Solo"],
      ],
    );
  });

  it("lists a split model with a corrupt later shard, and a corrupt Ollama blob, with their problems", async () => {
    const dir = at("split-downloads");
    writeFile(join(dir, "S-00001-of-00002.gguf"), modelBytes({ name: "S", tensors: [[2, 2]] }));
    writeFile(join(dir, "S-00002-of-00002.gguf"), Buffer.from("GGUF\x03\x00\x00\x00", "latin1"));
    const store = at("ollama-corrupt");
    writeFile(join(store, "blobs", `sha256-${hex("7")}`), modelBytes({ name: "cut" }).subarray(0, 40));
    writeFile(join(store, "manifests", "registry.ollama.ai", "library", "cut", "latest"), ollamaManifest([{ mediaType: MODEL_LAYER, digest: `sha256:${hex("7")}` }]));
    const models = await discoverModels({ homeDir: at("nobody"), env: { OLLAMA_MODELS: store }, platform: "darwin", downloadFolders: [dir] });
    assert.deepEqual(
      models.map((m) => [m.source, m.displayName, m.shards.length, m.facts?.name ?? null]),
      [
        ["ollama", "cut:latest", 1, null],
        ["downloads", "S", 2, "S"],
      ],
    );
    assert.match(models[0]?.problem ?? "", /sha256-7+ has a GGUF header that does not fit the file.*download it again/);
    assert.match(models[1]?.problem ?? "", /S-00002-of-00002\.gguf is only 8 B: the GGUF file is truncated/);
    assert.equal(models[1]?.facts?.parameterCount, null, "not counted when a shard cannot be read");
  });

  it("follows LM Studio's home pointer to a moved .lmstudio folder", async () => {
    const home2 = at("home2");
    writeFile(join(home2, ".lmstudio-home-pointer"), `${at("moved-lmstudio")}\n`);
    writeFile(at("moved-lmstudio", "models", "p", "m", "moved.gguf"), modelBytes({ name: "Pointed" }));
    const models = await discoverModels({ homeDir: home2, env: {}, platform: "darwin", sources: ["lmstudio"] });
    assert.deepEqual(models.map((m) => [m.source, m.storeName, m.displayName]), [["lmstudio", "p/m", "Pointed"]]);
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}
