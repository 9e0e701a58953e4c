import { fork } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Writes the scripted demo model (a tiny GGUF that replays a fixed transcript through real
 * llama.cpp; not a language model) into `folder` with the bundled CLI's `demo-model` command —
 * the editor layer does not build models itself — and returns its path.
 */
export async function writeDemoModel(extensionPath: string, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, "self-braking-demo-scripted.gguf");
  const cli = join(extensionPath, "dist", "cli.js");
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    const child = fork(cli, ["demo-model", path], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writing the demo model failed (exit ${code}): ${stderr.trim() || "no message"}`))));
  });
  return path;
}
