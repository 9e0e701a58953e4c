import { isAbsolute, join, resolve } from "node:path";

/** `$<variable>`, else `$XDG_CACHE_HOME/self-braking/<leaf>`, else `~/.cache/self-braking/<leaf>`: where the CLI and the editor keep models and recordings. */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>, home: string, variable: string, leaf: string): string {
  const set = env[variable]?.trim();
  if (set) return resolve(set);
  const cache = env.XDG_CACHE_HOME?.trim();
  return join(cache && isAbsolute(cache) ? cache : join(home, ".cache"), "self-braking", leaf);
}
