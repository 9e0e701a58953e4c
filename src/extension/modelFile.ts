import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { Settings } from "../core/settings/registry";
import { checkGgufFile } from "../engine/common/ggufHeader";
import type { ModelStatus } from "../protocol";
import { serverModelKey, serverStatus } from "./server/serverStatus";

/** The model path setting as a file path: trimmed, `~` standing for the home folder. */
export function modelFilePath(setting: string): string {
  const path = setting.trim();
  return path === "~" || path.startsWith("~/") || path.startsWith("~\\") ? join(homedir(), path.slice(1)) : path;
}

/** Where the model of the settings stands: the server's in server mode (`selfBraking.engine`), else the model file's. */
export async function currentModelStatus(settings: Settings): Promise<ModelStatus> {
  return settings.engine === "server" ? serverStatus(settings) : modelStatus(settings["model.path"]);
}

/** What the current model's own settings and calibration are kept by: its file path, or in server mode the server and model. */
export function currentModelKey(settings: Settings): string {
  return settings.engine === "server" ? serverModelKey(settings) : modelFilePath(settings["model.path"]);
}

/** The last header check, kept while the file is unchanged (the view asks for the status often). */
let checked: { readonly key: string; readonly status: ModelStatus } | null = null;

/**
 * Where the configured model file stands: missing, not a usable GGUF (its header is checked,
 * bounded, without loading anything), or ready. One stat when the file has not changed.
 */
export async function modelStatus(setting: string): Promise<ModelStatus> {
  const path = modelFilePath(setting);
  if (path === "") return { kind: "notConfigured" };
  let key: string;
  try {
    const info = await stat(path);
    // ctime and inode too: a chmod, or a file replaced with one of the same size and time, is checked again.
    key = `${path}\0${info.size}\0${info.mtimeMs}\0${info.ctimeMs}\0${info.ino}\0${info.isFile()}`;
  } catch {
    key = `${path}\0missing`;
  }
  if (checked?.key === key) return checked.status;
  const status = await checkModel(path);
  checked = { key, status };
  return status;
}

async function checkModel(path: string): Promise<ModelStatus> {
  const check = await checkGgufFile(path);
  if (check.ok) return { kind: "ready", path, fileName: basename(path), sizeBytes: check.fileBytes };
  if (check.code === "file-not-found") return { kind: "missing", path, message: `${check.message} Choose another .gguf file or fix selfBraking.model.path.` };
  return { kind: "invalid", path, message: check.message };
}
