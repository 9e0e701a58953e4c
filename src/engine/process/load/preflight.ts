/**
 * Checks a model file before node-llama-cpp touches it, so the common mistakes get a message a
 * user can act on instead of a native error.
 */
import { open, stat } from "node:fs/promises";
import { EngineError, formatBytes } from "../../common/errors";

const GGUF_MAGIC = "GGUF";
const MIN_GGUF_BYTES = 24;

function describeOtherFormat(head: Buffer): string | null {
  if (head.subarray(0, 2).toString("latin1") === "PK") return "It looks like a ZIP archive (a PyTorch .bin/.pt checkpoint?).";
  if (head.length >= 9 && head[8] === 0x7b) return "It looks like a safetensors file.";
  if (head.subarray(0, 4).toString("latin1") === "ggml" || head.subarray(0, 4).toString("latin1") === "lmgg") return "It looks like an old GGML file, which llama.cpp no longer reads.";
  if (head.subarray(0, 1).toString("latin1") === "<" || head.subarray(0, 1).toString("latin1") === "{") return "It looks like a text file (an HTML error page or JSON instead of the download?).";
  return null;
}

/** Returns the file size; throws EngineError for a missing path, a folder, or a file that is not GGUF. */
export async function checkModelFile(modelPath: string): Promise<{ bytes: number }> {
  if (modelPath.trim().length === 0) {
    throw new EngineError("model-path-missing", "No model file is set. Set selfBraking.model.path to a .gguf file (or run “Self-Braking: Choose Model File”).");
  }
  let size: number;
  try {
    const info = await stat(modelPath);
    if (info.isDirectory()) {
      throw new EngineError("not-gguf", `${modelPath} is a folder, not a model file. Point selfBraking.model.path at the .gguf file inside it.`, { path: modelPath });
    }
    size = info.size;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new EngineError("file-not-found", `The model file ${modelPath} does not exist. Check selfBraking.model.path.`, { path: modelPath });
    throw new EngineError("file-not-found", `The model file ${modelPath} cannot be read (${code ?? String(error)}).`, { path: modelPath });
  }
  const handle = await open(modelPath, "r").catch((error: NodeJS.ErrnoException) => {
    throw new EngineError("file-not-found", `The model file ${modelPath} cannot be opened (${error.code ?? error.message}).`, { path: modelPath });
  });
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const magic = head.subarray(0, 4).toString("latin1");
    if (bytesRead < 4 || magic !== GGUF_MAGIC) {
      const other = describeOtherFormat(head.subarray(0, bytesRead));
      throw new EngineError(
        "not-gguf",
        `${modelPath} is not a GGUF model (it does not start with “GGUF”). ${other ?? ""} The engine runs llama.cpp models in GGUF format: download a .gguf file (for example a Q4_K_M quantisation).`.replace(/\s+/g, " ").trim(),
        { path: modelPath, bytes: size },
      );
    }
    if (size < MIN_GGUF_BYTES) {
      throw new EngineError("not-gguf", `${modelPath} is only ${formatBytes(size)}: the GGUF file is truncated. Download it again.`, { path: modelPath, bytes: size });
    }
  } finally {
    await handle.close();
  }
  return { bytes: size };
}

export interface MemoryNeed {
  readonly modelRamBytes: number;
  readonly contextRamBytes: number;
  readonly totalRamBytes: number;
  readonly freeRamBytes: number;
  readonly freeSwapBytes: number;
}

/** Throws when the model cannot fit in this machine's memory even on the CPU; returns a warning when it is tight. */
export function checkMemory(need: MemoryNeed, modelPath: string): string | null {
  const required = need.modelRamBytes + need.contextRamBytes;
  const details = {
    requiredBytes: Math.round(required),
    modelBytes: Math.round(need.modelRamBytes),
    contextBytes: Math.round(need.contextRamBytes),
    totalRamBytes: need.totalRamBytes,
    freeRamBytes: need.freeRamBytes,
    path: modelPath,
  };
  if (required > need.totalRamBytes + need.freeSwapBytes) {
    throw new EngineError(
      "too-large-for-memory",
      `This model needs about ${formatBytes(required)} of memory (weights ${formatBytes(need.modelRamBytes)} + context ${formatBytes(need.contextRamBytes)}), ` +
        `but this machine has ${formatBytes(need.totalRamBytes)} of RAM (${formatBytes(need.freeRamBytes)} free) and ${formatBytes(need.freeSwapBytes)} of free swap. ` +
        "Use a smaller model or quantisation (e.g. Q4_K_M), lower selfBraking.model.contextSize, or offload layers to a GPU (selfBraking.model.gpu).",
      details,
    );
  }
  if (required > need.freeRamBytes + need.freeSwapBytes) {
    return `The model needs about ${formatBytes(required)} but only ${formatBytes(need.freeRamBytes)} of RAM is free: expect swapping or a slow start.`;
  }
  return null;
}
