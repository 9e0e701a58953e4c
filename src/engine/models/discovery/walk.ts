/**
 * A bounded walk of one folder for `.gguf` files: a depth limit, a cap on the entries read,
 * hidden entries skipped, linked folders followed once (a link loop ends there). Only names
 * ending in `.gguf` are returned, so partial downloads (`.gguf.ipull`, `.gguf.part`,
 * `.gguf.download`, `.incomplete`) are never seen. A link to a file is returned as the link
 * (its target may be missing: describing it says so).
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";

export interface WalkLimits {
  readonly maxDepth: number;
  readonly maxEntries: number;
}

export function isGgufName(name: string): boolean {
  return name.toLowerCase().endsWith(".gguf") && !name.startsWith(".");
}

export interface WalkResult {
  /** The `.gguf` files, sorted by path. */
  readonly files: string[];
  /** Folder entries read (at most `maxEntries`). */
  readonly entriesRead: number;
}

/** The `.gguf` files under `root`; none when it does not exist or cannot be read. */
export async function findGgufFiles(root: string, limits: WalkLimits): Promise<WalkResult> {
  const found: string[] = [];
  const seenDirs = new Set<string>();
  let entries = 0;

  async function visit(dir: string, depth: number): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let children;
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const child of children) {
      if (entries >= limits.maxEntries) return;
      entries++;
      if (child.name.startsWith(".")) continue;
      const path = join(dir, child.name);
      if (child.isDirectory()) {
        subdirs.push(path);
      } else if (child.isFile()) {
        if (isGgufName(child.name)) found.push(path);
      } else if (child.isSymbolicLink()) {
        const target = await stat(path).catch(() => null);
        if (target?.isDirectory() === true) subdirs.push(path);
        else if (isGgufName(child.name) && (target === null || target.isFile())) found.push(path);
      }
    }
    if (depth >= limits.maxDepth) return;
    for (const sub of subdirs) await visit(sub, depth + 1);
  }

  await visit(root, 0);
  return { files: found.sort(), entriesRead: entries };
}
