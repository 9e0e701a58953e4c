/**
 * Entry point of the engine process (bundled to dist/engine.js, started with node's `fork`).
 * Everything that can crash natively (llama.cpp, GPU drivers) lives here, so a crash ends this
 * process and not the editor. node-llama-cpp is imported lazily, on the first load.
 */
import { Engine } from "./engine";
import type { EngineMessage } from "../common/protocol";
import { RequestHandler } from "./requestHandler";

declare const __VERSION__: string | undefined;

function main(): void {
  const send = process.send?.bind(process);
  if (!send || !process.connected) {
    process.stderr.write("self-braking engine: start me with child_process.fork (I talk over IPC).\n");
    process.exit(2);
  }
  const post = (message: EngineMessage): void => {
    if (process.connected) send(message);
  };
  const engine = new Engine({ log: (level, message) => post({ kind: "log", level, message }) });
  const server = new RequestHandler(engine, post, (code) => {
    setImmediate(() => process.exit(code));
  });
  process.on("message", (message: unknown) => server.handle(message));
  // The parent went away (editor closed, CLI killed): nothing left to serve.
  process.on("disconnect", () => process.exit(0));
  process.on("uncaughtException", (error) => {
    post({ kind: "error", id: null, error: { code: "internal", message: `The engine failed: ${error.message}` } });
    process.exit(1);
  });
  post({ kind: "hello", pid: process.pid, version: typeof __VERSION__ === "string" ? __VERSION__ : "dev" });
}

main();
