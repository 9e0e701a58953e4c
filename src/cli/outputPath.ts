/** Checks an output file option before the work starts, so a typo does not cost a whole replay. */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliUsageError } from "./command";

export function checkOutputPath(option: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path.trim() === "") throw new CliUsageError(`${option} needs a file name`);
  const folder = dirname(resolve(path));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new CliUsageError(`${option} ${path}: the folder ${folder} does not exist; create it or choose another path`);
  }
  if (!isFolder) throw new CliUsageError(`${option} ${path}: ${folder} is not a folder`);
  let target: ReturnType<typeof statSync> | undefined;
  try {
    target = statSync(path);
  } catch {
    return; // a new file
  }
  if (target.isDirectory()) throw new CliUsageError(`${option} ${path} is a folder; give a file name`);
}
