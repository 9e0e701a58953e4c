/**
 * Recommended GGUF reasoning models, small to large, as plain data.
 *
 * Every `uri` is in node-llama-cpp's `hf:` form (node-llama-cpp 3.21.1,
 * dist/utils/parseModelUri.js), one of:
 *   - `hf:<user>/<repo>/<path/to/file>.gguf`  — a named file on the repo's main branch;
 *   - `hf:<user>/<repo>:<QUANT>`               — resolved through the Hub's manifest to the
 *                                                repo's GGUF file of that quantisation.
 *
 * How each entry was checked (this machine cannot reach Hugging Face):
 *   - repository, file and quantisation: seen in node-llama-cpp's own recommended-models list
 *     (node_modules/node-llama-cpp/dist/cli/recommendedModels.js) or its packed Electron
 *     template (node_modules/node-llama-cpp/templates/packed/electron-typescript-react.json),
 *     or on a stored copy of the repository's Hugging Face file tree / model card;
 *   - `sizeBytes`: where `sizeVerified` is true, the size the Hub lists for that exact file
 *     (decimal GB, so the number is the listed value × 10⁹, rounded as the Hub rounds it);
 *     where false, an approximation (named in `sizeNote`) — the downloader learns the real size
 *     from the server, so treat it as a hint for the fit estimate only.
 * `source` keeps the address each entry was verified at; the comment above each entry says what
 * was seen there.
 *
 * To update: add or edit an entry, keep the array ordered by `sizeBytes`, and run
 * test/unit/engine/models/catalogue.test.ts.
 */

/** How a model marks its reasoning in the generated text. */
export type ThinkingFormat =
  /** `<think> … </think>` before the answer (the chat template may already open `<think>`, so output can start inside it). */
  | "think-tags"
  /** OpenAI harmony format: reasoning in the `analysis` channel, the answer in `final`. */
  | "harmony-analysis";

export interface CatalogueEntry {
  /** Stable id, lower-case kebab; used in settings and the CLI. */
  readonly id: string;
  readonly displayName: string;
  /** Publisher of the weights (not of the GGUF conversion). */
  readonly publisher: string;
  /** node-llama-cpp `hf:` URI. */
  readonly uri: string;
  /** `<user>/<repo>` on Hugging Face. */
  readonly repo: string;
  /** The GGUF file name when the URI names it or it was seen on the Hub; null when the URI is a quantisation tag the Hub resolves. */
  readonly file: string | null;
  /** llama.cpp quantisation name (e.g. `Q4_K_M`, `MXFP4`). */
  readonly quantisation: string;
  /** File size in bytes (see `sizeVerified`). */
  readonly sizeBytes: number;
  /** True when `sizeBytes` is the size the Hub lists for this exact file. */
  readonly sizeVerified: boolean;
  /** Where the size comes from, or how it was approximated. */
  readonly sizeNote: string;
  /** Total parameter count (model card / Hub; the size in a model's name can round it). */
  readonly parameters: number;
  /** Active parameters per token for mixture-of-experts models; absent for dense models. */
  readonly activeParameters?: number;
  /** Licence as the original model card / repository states it. */
  readonly licence: string;
  readonly thinkingFormat: ThinkingFormat;
  /** Specifics of the thinking segment for this model. */
  readonly thinkingNote: string;
  /** Native context length in tokens (model card / config). */
  readonly contextLength: number;
  /** One line: what this model is good for. */
  readonly goodFor: string;
  /** Address where the repository, file and quantisation were verified. */
  readonly source: string;
}

const NLC_RECOMMENDED = "node_modules/node-llama-cpp/dist/cli/recommendedModels.js (node-llama-cpp 3.21.1)";
const NLC_ELECTRON_TEMPLATE = "node_modules/node-llama-cpp/templates/packed/electron-typescript-react.json (node-llama-cpp 3.21.1)";

const R1_DISTILL_THINKING =
  "DeepSeek-R1 style: reasoning between <think> and </think>, then the answer; newer chat templates end the prompt with <think>\\n, so the output may start inside the thought and show only </think>.";
