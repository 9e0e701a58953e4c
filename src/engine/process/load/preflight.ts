/**
 * Checks a model file before node-llama-cpp touches it, so the common mistakes (no path, a
 * folder, a ZIP or HTML page, an old GGML file, a truncated download, a header whose lengths do
 * not fit the file) get a message a user can act on instead of a native error or a parser that
 * allocates whatever the file claims. The check itself lives in engine/common so the extension
 * can run it when a file is chosen.
 */
import { checkGgufFile } from "../../common/ggufHeader";
import type { GgufHeaderSummary } from "../../common/ggufHeader";
import { EngineError } from "../../common/errors";

/** Returns the file size and its header summary; throws EngineError for a missing path, a folder, or a file that is not a sane GGUF. */
export async function checkModelFile(modelPath: string): Promise<{ bytes: number; header: GgufHeaderSummary }> {
  const check = await checkGgufFile(modelPath);
  if (!check.ok) throw new EngineError(check.code, check.message, check.details);
  return { bytes: check.fileBytes, header: check };
}
