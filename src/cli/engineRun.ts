/** What the commands that run the model (ask, calibrate, bench) share: their engine client, the lines they print while it starts, and how they name the model. */
import { EngineClient } from "../engine/client/engineClient";
import type { AskEvent, LoadConfig } from "../engine/common/types";
import type { CliIo } from "./command";

/** One engine process for the command, never unloaded while it runs, with the watchdog the flags set. */
export function cliEngineClient(loading: { readonly load: LoadConfig; readonly stallTimeoutSeconds: number }): EngineClient {
  return new EngineClient(loading.load, { idleUnloadMinutes: 0, watchdog: { stallMs: loading.stallTimeoutSeconds * 1000 } });
}

/** "Starting the engine…" and "Loaded <model>." on stderr, for the commands that answer many questions. */
export function engineStartLines(io: CliIo): (event: AskEvent) => void {
  return (event) => {
    if (event.type === "engine-starting") io.stderr.write("Starting the engine…\n");
    else if (event.type === "loaded") io.stderr.write(`Loaded ${event.report.modelName}${event.report.scripted ? " (a scripted demo model, not a language model)" : ""}.\n`);
  };
}

/** What a report names: the model file, or the server and its model. */
export function modelLabel(load: LoadConfig, modelPath: string): string {
  const server = load.server;
  return server ? `${server.url}${server.model ? ` (${server.model})` : ""}` : modelPath;
}
