import { join } from "node:path";
import * as vscode from "vscode";
import type { AskHandle } from "../engine/client/askHandle";
import { EngineClient } from "../engine/client/engineClient";
import type { EngineState } from "../engine/client/engineClient";
import type { AskEvent, AskRequest, FitEstimate, LoadReport, LoadConfig, MachineState } from "../engine/common/types";
import type { EngineInfo } from "../protocol";
import type { Configuration } from "./configuration";
import type { EngineConnection, RunningAsk } from "./chat/engineConnection";
import { withApiKey } from "./chat/askRequest";
import type { ServerKeySource } from "./server/serverKeys";
import { watchdogSeconds } from "../core/settings/serverTimeout";

/**
 * The chat's connection to the engine process (dist/engine.js, a child process so that a native
 * crash cannot take the editor down). The process starts on the first question, never at
 * activation, and stops after the idle time in `selfBraking.model.idleUnloadMinutes`.
 */
export class EngineGateway implements EngineConnection, vscode.Disposable {
  private client: EngineClient | undefined;
  /** The client options the current client was made with. */
  private clientOptions = "";
  private readonly info = new vscode.EventEmitter<EngineInfo>();
  readonly onEngineInfo = this.info.event;

  constructor(
    private readonly extensionPath: string,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
    /** The server API key (secret storage), added to a server's load configuration here and nowhere else. */
    private readonly keys: ServerKeySource,
  ) {}

  ask(load: LoadConfig, request: AskRequest, onEvent: (event: AskEvent) => void): RunningAsk {
    if (load.server && !this.keys.loaded) {
      // the first moments after start: the key is still being read from secret storage
      return this.continuation(
        this.keys.ready.then(() => this.clientFor(this.keyed(load)).ask(request)),
        onEvent,
        true,
      );
    }
    return this.wrap(this.clientFor(this.keyed(load)).ask(request), onEvent);
  }

  async load(load: LoadConfig, onEvent: (event: AskEvent) => void): Promise<LoadReport> {
    if (load.server) await this.keys.ready;
    return this.clientFor(this.keyed(load)).load(onEvent);
  }

  /** A server's configuration with the key kept for that server (none for another server). */
  private keyed(load: LoadConfig): LoadConfig {
    return load.server ? withApiKey(load, this.keys.keyFor(load.server.url)) : load;
  }

  /** How a local GGUF would fit this machine (the engine reads its header with node-llama-cpp). */
  fit(load: LoadConfig, modelPath: string): Promise<FitEstimate> {
    return this.queryClient(load).fit(modelPath, { gpu: load.gpu, contextSize: load.contextSize });
  }

  /** This machine's memory and GPU as the engine sees them (for models not downloaded yet). */
  machine(load: LoadConfig): Promise<MachineState> {
    return this.queryClient(load).machine(load.gpu);
  }

  /**
   * The client for a question about a model file (fit, machine): the running one as it is — a
   * query neither rebinds what it loads nor restarts it (with a server, that would drop the
   * connection and the last answer's Continue) — or a new one for `load`.
   */
  private queryClient(load: LoadConfig): EngineClient {
    return this.client ?? this.clientFor(load);
  }

  private wrap(handle: AskHandle, onEvent: (event: AskEvent) => void): RunningAsk {
    handle.onEvent(onEvent);
    return {
      result: handle.result,
      answerNow: () => handle.answerNow(),
      cancel: () => handle.cancel(),
      continueThinking: (onContinued) => this.continuation(Promise.resolve(handle), onContinued),
    };
  }

  /**
   * The continuation is known once the engine decided: in place (the same handle goes on) or a new
   * one. `started`: `previous` is the ask itself, not yet started (it waited for the API key).
   */
  private continuation(previous: Promise<AskHandle>, onEvent: (event: AskEvent) => void, started = false): RunningAsk {
    let stopped = false;
    const subscribed = previous.then(async (before) => {
      const handle = started ? before : await before.continueThinking();
      if (started || handle !== before) handle.onEvent(onEvent);
      if (stopped) handle.cancel();
      return handle;
    });
    return {
      result: subscribed.then((handle) => handle.result),
      // A continuation that could not start has nothing to brake or stop (its result says why).
      answerNow: () => void subscribed.then((handle) => handle.answerNow(), () => undefined),
      cancel: () => {
        stopped = true;
        void subscribed.then((handle) => handle.cancel(), () => undefined);
      },
      continueThinking: (onContinued) => this.continuation(subscribed, onContinued),
    };
  }

  /** The engine client; recreated (when idle) if the idle-unload or watchdog setting changed. */
  private clientFor(load: LoadConfig): EngineClient {
    const settings = this.configuration.settings;
    const idleMinutes = settings["model.idleUnloadMinutes"];
    const stallSeconds = watchdogSeconds(settings["model.stallTimeoutSeconds"], load.server);
    const options = `${idleMinutes}/${stallSeconds}`;
    if (this.client && this.clientOptions !== options && !this.client.busy) {
      void this.client.dispose();
      this.client = undefined;
    }
    if (!this.client) {
      this.client = new EngineClient(load, {
        enginePath: join(this.extensionPath, "dist", "engine.js"),
        idleUnloadMinutes: idleMinutes,
        watchdog: { stallMs: stallSeconds * 1000 },
        onLog: (level, message) => this.log[level === "debug" ? "debug" : level](message),
      });
      this.clientOptions = options;
      this.client.onStateChange((state) => this.stateChanged(state));
    }
    this.client.setLoadConfig(load);
    return this.client;
  }

  private stateChanged(state: EngineState): void {
    if (state === "stopped") {
      this.log.info("Engine stopped; the model is unloaded and its memory freed.");
      this.info.fire({ state: "stopped", summary: "", notes: [], scripted: false });
    }
  }

  dispose(): void {
    void this.client?.dispose();
    this.info.dispose();
  }
}