const QWEN3_THINKING =
  "Qwen3 hybrid thinking: <think> … </think> before the answer when thinking is on (the default); /no_think or enable_thinking=false gives an empty think block.";

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Seen: Hugging Face file tree of bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF at 755373c lists
  // DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf at 1.12 GB; the same resolve URL is used by several public projects.
  {
    id: "deepseek-r1-distill-qwen-1.5b",
    displayName: "DeepSeek-R1-Distill-Qwen 1.5B",
    publisher: "DeepSeek",
    uri: "hf:bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
    repo: "bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 1_120_000_000,
    sizeVerified: true,
    sizeNote: "Hub file tree: 1.12 GB",
    parameters: 1.78e9,
    licence: "MIT (distilled from Qwen2.5-Math-1.5B, Apache-2.0)",
    thinkingFormat: "think-tags",
    thinkingNote: R1_DISTILL_THINKING,
    contextLength: 131_072,
    goodFor: "Trying the brake anywhere: tiny and fast, and it overthinks readily.",
    source: "https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF/tree/755373c6eceff0e2f5ef39080d60154619779b2f",
  },
  // Seen: the bartowski README for Qwen3-1.7B (mirrored at model.aibase.com) lists the Q8_0 file at 2.17 GB; the
  // Qwen_Qwen3-1.7B-<QUANT>.gguf naming in bartowski/Qwen_Qwen3-1.7B-GGUF is used by many public projects, one of
  // which records HEAD checks of that repo returning 200 for Q8_0.
  {
    id: "qwen3-1.7b",
    displayName: "Qwen3 1.7B (thinking)",
    publisher: "Qwen",
    uri: "hf:bartowski/Qwen_Qwen3-1.7B-GGUF/Qwen_Qwen3-1.7B-Q8_0.gguf",
    repo: "bartowski/Qwen_Qwen3-1.7B-GGUF",
    file: "Qwen_Qwen3-1.7B-Q8_0.gguf",
    quantisation: "Q8_0",
    sizeBytes: 2_170_000_000,
    sizeVerified: true,
    sizeNote: "bartowski README table: 2.17GB",
    // The name says 1.7B; the weights hold about 2.03B (1.4B without embeddings, per the model card).
    parameters: 2.03e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "The smallest useful hybrid thinker: quick answers on CPU, with thinking you can switch off.",
    source: "https://model.aibase.com/zh/models/details/1924737384189267968",
  },
  // Seen: unsloth/Phi-4-mini-reasoning-GGUF in the Hub's model search; Phi-4-mini-reasoning-Q4_K_M.gguf in that repo
  // (and in lmstudio-community/Phi-4-mini-reasoning-GGUF) is referenced by several public projects.
  {
    id: "phi-4-mini-reasoning",
    displayName: "Phi-4-mini-reasoning 3.8B",
    publisher: "Microsoft",
    uri: "hf:unsloth/Phi-4-mini-reasoning-GGUF/Phi-4-mini-reasoning-Q4_K_M.gguf",
    repo: "unsloth/Phi-4-mini-reasoning-GGUF",
    file: "Phi-4-mini-reasoning-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 2_490_000_000,
    sizeVerified: false,
    sizeNote: "approximate: the same architecture's Q4_K_M (unsloth/Phi-4-mini-instruct-GGUF) is listed at 2.49 GB",
    parameters: 3.8e9,
    licence: "MIT",
    thinkingFormat: "think-tags",
    thinkingNote: "Reasons in <think> … </think> before the answer; trained for step-by-step mathematics.",
    contextLength: 131_072,
    goodFor: "Step-by-step maths on modest hardware; weaker outside maths.",
    source: "https://huggingface.co/models?search=Phi-4%20Mini%20Reasoning%20GGUF",
  },
  // Seen: "hf:Qwen/Qwen3-4B-GGUF:Q4_K_M" in node-llama-cpp's recommended models.
  // File name: several public projects download https://huggingface.co/Qwen/Qwen3-4B-GGUF/resolve/main/Qwen3-4B-Q4_K_M.gguf (one records size 2,497,280,256 B and its SHA-256).
  {
    id: "qwen3-4b",
    displayName: "Qwen3 4B (thinking)",
    publisher: "Qwen",
    uri: "hf:Qwen/Qwen3-4B-GGUF/Qwen3-4B-Q4_K_M.gguf",
    repo: "Qwen/Qwen3-4B-GGUF",
    file: "Qwen3-4B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 2_497_280_256,
    sizeVerified: true,
    sizeNote: "exact byte count recorded with the file's SHA-256 by a public project that downloads https://huggingface.co/Qwen/Qwen3-4B-GGUF/resolve/main/Qwen3-4B-Q4_K_M.gguf",
    parameters: 4.0e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "Best reasoning per gigabyte in the small class; fits a 4–6 GB GPU.",
    source: NLC_RECOMMENDED,
  },
  // Seen: Hugging Face file tree of unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF (main) lists
  // DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf at 4.68 GB. (node-llama-cpp recommends mradermacher's conversion of the same model.)
  {
    id: "deepseek-r1-distill-qwen-7b",
    displayName: "DeepSeek-R1-Distill-Qwen 7B",
    publisher: "DeepSeek",
    uri: "hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
    repo: "unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 4_680_000_000,
    sizeVerified: true,
    sizeNote: "Hub file tree: 4.68 GB",
    parameters: 7.62e9,
    licence: "MIT (distilled from Qwen2.5-Math-7B, Apache-2.0)",
    thinkingFormat: "think-tags",
    thinkingNote: R1_DISTILL_THINKING,
    contextLength: 131_072,
    goodFor: "Maths and logic with long chains of thought; the classic overthinker to brake.",
    source: "https://huggingface.co/unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/tree/main",
  },
  // Seen: Hugging Face file tree of unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF at 671a7fd lists
  // DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf at 4.92 GB; the repo's licence tag is llama3.1.
  {
    id: "deepseek-r1-distill-llama-8b",
    displayName: "DeepSeek-R1-Distill-Llama 8B",
    publisher: "DeepSeek",
    uri: "hf:unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF/DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf",
    repo: "unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF",
    file: "DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 4_920_000_000,
    sizeVerified: true,
    sizeNote: "Hub file tree: 4.92 GB",
    parameters: 8.03e9,
    licence: "MIT (distilled from Llama-3.1-8B, Llama 3.1 Community License)",
    thinkingFormat: "think-tags",
    thinkingNote: R1_DISTILL_THINKING,
    contextLength: 131_072,
    goodFor: "R1-style reasoning on a Llama base: steadier prose and general questions than the Qwen distills.",
    source: "https://huggingface.co/unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF/tree/671a7fddf5a9008669395af38bf232c3b7be2503",
  },
  // Seen: unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF in the Hub's model search and unsloth's "deepseek r1 all versions"
  // collection; .../resolve/main/DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf is referenced by several public projects
  // (one test notes the URL as confirmed on Hugging Face).
  {
    id: "deepseek-r1-0528-qwen3-8b",
    displayName: "DeepSeek-R1-0528-Qwen3 8B",
    publisher: "DeepSeek",
    uri: "hf:unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF/DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf",
    repo: "unsloth/DeepSeek-R1-0528-Qwen3-8B-GGUF",
    file: "DeepSeek-R1-0528-Qwen3-8B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 5_030_000_000,
    sizeVerified: false,
    sizeNote: "approximate: a Q4_K_M of Qwen3-8B's architecture is about 5.0 GB; not seen listed for this file",
    parameters: 8.2e9,
    licence: "MIT",
    thinkingFormat: "think-tags",
    thinkingNote: "DeepSeek-R1-0528 distilled into Qwen3-8B: always thinks, in <think> … </think>; uses R1-0528's chat template.",
    contextLength: 32_768,
    goodFor: "Strongest small thinker here for maths and code; thinks long, so the brake matters most.",
    source: "https://huggingface.co/collections/unsloth/deepseek-r1-all-versions",
  },
  // Seen: "hf:Qwen/Qwen3-8B-GGUF:Q4_K_M" in node-llama-cpp's recommended models; the file name
  // Qwen3-8B-Q4_K_M.gguf in Qwen/Qwen3-8B-GGUF is used by public projects (.../resolve/main/Qwen3-8B-Q4_K_M.gguf).
  {
    id: "qwen3-8b",
    displayName: "Qwen3 8B (thinking)",
    publisher: "Qwen",
    uri: "hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
    repo: "Qwen/Qwen3-8B-GGUF",
    file: "Qwen3-8B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 5_030_000_000,
    sizeVerified: false,
    sizeNote: "approximate: about 5.0 GB for Qwen3-8B at Q4_K_M; not seen listed for this file",
    parameters: 8.2e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "All-round default for an 8 GB GPU: good reasoning, tool use, thinking on or off.",
    source: NLC_RECOMMENDED,
  },
  // Seen: https://huggingface.co/mradermacher/DeepSeek-R1-Distill-Qwen-14B-GGUF/resolve/main/DeepSeek-R1-Distill-Qwen-14B.Q4_K_M.gguf
  // in node-llama-cpp's Electron template, and "hf:mradermacher/DeepSeek-R1-Distill-Qwen-14B-GGUF:Q4_K_M" in its recommended models.
  {
    id: "deepseek-r1-distill-qwen-14b",
    displayName: "DeepSeek-R1-Distill-Qwen 14B",
    publisher: "DeepSeek",
    uri: "hf:mradermacher/DeepSeek-R1-Distill-Qwen-14B-GGUF/DeepSeek-R1-Distill-Qwen-14B.Q4_K_M.gguf",
    repo: "mradermacher/DeepSeek-R1-Distill-Qwen-14B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-14B.Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 8_990_000_000,
    sizeVerified: false,
    sizeNote: "approximate: other Q4_K_M files of this model (e.g. osllmai-community, second-state) are listed at 8.99 GB",
    parameters: 14.8e9,
    licence: "MIT (distilled from Qwen2.5-14B, Apache-2.0)",
    thinkingFormat: "think-tags",
    thinkingNote: R1_DISTILL_THINKING,
    contextLength: 131_072,
    goodFor: "Noticeably sharper R1 reasoning than 7B; wants 12 GB of VRAM or patience.",
    source: NLC_ELECTRON_TEMPLATE,
  },
  // Seen: "hf:Qwen/Qwen3-14B-GGUF:Q4_K_M" in node-llama-cpp's recommended models.
  // File name: public projects download https://huggingface.co/Qwen/Qwen3-14B-GGUF/resolve/main/Qwen3-14B-Q4_K_M.gguf (one lists 9,001,752,960 B and a SHA-256).
  {
    id: "qwen3-14b",
    displayName: "Qwen3 14B (thinking)",
    publisher: "Qwen",
    uri: "hf:Qwen/Qwen3-14B-GGUF/Qwen3-14B-Q4_K_M.gguf",
    repo: "Qwen/Qwen3-14B-GGUF",
    file: "Qwen3-14B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 9_001_752_960,
    sizeVerified: true,
    sizeNote: "exact byte count listed by a public model registry for https://huggingface.co/Qwen/Qwen3-14B-GGUF/resolve/main/Qwen3-14B-Q4_K_M.gguf",
    parameters: 14.8e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "Mid-size all-rounder for 12–16 GB GPUs: code, maths and writing with switchable thinking.",
    source: NLC_RECOMMENDED,
  },
  // Seen: https://huggingface.co/giladgd/gpt-oss-20b-GGUF/resolve/main/gpt-oss-20b.MXFP4.gguf in node-llama-cpp's
  // Electron template and "hf:giladgd/gpt-oss-20b-GGUF/gpt-oss-20b.MXFP4.gguf" in its recommended models.
  {
    id: "gpt-oss-20b",
    displayName: "gpt-oss 20B",
    publisher: "OpenAI",
    uri: "hf:giladgd/gpt-oss-20b-GGUF/gpt-oss-20b.MXFP4.gguf",
    repo: "giladgd/gpt-oss-20b-GGUF",
    file: "gpt-oss-20b.MXFP4.gguf",
    quantisation: "MXFP4",
    sizeBytes: 12_100_000_000,
    sizeVerified: false,
    sizeNote: "approximate: bartowski's MXFP4 conversion of the same weights is listed at 12.1GB",
    parameters: 21e9,
    activeParameters: 3.6e9,
    licence: "Apache-2.0",
    thinkingFormat: "harmony-analysis",
    thinkingNote: "Harmony format: reasoning in the analysis channel, the answer in the final channel; effort set by 'Reasoning: low|medium|high' in the system prompt.",
    contextLength: 131_072,
    goodFor: "Fast mixture-of-experts reasoner (3.6B active) for 16 GB machines; strong at tools and code.",
    source: NLC_RECOMMENDED,
  },
  // Seen: "hf:Qwen/Qwen3-30B-A3B-GGUF:Q4_K_M" in node-llama-cpp's recommended models.
  // File name: public projects download https://huggingface.co/Qwen/Qwen3-30B-A3B-GGUF/resolve/main/Qwen3-30B-A3B-Q4_K_M.gguf (listed at 18.6 GB).
  {
    id: "qwen3-30b-a3b",
    displayName: "Qwen3 30B-A3B MoE (thinking)",
    publisher: "Qwen",
    uri: "hf:Qwen/Qwen3-30B-A3B-GGUF/Qwen3-30B-A3B-Q4_K_M.gguf",
    repo: "Qwen/Qwen3-30B-A3B-GGUF",
    file: "Qwen3-30B-A3B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 18_600_000_000,
    sizeVerified: false,
    sizeNote: "estimate: 30.5B parameters at roughly 4.9 bits each; not seen listed",
    parameters: 30.5e9,
    activeParameters: 3.3e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "Near-32B quality at small-model speed when RAM is plentiful; runs well partly on CPU.",
    source: NLC_RECOMMENDED,
  },
  // Seen: "hf:Qwen/Qwen3-32B-GGUF:Q4_K_M" in node-llama-cpp's recommended models.
  // File name: public projects download https://huggingface.co/Qwen/Qwen3-32B-GGUF/resolve/main/Qwen3-32B-Q4_K_M.gguf with its SHA-256 (listed at 19.8 GB).
  {
    id: "qwen3-32b",
    displayName: "Qwen3 32B (thinking)",
    publisher: "Qwen",
    uri: "hf:Qwen/Qwen3-32B-GGUF/Qwen3-32B-Q4_K_M.gguf",
    repo: "Qwen/Qwen3-32B-GGUF",
    file: "Qwen3-32B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 19_800_000_000,
    sizeVerified: false,
    sizeNote: "estimate: 32.8B parameters at roughly 4.85 bits each; not seen listed",
    parameters: 32.8e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: QWEN3_THINKING,
    contextLength: 32_768,
    goodFor: "Top dense Qwen3 for a 24 GB GPU: hardest maths, code and analysis.",
    source: NLC_RECOMMENDED,
  },
  // Seen: Hugging Face file tree of unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF at 4ab1188 lists
  // DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf at 19.9 GB.
  {
    id: "deepseek-r1-distill-qwen-32b",
    displayName: "DeepSeek-R1-Distill-Qwen 32B",
    publisher: "DeepSeek",
    uri: "hf:unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF/DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf",
    repo: "unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF",
    file: "DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 19_900_000_000,
    sizeVerified: true,
    sizeNote: "Hub file tree: 19.9 GB",
    parameters: 32.8e9,
    licence: "MIT (distilled from Qwen2.5-32B, Apache-2.0)",
    thinkingFormat: "think-tags",
    thinkingNote: R1_DISTILL_THINKING,
    contextLength: 131_072,
    goodFor: "The strongest R1 distill that fits one 24 GB GPU; long, careful chains of thought.",
    source: "https://huggingface.co/unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF/tree/4ab1188f45cca28ca3b72760520f44cb21ecedfb",
  },
  // Seen: "hf:Qwen/QwQ-32B-GGUF:Q4_K_M" in node-llama-cpp's recommended models.
  // File name: public projects download https://huggingface.co/Qwen/QwQ-32B-GGUF/resolve/main/qwq-32b-q4_k_m.gguf (lower case in this repository).
  {
    id: "qwq-32b",
    displayName: "QwQ 32B",
    publisher: "Qwen",
    uri: "hf:Qwen/QwQ-32B-GGUF/qwq-32b-q4_k_m.gguf",
    repo: "Qwen/QwQ-32B-GGUF",
    file: "qwq-32b-q4_k_m.gguf",
    quantisation: "Q4_K_M",
    sizeBytes: 19_900_000_000,
    sizeVerified: false,
    sizeNote: "approximate: Q4_K_M files of Qwen2.5-32B-architecture models are listed at 19.9 GB; not seen for this file",
    parameters: 32.5e9,
    licence: "Apache-2.0",
    thinkingFormat: "think-tags",
    thinkingNote: "Always thinks; the chat template opens <think> after the assistant tag, so output usually starts inside the thought and shows only </think>.",
    contextLength: 131_072,
    goodFor: "Deep maths and puzzle reasoning at 32B; famously verbose, a prime brake target.",
    source: NLC_RECOMMENDED,
  },
];

/** The entry with this id, or undefined. */
export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.id === id);
}

/** The entries from smallest to largest file (stable for equal sizes). */
export function catalogueBySize(entries: readonly CatalogueEntry[] = CATALOGUE): CatalogueEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.sizeBytes - b.entry.sizeBytes || a.index - b.index)
    .map(({ entry }) => entry);
}
