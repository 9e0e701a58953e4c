/** Where the engine process's entry point is, for a bundle (dist/engine.js) or a source checkout. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export interface EngineLaunch {
  readonly enginePath: string;
  readonly execArgv: readonly string[];
}

/**
 * `dir` is the folder of the code that starts the engine (its `__dirname`): in a bundle that is
 * dist/, which also holds engine.js; from source (tests, `tsx src/cli/main.ts`) the TypeScript
 * entry is run through tsx.
 */
export function resolveEngineLaunch(dir: string = __dirname): EngineLaunch {
  const bundled = join(dir, "engine.js");
  if (existsSync(bundled)) return { enginePath: bundled, execArgv: [] };
  const candidates = [resolve(dir, "../process/main.ts"), resolve(dir, "../src/engine/process/main.ts")];
  const source = candidates.find((p) => existsSync(p));
  if (source) return { enginePath: source, execArgv: ["--import", "tsx"] };
  return { enginePath: bundled, execArgv: [] };
}
