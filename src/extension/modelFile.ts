import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { ModelStatus } from "../protocol";

/** The model path setting as a file path: trimmed, `~` standing for the home folder. */
export function modelFilePath(setting: string): string {
  const path = setting.trim();
  return path === "~" || path.startsWith("~/") || path.startsWith("~\\") ? join(homedir(), path.slice(1)) : path;
}

/** Where the configured model file stands, checked on disk (cheap: one stat). */
export async function modelStatus(path: string): Promise<ModelStatus> {
  const trimmed = modelFilePath(path);
  if (trimmed === "") return { kind: "notConfigured" };
  try {
    const info = await stat(trimmed);
    if (!info.isFile()) {
      return { kind: "missing", path: trimmed, message: `${trimmed} is not a file. Choose a .gguf model file.` };
    }
    return { kind: "ready", path: trimmed, fileName: basename(trimmed), sizeBytes: info.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : `cannot be opened (${code ?? String(error)})`;
    return { kind: "missing", path: trimmed, message: `The model file ${trimmed} ${why}. Choose another .gguf file or fix selfBraking.model.path.` };
  }
}
