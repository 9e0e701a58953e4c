/**
 * The models folder a user chose in LM Studio (Settings → "Models Directory", or in My Models).
 *
 * Not documented by LM Studio: what is read here comes from user reports. LM Studio keeps its
 * settings in `settings.json` in its home folder (`~/.lmstudio`, older releases `~/.cache/lm-studio`),
 * the chosen folder under the key `downloadsFolder`; a `~/.lmstudio-home-pointer` file, when
 * there is one, holds the path of that home folder. Anything that does not read as expected is
 * ignored: the documented default folders are looked through in any case.
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";

/** Larger settings or pointer files are not LM Studio's (or not worth parsing): skipped. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

async function readSmallText(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_SETTINGS_BYTES) return null;
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

/** LM Studio's home folders that may hold a settings.json: the pointer's target, `~/.lmstudio`, `~/.cache/lm-studio`. */
async function lmStudioHomes(homeDir: string): Promise<string[]> {
  const homes: string[] = [];
  const pointer = (await readSmallText(join(homeDir, ".lmstudio-home-pointer")))?.trim();
  if (pointer !== undefined && pointer.length > 0 && isAbsolute(pointer)) homes.push(pointer);
  homes.push(join(homeDir, ".lmstudio"), join(homeDir, ".cache", "lm-studio"));
  return [...new Set(homes)];
}

/** The models folders named in LM Studio's settings (absolute paths only), and `<home>/models` of a pointed-to home. */
export async function lmStudioConfiguredRoots(homeDir: string): Promise<string[]> {
  const roots: string[] = [];
  const homes = await lmStudioHomes(homeDir);
  if (homes[0] !== join(homeDir, ".lmstudio")) roots.push(join(homes[0] ?? "", "models"));
  for (const home of homes) {
    const text = await readSmallText(join(home, "settings.json"));
    if (text === null) continue;
    let folder: unknown;
    try {
      folder = (JSON.parse(text) as Record<string, unknown> | null)?.downloadsFolder;
    } catch {
      continue;
    }
    if (typeof folder === "string" && folder.trim().length > 0 && isAbsolute(folder)) roots.push(folder);
  }
  return [...new Set(roots)];
}
